package htmlreport

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// managedPoints reads a managed chart's markers: "power/ratio/concurrency=value"
// and where each is drawn.
func managedPoints(t *testing.T, svg *node) (keys []string, points []plotted) {
	t.Helper()
	for _, g := range svg.all(func(n *node) bool { return n.name == "g" && n.class("series") }) {
		for _, p := range g.all(func(n *node) bool { return n.class("point") }) {
			x, y := translation(t, p)
			value := number(t, p.attrs["data-value"])
			key := fmt.Sprintf("%s/%s/%s", g.attrs["data-power"], g.attrs["data-memory-per-vcpu"], p.attrs["data-concurrency"])
			keys = append(keys, fmt.Sprintf("%s=%v", key, value))
			points = append(points, plotted{power: int32(number(t, p.attrs["data-concurrency"])), value: value, x: x, y: y, arch: key})
		}
	}
	slices.Sort(keys)
	return keys, points
}

var translate = regexp.MustCompile(`^translate\(([-\d.]+),([-\d.]+)\)$`)

func translation(t *testing.T, n *node) (x, y float64) {
	t.Helper()
	m := translate.FindStringSubmatch(n.attrs["transform"])
	if m == nil {
		t.Fatalf("marker %v is not placed by translate()", n.attrs)
	}
	return number(t, m[1]), number(t, m[2])
}

func managedChartByID(t *testing.T, doc *node, id string) *node {
	t.Helper()
	svgs := doc.all(func(n *node) bool { return n.name == "svg" && n.attrs["id"] == id })
	if len(svgs) != 1 {
		t.Fatalf("found %d charts #%s, want 1", len(svgs), id)
	}
	return svgs[0]
}

func TestManagedPagePlotsEverySettingOnBothCharts(t *testing.T) {
	r := managedReport()
	doc, page := render(t, r)
	if strings.Contains(page, "Duration and cost by memory size") {
		t.Error("the managed page shows the duration chart, which has nothing to plot")
	}
	for _, chart := range []struct {
		id    string
		value func(analysis.ManagedResult) float64
	}{
		{"throughput-chart", func(r analysis.ManagedResult) float64 { return r.RequestsPerSecondPerEnvironment }},
		{"p99-chart", func(r analysis.ManagedResult) float64 { return r.P99Ms }},
	} {
		svg := managedChartByID(t, doc, chart.id)
		var want []string
		for _, res := range r.Managed.Results {
			if !res.Failed {
				want = append(want, fmt.Sprintf("%d/%g/%d=%v", res.Power, res.MemoryPerVCPU, res.Concurrency, chart.value(res)))
			}
		}
		slices.Sort(want)
		got, points := managedPoints(t, svg)
		if !slices.Equal(got, want) {
			t.Errorf("%s points:\n got  %v\n want %v", chart.id, got, want)
		}
		checkLinear(t, chart.id, points)
		if n := len(svg.all(func(n *node) bool { return n.name == "g" && n.class("series") })); n != 4 {
			t.Errorf("%s has %d lines, want 4 (2 memory sizes × 2 GiB per vCPU)", chart.id, n)
		}
		// One x per concurrency, growing with it, whatever the line.
		xOf := map[int32]float64{}
		for _, p := range points {
			if x, seen := xOf[p.power]; seen && math.Abs(x-p.x) > 0.05 {
				t.Errorf("%s: concurrency %d drawn at x=%v and x=%v", chart.id, p.power, x, p.x)
			}
			xOf[p.power] = p.x
		}
		if !(xOf[8] < xOf[32] && xOf[32] < xOf[64]) {
			t.Errorf("%s: x of concurrency 8, 32, 64 = %v, %v, %v: not increasing", chart.id, xOf[8], xOf[32], xOf[64])
		}
		failed := svg.all(func(n *node) bool { return n.name == "g" && n.class("failed") })
		if len(failed) != 1 || failed[0].attrs["data-concurrency"] != "64" || !strings.Contains(textOf(failed[0]), "Runtime.OutOfMemory") {
			t.Errorf("%s: failed markers %d, want the one at 64 with its reason", chart.id, len(failed))
		}
		missed := svg.all(func(n *node) bool { return n.class("point") && n.class("misses-goal") })
		if len(missed) != 2 {
			t.Errorf("%s: %d markers of settings missing the goal, want 2", chart.id, len(missed))
		}
	}
}

