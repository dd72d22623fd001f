package htmlreport

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

const chartURL = "https://lambda-power-tuning.show/#gAAAAQ==;AADIQg==;AAAAAA=="

func result(power int32, duration, cost float64) analysis.PowerResult {
	return analysis.PowerResult{Power: power, AverageDuration: duration, AverageCost: cost, TotalCost: cost * 20,
		Invocations: 20, P50Duration: duration * 0.95, P90Duration: duration * 1.1, P99Duration: duration * 1.3}
}

// twoArchitectures is a report with a failed size, a baseline that is
// measured and an optimum that is not the baseline.
func twoArchitectures() Report {
	return Report{
		FunctionARN: "arn:aws:lambda:eu-west-1:123456789012:function:orders-api",
		Region:      "eu-west-1", Currency: "USD", Strategy: analysis.StrategyBalanced, BalancedWeight: 0.5,
		TunedAt: "2026-12-01T21:00:00Z", TuningCost: 0.000321,
		Series: []Series{
			{Architecture: "x86_64", Results: []analysis.PowerResult{
				result(1024, 62, 0.0000012),
				result(128, 800, 0.0000021),
				result(256, 400, 0.0000017),
				result(512, 100, 0.00000125),
				{Power: 3008, Failed: true, FailureReason: "the account's memory quota is 3008 MB"},
			}},
			{Architecture: "arm64", Results: []analysis.PowerResult{
				result(128, 900, 0.0000017),
				result(512, 120, 0.0000011),
				result(1024, 70, 0.00000101),
			}},
		},
		OptimalPower: 1024, OptimalArchitecture: "x86_64",
		BaselinePower: 512, BaselineArchitecture: "x86_64",
		ChartURL: chartURL,
	}
}

// node is a parsed element: enough of a DOM for these checks.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     string
}

func (n *node) class(c string) bool { return slices.Contains(strings.Fields(n.attrs["class"]), c) }

func (n *node) all(match func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		if match(m) {
			out = append(out, m)
		}
		for _, c := range m.children {
			walk(c)
		}
	}
	walk(n)
	return out
}

// parse reads the page as XML (Render promises well-formed output).
func parse(t *testing.T, page []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(page))
	dec.Strict = true
	root := &node{name: "#document"}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("the page is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				name := a.Name.Local
				if a.Name.Space != "" {
					name = a.Name.Space + ":" + name
				}
				n.attrs[name] = a.Value
			}
			parent := stack[len(stack)-1]
			parent.children = append(parent.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text += string(tok)
		}
	}
	return root
}

func render(t *testing.T, r Report) (*node, string) {
	t.Helper()
	page, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, page), string(page)
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number: %v", s, err)
	}
	return v
}

type plotted struct {
	power     int32
	value     float64
	x, y      float64
	arch      string
	metricKey string
}

// plottedPoints reads the markers of one metric from the SVG; cost squares
// are located by their centre.
func plottedPoints(t *testing.T, svg *node, metric string) []plotted {
	t.Helper()
	var out []plotted
	for _, g := range svg.all(func(n *node) bool { return n.name == "g" && n.class("series") }) {
		for _, p := range g.all(func(n *node) bool { return n.class("point") && n.class(metric) }) {
			pt := plotted{power: int32(number(t, p.attrs["data-power"])), value: number(t, p.attrs["data-value"]),
				arch: g.attrs["data-architecture"], metricKey: metric}
			switch p.name {
			case "circle":
				pt.x, pt.y = number(t, p.attrs["cx"]), number(t, p.attrs["cy"])
			case "rect":
				pt.x = number(t, p.attrs["x"]) + number(t, p.attrs["width"])/2
				pt.y = number(t, p.attrs["y"]) + number(t, p.attrs["height"])/2
			default:
				t.Fatalf("unexpected %s marker <%s>", metric, p.name)
			}
			out = append(out, pt)
		}
	}
	return out
}

