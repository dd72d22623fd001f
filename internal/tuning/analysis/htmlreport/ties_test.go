package htmlreport

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// oneArchitecture is twoArchitectures' x86_64 series alone, copied so that
// a case may change it: optimum 1024 MB, today 512 MB.
func oneArchitecture() Report {
	r := twoArchitectures()
	r.Series = []Series{{Architecture: "x86_64", Results: slices.Clone(r.Series[0].Results)}}
	return r
}

// setRow changes the x86_64 result at power.
func setRow(r *Report, power int32, change func(*analysis.PowerResult)) {
	for i := range r.Series[0].Results {
		if r.Series[0].Results[i].Power == power {
			change(&r.Series[0].Results[i])
			return
		}
	}
	panic("no such row")
}

func tied(res *analysis.PowerResult) { res.WithinNoise = true }

func verdictOf(t *testing.T, r Report) string {
	t.Helper()
	doc, _ := render(t, r)
	ps := doc.all(func(n *node) bool { return n.name == "p" && n.class("verdict") })
	if len(ps) != 1 {
		t.Fatalf("found %d verdicts, want 1", len(ps))
	}
	return ps[0].text
}

func TestVerdictNamesTheTies(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Report)
		want   string
	}{
		{"one tie", func(r *Report) { setRow(r, 256, tied) },
			"1024 MB: 38 % faster and 4 % cheaper than today's 512 MB; 256 MB is within noise of it."},
		{"two ties, by memory size", func(r *Report) { setRow(r, 256, tied); setRow(r, 128, tied) },
			"1024 MB: 38 % faster and 4 % cheaper than today's 512 MB; 128 MB and 256 MB are within noise of it."},
		{"today's size among three ties", func(r *Report) { setRow(r, 512, tied); setRow(r, 256, tied); setRow(r, 128, tied) },
			"1024 MB: 38 % faster and 4 % cheaper than today's 512 MB; 128 MB, 256 MB and today's 512 MB are within noise of it."},
		{"the optimum is no tie of itself", func(r *Report) { setRow(r, 1024, tied) },
			"1024 MB: 38 % faster and 4 % cheaper than today's 512 MB."},
		{"retired and failed rows are no ties", func(r *Report) {
			setRow(r, 128, func(res *analysis.PowerResult) { res.WithinNoise, res.Retired, res.BehindBy = true, true, 0.2 })
			setRow(r, 3008, tied)
		}, "1024 MB: 38 % faster and 4 % cheaper than today's 512 MB."},
		{"already optimal", func(r *Report) { r.BaselinePower = 1024; setRow(r, 256, tied) },
			"1024 MB: today's memory size is already the optimum; keep it. 256 MB is within noise of the optimum."},
		{"baseline unknown", func(r *Report) { r.BaselinePower = 0; setRow(r, 256, tied); setRow(r, 512, tied) },
			"Optimum: 1024 MB (the memory size before the run is not recorded in this report). 256 MB and 512 MB are within noise of the optimum."},
		{"dry run", func(r *Report) { r.OptimalPower = 0; setRow(r, 256, tied) },
			"Dry run: every memory size was invoked once to check that it works; no optimum was chosen."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := oneArchitecture()
			tt.modify(&r)
			if got := verdictOf(t, r); got != tt.want {
				t.Errorf("verdict\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestVerdictNamesTheArchitectureOfEachTie(t *testing.T) {
	r := twoArchitectures()
	r.Series[1].Results[2].WithinNoise = true // arm64 1024 MB
	r.Series[0].Results[3].WithinNoise = true // x86_64 512 MB, today's size
	want := "1024 MB: 38 % faster and 4 % cheaper than today's 512 MB; today's 512 MB x86_64 and 1024 MB arm64 are within noise of it."
	if got := verdictOf(t, r); got != want {
		t.Errorf("verdict\n got  %q\n want %q", got, want)
	}
}

// rowsByKey is the table's result rows by "architecture/power" (the
// architecture column is there with two series only).
func rowsByKey(doc *node) map[string]*node {
	archColumn := -1
	for i, th := range doc.all(func(n *node) bool { return n.name == "th" && n.attrs["scope"] == "col" }) {
		if strings.ReplaceAll(th.text, "\u00ad", "") == "Architecture" {
			archColumn = i
		}
	}
	rows := map[string]*node{}
	for _, tr := range doc.all(func(n *node) bool { return n.name == "tr" && len(n.all(isCell("td"))) > 0 }) {
		cells := tr.all(func(n *node) bool { return n != tr && (n.name == "th" || n.name == "td") })
		arch := ""
		if archColumn >= 0 {
			arch = cells[archColumn].text
		}
		rows[arch+"/"+strings.TrimSpace(cells[0].text)] = tr
	}
	return rows
}

func isCell(name string) func(*node) bool { return func(n *node) bool { return n.name == name } }

// notesOf is the kinds of note a row carries, in order.
func notesOf(row *node) []string {
	var kinds []string
	for _, span := range row.all(func(n *node) bool { return n.name == "span" && n.class("note") }) {
		kinds = append(kinds, strings.TrimPrefix(span.attrs["class"], "note "))
	}
	return kinds
}

func TestTableMarksTiesAndRetiredSizes(t *testing.T) {
	r := twoArchitectures()
	r.Series[0].Results[2].WithinNoise = true                                      // x86_64 256 MB
	r.Series[0].Results[0].WithinNoise = true                                      // x86_64 1024 MB, the optimum
	r.Series[1].Results[0].Retired, r.Series[1].Results[0].BehindBy = true, 0.4123 // arm64 128 MB
	r.Series[0].Results[4].WithinNoise = true                                      // x86_64 3008 MB, failed
	doc, _ := render(t, r)
	rows := rowsByKey(doc)
	tests := []struct {
		key, class string
		notes      []string
		text       string
	}{
		{"x86_64/256", "within-noise", []string{"within-noise"}, "within noise of the optimum"},
		{"x86_64/1024", "optimal", []string{"optimum"}, "optimum"},
		{"x86_64/512", "", []string{"baseline"}, "today's size"},
		{"arm64/128", "retired", []string{"retired"}, "retired by adaptive sampling, 41 % behind the leader"},
		{"x86_64/3008", "failed", []string{"failed"}, "failed: the account's memory quota is 3008 MB"},
		{"arm64/1024", "", nil, ""},
	}
	for _, tt := range tests {
		row, ok := rows[tt.key]
		if !ok {
			t.Fatalf("no row %s in %v", tt.key, rows)
		}
		if got := row.attrs["class"]; got != tt.class {
			t.Errorf("%s: row class %q, want %q", tt.key, got, tt.class)
		}
		if got := notesOf(row); !slices.Equal(got, tt.notes) {
			t.Errorf("%s: notes %q, want %q", tt.key, got, tt.notes)
		}
		if tt.text != "" && !strings.Contains(textOf(row), tt.text) {
			t.Errorf("%s: row reads %q, want %q in it", tt.key, textOf(row), tt.text)
		}
	}
}

func TestTableCellsAreNumbersUnderHeadersWithUnits(t *testing.T) {
	doc, _ := render(t, twoArchitectures())
	row := rowsByKey(doc)["x86_64/512"]
	cells := map[string]string{}
	for _, td := range row.all(isCell("td")) {
		cells[td.attrs["data-label"]] = td.text
	}
	want := map[string]string{
		"Architecture": "x86_64", "Average duration (ms)": "100.0", "p50 (ms)": "95.00", "p90 (ms)": "110.0",
		"p99 (ms)": "130.0", "Cost per invocation (USD)": "0.00000125", "Total cost (USD)": "0.0000250",
		"Invocations": "20", "Errors": "0",
	}
	for label, v := range want {
		if cells[label] != v {
			t.Errorf("%s: %q, want %q", label, cells[label], v)
		}
	}
	var headers []string
	for _, th := range doc.all(func(n *node) bool { return n.name == "th" && n.attrs["scope"] == "col" }) {
		headers = append(headers, strings.ReplaceAll(th.text, "\u00ad", ""))
	}
	for label := range want {
		if !slices.Contains(headers, label) {
			t.Errorf("no column header %q (the card layout labels cells with it) in %q", label, headers)
		}
	}
}

func TestChartMarksTiesAndRetiredSizes(t *testing.T) {
	r := twoArchitectures()
	r.Series[0].Results[2].WithinNoise = true                                    // x86_64 256 MB
	r.Series[1].Results[1].WithinNoise = true                                    // arm64 512 MB
	r.Series[1].Results[0].Retired, r.Series[1].Results[0].BehindBy = true, 0.41 // arm64 128 MB
	doc, _ := render(t, r)

	marks := doc.all(func(n *node) bool { return n.name == "g" && n.class("within-noise") })
	var got []string
	for _, g := range marks {
		got = append(got, g.attrs["data-architecture"]+"/"+g.attrs["data-power"])
		rings := g.all(isCell("circle"))
		for _, p := range plottedPoints(t, doc, "duration") {
			if p.arch == g.attrs["data-architecture"] && g.attrs["data-power"] == fmt.Sprint(p.power) {
				if len(rings) < 1 || number(t, rings[0].attrs["cx"]) != p.x || number(t, rings[0].attrs["cy"]) != p.y {
					t.Errorf("the tie ring of %s/%d is not on its duration marker", p.arch, p.power)
				}
			}
		}
		if !strings.Contains(textOf(g), "within noise of the optimum") {
			t.Errorf("tie marker %v has no title saying what it marks", g.attrs)
		}
	}
	if want := []string{"x86_64/256", "arm64/512"}; !slices.Equal(got, want) {
		t.Errorf("tie markers on %v, want %v", got, want)
	}

	var retired []string
	for _, p := range doc.all(func(n *node) bool { return n.class("point") && n.class("retired") }) {
		retired = append(retired, p.attrs["data-power"])
		if !strings.Contains(textOf(p), "retired by adaptive sampling, 41 % behind the leader") {
			t.Errorf("retired marker's title %q does not say so", textOf(p))
		}
	}
	if !slices.Equal(retired, []string{"128", "128"}) {
		t.Errorf("faded markers for %v MB, want 128 MB's duration and cost", retired)
	}

	legend := textOf(doc.all(func(n *node) bool { return n.name == "g" && n.class("legend") })[0])
	for _, want := range []string{"optimum", "within noise of the optimum", "retired by adaptive sampling", "failed"} {
		if !strings.Contains(legend, want) {
			t.Errorf("the legend lacks %q: %q", want, legend)
		}
	}
}

func TestLegendListsOnlyTheMarkersDrawn(t *testing.T) {
	r := oneArchitecture()
	r.Series[0].Results = r.Series[0].Results[:4] // no failure
	doc, _ := render(t, r)
	legend := textOf(doc.all(func(n *node) bool { return n.name == "g" && n.class("legend") })[0])
	for _, absent := range []string{"within noise", "retired", "failed"} {
		if strings.Contains(legend, absent) {
			t.Errorf("the legend explains %q, which the chart does not draw: %q", absent, legend)
		}
	}
	if !strings.Contains(legend, "optimum") {
		t.Errorf("the legend does not explain the optimum: %q", legend)
	}
}