func TestManagedPageMarksTheOptimumAndTheGoal(t *testing.T) {
	r := managedReport()
	doc, _ := render(t, r)
	// At the right end of the axis too, where its label is anchored apart.
	crowded, _ := render(t, crowdedManagedReport())
	for _, chart := range []struct {
		doc                  *node
		id, concurrency, who string
	}{
		{doc, "throughput-chart", "32", "2048 MB, 2 GiB per vCPU, 32 at once"},
		{doc, "p99-chart", "32", "2048 MB, 2 GiB per vCPU, 32 at once"},
		{crowded, "throughput-chart", "1600", "32768 MB, 8 GiB per vCPU, 1600 at once"},
	} {
		id := chart.id
		svg := managedChartByID(t, chart.doc, id)
		opt := svg.all(func(n *node) bool { return n.name == "g" && n.class("optimum") })
		if len(opt) != 1 {
			t.Fatalf("%s: %d optimum markers, want 1", id, len(opt))
		}
		ring := opt[0].all(func(n *node) bool { return n.name == "circle" })[0]
		var at *node
		for _, p := range svg.all(func(n *node) bool { return n.class("point") }) {
			if p.attrs["data-concurrency"] == chart.concurrency {
				if x, y := translation(t, p); fmt.Sprint(x, y) == fmt.Sprint(number(t, ring.attrs["cx"]), number(t, ring.attrs["cy"])) {
					at = p
				}
			}
		}
		if at == nil || !strings.Contains(textOf(at), chart.who) {
			t.Errorf("%s: the optimum's ring is not on %s", id, chart.who)
		}
	}

	goals := doc.all(func(n *node) bool { return n.name == "g" && n.class("goal") })
	if len(goals) != 1 {
		t.Fatalf("%d goal lines, want 1 (on the p99 chart)", len(goals))
	}
	// The line lies between the p99s just under and just over 300 ms.
	y := number(t, goals[0].all(func(n *node) bool { return n.name == "line" })[0].attrs["y1"])
	_, points := managedPoints(t, managedChartByID(t, doc, "p99-chart"))
	for _, p := range points {
		if (p.value < 300) != (p.y > y) {
			t.Errorf("p99 %v ms drawn at y=%v, on the wrong side of the 300 ms goal at y=%v", p.value, p.y, y)
		}
	}

	r.Managed.LatencyGoalMs = 0
	doc, _ = render(t, r)
	if n := len(doc.all(func(n *node) bool { return n.class("goal") })); n != 0 {
		t.Errorf("without a latency goal the page draws %d goal lines", n)
	}
}

func TestManagedPageTablesEverySetting(t *testing.T) {
	r := managedReport()
	doc, _ := render(t, r)
	rows := doc.all(func(n *node) bool { return n.name == "tr" && n.attrs["data-concurrency"] != "" })
	if len(rows) != len(r.Managed.Results) {
		t.Fatalf("%d rows, want one per setting (%d)", len(rows), len(r.Managed.Results))
	}
	classes := map[string]int{}
	for _, row := range rows {
		classes[row.attrs["class"]]++
	}
	if classes["optimal"] != 1 || classes["misses-goal"] != 2 || classes["failed"] != 1 {
		t.Errorf("row classes %v, want 1 optimal, 2 misses-goal, 1 failed", classes)
	}
	cells := func(row *node) []string {
		var out []string
		for _, c := range row.children {
			out = append(out, strings.TrimSpace(textOf(c)))
		}
		return out
	}
	want := []string{"2048", "2", "32", "152.3", "152.3", "c7i.large", "171.7", "193.1", "214.6", "0", "0", "0.388", "yes", "optimum"}
	for _, row := range rows {
		if row.attrs["class"] == "optimal" && !slices.Equal(cells(row), want) {
			t.Errorf("optimum's row\n got  %q\n want %q", cells(row), want)
		}
		if row.attrs["class"] == "failed" && !strings.Contains(textOf(row), "failed: Runtime.OutOfMemory") {
			t.Errorf("failed row %q does not say why", cells(row))
		}
		if row.attrs["data-concurrency"] == "64" && row.attrs["data-memory-per-vcpu"] == "4" && strings.HasPrefix(textOf(row), "2048") &&
			!strings.Contains(textOf(row), "throughput stopped rising at 48 in flight") {
			t.Errorf("row %q does not say where its throughput stopped rising", cells(row))
		}
	}
}

