package report

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

func TestHTMLReportURI(t *testing.T) {
	for in, want := range map[string]string{
		"s3://b/runs/orders.json": "s3://b/runs/orders.html",
		"s3://b/runs/orders":      "s3://b/runs/orders.html",
		"s3://b/orders.html":      "s3://b/orders.html.html", // never the JSON's own key
	} {
		if got := HTMLReportURI(in); got != want {
			t.Errorf("HTMLReportURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTMLReportSeriesPerArchitecture(t *testing.T) {
	rep := &Report{Architecture: "x86_64", OptimalArchitecture: "arm64", Results: []analysis.PowerResult{
		{Power: 128, Architecture: "x86_64"}, {Power: 512, Architecture: "x86_64"},
		{Power: 128, Architecture: "arm64"}, {Power: 512, Architecture: "arm64"},
	}}
	series := seriesByArchitecture(rep)
	if len(series) != 2 || series[0].Architecture != "x86_64" || series[1].Architecture != "arm64" ||
		len(series[0].Results) != 2 || len(series[1].Results) != 2 || series[1].Results[1].Power != 512 {
		t.Errorf("series = %+v, want x86_64 then arm64 with two rows each", series)
	}
	if one := seriesByArchitecture(&Report{Architecture: "arm64", Results: []analysis.PowerResult{{Power: 128}}}); len(one) != 1 || one[0].Architecture != "arm64" {
		t.Errorf("rows without an architecture are the function's: %+v", one)
	}
	if _, err := RenderHTML(rep); err != nil {
		t.Errorf("RenderHTML with two architectures: %v", err)
	}
}