func TestRenderPlotsExactlyTheResultsPerArchitecture(t *testing.T) {
	r := twoArchitectures()
	doc, _ := render(t, r)
	svgs := doc.all(func(n *node) bool { return n.name == "svg" })
	if len(svgs) != 1 {
		t.Fatalf("found %d <svg> elements, want 1", len(svgs))
	}
	svg := svgs[0]

	for _, metric := range []string{"duration", "cost"} {
		got := plottedPoints(t, svg, metric)
		var want, gotKeys []string
		for _, s := range r.Series {
			for _, res := range s.Results {
				if res.Failed {
					continue
				}
				v := res.AverageDuration
				if metric == "cost" {
					v = res.AverageCost
				}
				want = append(want, fmt.Sprintf("%s/%d=%v", s.Architecture, res.Power, v))
			}
		}
		for _, p := range got {
			gotKeys = append(gotKeys, fmt.Sprintf("%s/%d=%v", p.arch, p.power, p.value))
		}
		slices.Sort(want)
		slices.Sort(gotKeys)
		if !slices.Equal(gotKeys, want) {
			t.Errorf("%s points:\n got  %v\n want %v", metric, gotKeys, want)
		}
		checkLinear(t, metric, got)
	}

	// x grows with memory size on one scale shared by both architectures.
	xOf := map[int32]float64{}
	for _, p := range append(plottedPoints(t, svg, "duration"), plottedPoints(t, svg, "cost")...) {
		if x, seen := xOf[p.power]; seen && math.Abs(x-p.x) > 0.05 {
			t.Errorf("%d MB is drawn at x=%v and x=%v", p.power, x, p.x)
		}
		xOf[p.power] = p.x
	}
	powers := make([]int32, 0, len(xOf))
	for p := range xOf {
		powers = append(powers, p)
	}
	slices.Sort(powers)
	for i := 1; i < len(powers); i++ {
		if !(xOf[powers[i]] > xOf[powers[i-1]]) {
			t.Errorf("%d MB (x=%v) is not right of %d MB (x=%v)", powers[i], xOf[powers[i]], powers[i-1], xOf[powers[i-1]])
		}
	}
}

// checkLinear: a marker's height is a linear function of its value (one
// axis per metric), higher values drawn higher (smaller y).
func checkLinear(t *testing.T, metric string, points []plotted) {
	t.Helper()
	lo := slices.MinFunc(points, func(a, b plotted) int { return cmp.Compare(a.value, b.value) })
	hi := slices.MaxFunc(points, func(a, b plotted) int { return cmp.Compare(a.value, b.value) })
	slope := (hi.y - lo.y) / (hi.value - lo.value)
	if !(slope < 0) {
		t.Fatalf("%s: higher values are not drawn higher (slope %v)", metric, slope)
	}
	for _, p := range points {
		if want := lo.y + slope*(p.value-lo.value); math.Abs(p.y-want) > 0.15 {
			t.Errorf("%s %s/%d MB at y=%v, want %v on the axis", metric, p.arch, p.power, p.y, want)
		}
	}
}

func TestRenderMarksOptimumBaselineAndFailures(t *testing.T) {
	r := twoArchitectures()
	doc, _ := render(t, r)

	optima := doc.all(func(n *node) bool { return n.name == "g" && n.class("optimum") })
	if len(optima) != 1 {
		t.Fatalf("found %d optimum markers, want 1", len(optima))
	}
	opt := optima[0]
	if opt.attrs["data-power"] != "1024" || opt.attrs["data-architecture"] != "x86_64" {
		t.Errorf("optimum marks %s/%s, want x86_64/1024", opt.attrs["data-architecture"], opt.attrs["data-power"])
	}
	// The ring sits on the optimum's duration marker.
	var point plotted
	for _, p := range plottedPoints(t, doc, "duration") {
		if p.arch == "x86_64" && p.power == 1024 {
			point = p
		}
	}
	rings := opt.all(func(n *node) bool { return n.name == "circle" })
	if len(rings) == 0 || number(t, rings[0].attrs["cx"]) != point.x || number(t, rings[0].attrs["cy"]) != point.y {
		t.Errorf("optimum ring %v is not on the 1024 MB duration marker at (%v, %v)", rings, point.x, point.y)
	}
	if !strings.Contains(textOf(opt), "optimum 1024 MB") {
		t.Errorf("optimum marker says %q; want a text label, not colour alone", textOf(opt))
	}

	baselines := doc.all(func(n *node) bool { return n.name == "g" && n.class("baseline") })
	if len(baselines) != 1 || baselines[0].attrs["data-power"] != "512" || !strings.Contains(textOf(baselines[0]), "today 512 MB") {
		t.Errorf("want one baseline marker labelled today 512 MB, got %d", len(baselines))
	}

	failed := doc.all(func(n *node) bool { return n.name == "g" && n.class("failed") })
	if len(failed) != 1 || failed[0].attrs["data-power"] != "3008" ||
		!strings.Contains(textOf(failed[0]), "the account's memory quota is 3008 MB") {
		t.Fatalf("want the failed 3008 MB marked with its reason, got %d markers", len(failed))
	}

	// The table holds every result, the failed one with its reason.
	rows := doc.all(func(n *node) bool {
		return n.name == "tr" && len(n.all(func(c *node) bool { return c.name == "td" })) > 0
	})
	if len(rows) != 8 {
		t.Errorf("table has %d result rows, want 8", len(rows))
	}
	var failedRow string
	for _, row := range rows {
		if row.class("failed") {
			failedRow = textOf(row)
		}
	}
	if !strings.Contains(failedRow, "3008") || !strings.Contains(failedRow, "failed: the account's memory quota is 3008 MB") {
		t.Errorf("failed row reads %q", failedRow)
	}
}

func textOf(n *node) string {
	var sb strings.Builder
	for _, m := range n.all(func(*node) bool { return true }) {
		sb.WriteString(m.text)
	}
	return sb.String()
}