func TestManagedVerdict(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Managed)
		want   string
	}{
		{"optimum, month and comparison", func(*Managed) {},
			"Optimum: 2048 MB, 2 GiB per vCPU, 32 at once on c7i.large: 0.388 USD per million requests, 152.3 requests/s per environment, " +
				"p99 214.6 ms. At 200 requests/s: 3 instances, 285.63 USD a month. Lambda Managed Instances cost 285.63 USD a month, " +
				"41 % less than on-demand Lambda at 484.12 USD."},
		{"optimum only", func(m *Managed) { m.Monthly, m.Comparison = nil, "" },
			"Optimum: 2048 MB, 2 GiB per vCPU, 32 at once on c7i.large: 0.388 USD per million requests, 152.3 requests/s per environment, p99 214.6 ms."},
		{"one instance", func(m *Managed) { m.Monthly.Instances, m.Comparison = 1, "" },
			"Optimum: 2048 MB, 2 GiB per vCPU, 32 at once on c7i.large: 0.388 USD per million requests, 152.3 requests/s per environment, " +
				"p99 214.6 ms. At 200 requests/s: 1 instance, 285.63 USD a month."},
		{"none met the goal", func(m *Managed) { m.Optimum, m.Monthly, m.Comparison = nil, nil, "" },
			"No setting met the p99 goal of 300.0 ms: none was chosen."},
		{"none measured", func(m *Managed) {
			m.Optimum, m.Monthly, m.Comparison = nil, nil, ""
			for i := range m.Results {
				m.Results[i].Failed = true
			}
		}, "No setting could be measured under load: none was chosen."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := managedReport()
			tt.modify(r.Managed)
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

func TestManagedPricesNote(t *testing.T) {
	r := managedReport()
	note := func() string {
		doc, _ := render(t, r)
		return textOf(doc.all(func(n *node) bool { return n.attrs["id"] == "prices" })[0])
	}
	if got := note(); !strings.Contains(got, "built-in EC2 on-demand prices in us-east-1 of 2026-12-01") {
		t.Errorf("prices note %q does not date the built-in prices", got)
	}
	r.Managed.PricesDate, r.Managed.InstancePricePerHour = "", 0.0425
	if got := note(); !strings.Contains(got, "instance_price_per_hour, 0.0425 USD an hour") || strings.Contains(got, "2026") {
		t.Errorf("prices note %q, want the price given by instance_price_per_hour and no date", got)
	}
}

func TestManagedPageIsAccessible(t *testing.T) {
	doc, page := render(t, managedReport())
	if strings.Contains(page, "://") {
		t.Error("the managed page holds a URL")
	}
	for _, id := range []string{"throughput", "p99"} {
		svg := managedChartByID(t, doc, id+"-chart")
		if svg.attrs["role"] != "img" || svg.attrs["aria-labelledby"] != id+"-title "+id+"-desc" {
			t.Errorf("%s chart role/labels: %v", id, svg.attrs)
		}
		desc := textOf(svg.all(func(n *node) bool { return n.name == "desc" })[0])
		for _, want := range []string{"4096 MB, 2 GiB per vCPU, 64 at once failed", "4096 MB, 4 GiB per vCPU, 64 at once", "misses the p99 goal"} {
			if !strings.Contains(desc, want) {
				t.Errorf("%s chart's text alternative lacks %q:\n%s", id, want, desc)
			}
		}
		for _, p := range svg.all(func(n *node) bool { return n.class("point") }) {
			if len(p.children) == 0 || p.children[0].name != "title" || p.children[0].text == "" {
				t.Errorf("%s marker %v has no title", id, p.attrs)
			}
		}
	}
}