// external lists every reference to another resource: attributes that load
// or link, elements that embed, and CSS that imports.
func external(doc *node) []string {
	var refs []string
	for _, n := range doc.all(func(*node) bool { return true }) {
		switch n.name {
		case "script", "link", "img", "iframe", "object", "embed", "use", "image", "source", "video", "audio", "base":
			refs = append(refs, "<"+n.name+">")
		}
		for name, v := range n.attrs {
			switch strings.TrimPrefix(name, "xlink:") {
			case "href", "src", "srcset", "action", "poster", "data", "formaction":
				refs = append(refs, v)
			}
			if strings.Contains(v, "url(") {
				refs = append(refs, v)
			}
		}
		if n.name == "style" && (strings.Contains(n.text, "url(") || strings.Contains(n.text, "@import")) {
			refs = append(refs, "stylesheet import")
		}
	}
	return refs
}

func TestRenderReferencesNothingButTheChartLink(t *testing.T) {
	r := twoArchitectures()
	doc, page := render(t, r)
	if got := external(doc); !slices.Equal(got, []string{chartURL}) {
		t.Errorf("external references %q, want only the chart link", got)
	}
	if n := strings.Count(page, "://"); n != 1 {
		t.Errorf("page holds %d URLs, want 1 (the chart link)", n)
	}

	r.ChartURL = ""
	doc, page = render(t, r)
	if got := external(doc); len(got) != 0 {
		t.Errorf("without a chart link the page still references %q", got)
	}
	if strings.Contains(page, "://") {
		t.Error("without a chart link the page still holds a URL")
	}
}

func TestRenderIsAccessible(t *testing.T) {
	doc, _ := render(t, twoArchitectures())
	html := doc.all(func(n *node) bool { return n.name == "html" })
	if len(html) != 1 || html[0].attrs["lang"] == "" {
		t.Error("the page declares no language")
	}
	svg := doc.all(func(n *node) bool { return n.name == "svg" })[0]
	if svg.attrs["role"] != "img" || svg.attrs["aria-labelledby"] != "chart-title chart-desc" {
		t.Errorf("chart role/labels: %v", svg.attrs)
	}
	var desc string
	for _, n := range svg.children {
		if n.name == "desc" && n.attrs["id"] == "chart-desc" {
			desc = n.text
		}
	}
	for _, want := range []string{"512 MB x86_64: 100.00 ms, 0.00000125 USD", "1024 MB arm64", "3008 MB x86_64 failed"} {
		if !strings.Contains(desc, want) {
			t.Errorf("text alternative lacks %q:\n%s", want, desc)
		}
	}
	for _, p := range svg.all(func(n *node) bool { return n.class("point") }) {
		if len(p.children) == 0 || p.children[0].name != "title" || p.children[0].text == "" {
			t.Errorf("marker %v has no title", p.attrs)
		}
	}
	if len(doc.all(func(n *node) bool { return n.name == "th" && n.attrs["scope"] == "col" })) < 8 {
		t.Error("the data table has no column headers")
	}
}

func TestVerdict(t *testing.T) {
	base := twoArchitectures()
	base.Series = base.Series[:1]
	tests := []struct {
		name   string
		modify func(*Report)
		want   string
	}{
		{"faster and cheaper", func(*Report) {}, "1024 MB: 38 % faster and 4 % cheaper than today's 512 MB."},
		{"slower and cheaper", func(r *Report) { r.OptimalPower, r.BaselinePower = 512, 1024 },
			"512 MB: 61 % slower and 4 % more expensive than today's 1024 MB."},
		{"same cost", func(r *Report) {
			r.Series[0].Results[3].AverageCost = 0.0000012
		}, "1024 MB: 38 % faster and the same cost compared with today's 512 MB."},
		{"already optimal", func(r *Report) { r.BaselinePower = 1024 }, "1024 MB: today's memory size is already the optimum; keep it."},
		{"baseline not measured", func(r *Report) { r.BaselinePower = 2048 },
			"Optimum: 1024 MB. Today's 2048 MB was not among the measured sizes: add it to power_values to compare."},
		{"baseline failed", func(r *Report) { r.BaselinePower = 3008 },
			"Optimum: 1024 MB. Today's 3008 MB could not be measured (the account's memory quota is 3008 MB)."},
		{"baseline unknown", func(r *Report) { r.BaselinePower = 0 },
			"Optimum: 1024 MB (the memory size before the run is not recorded in this report)."},
		{"dry run", func(r *Report) { r.OptimalPower = 0 },
			"Dry run: every memory size was invoked once to check that it works; no optimum was chosen."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			r.Series = []Series{{Architecture: "x86_64", Results: slices.Clone(base.Series[0].Results)}}
			tt.modify(&r)
			doc, _ := render(t, r)
			var got string
			for _, p := range doc.all(func(n *node) bool { return n.name == "p" && n.class("verdict") }) {
				got = p.text
			}
			if got != tt.want {
				t.Errorf("verdict\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}
