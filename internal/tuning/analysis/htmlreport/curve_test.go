package htmlreport

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// curveReport is an adaptive run of a CPU-bound function: durations on
// the model's curve, two sizes retired, one of them placed by the curve.
func curveReport() Report {
	model := analysis.Curve{FixedMs: 25, CPUMs: 700, LimitMB: analysis.MBPerVCPU}
	r := Report{FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:resize", Region: "us-east-1", Currency: "USD",
		Strategy: analysis.StrategySpeed, OptimalPower: 2048, ChartURL: chartURL}
	s := Series{Architecture: "x86_64"}
	for _, p := range []int32{128, 256, 512, 1024, 1536, 2048, 3008} {
		res := result(p, model.At(p), float64(p)*model.At(p)*1.6e-8)
		res.Sampling = analysis.SampledMeasured
		switch p {
		case 128:
			res.Retired, res.BehindBy, res.Invocations, res.Sampling = true, 6.1, 5, analysis.SampledPredicted
		case 256:
			res.Retired, res.BehindBy, res.Invocations, res.Sampling = true, 2.9, 10, analysis.SampledRetired
		}
		s.Results = append(s.Results, res)
	}
	r.Series = []Series{s}
	return r
}

// The fitted curve passes through the duration markers of a function that
// follows the model, bends once, and says what it is; the size the curve
// placed is drawn as predicted, the other retired one is not.
func TestChartDrawsTheFittedCurveAndPredictedSizes(t *testing.T) {
	doc, _ := render(t, curveReport())
	paths := doc.all(func(n *node) bool { return n.name == "path" && n.class("curve") })
	if len(paths) != 1 {
		t.Fatalf("%d curves drawn, want 1", len(paths))
	}
	curve := pathPoints(t, paths[0].attrs["d"])
	for _, p := range plottedPoints(t, doc, "duration") {
		i := slices.IndexFunc(curve, func(c [2]float64) bool { return math.Abs(c[0]-p.x) < 6 })
		if i < 0 {
			t.Errorf("the curve does not reach %d MB (x %.1f)", p.power, p.x)
			continue
		}
		if math.Abs(curve[i][1]-p.y) > 6 {
			t.Errorf("at %d MB the curve is at y %.1f, the marker at %.1f", p.power, curve[i][1], p.y)
		}
	}
	if title := textOf(paths[0]); !strings.Contains(title, "no faster above 1769 MB") {
		t.Errorf("curve title %q does not name the limit", title)
	}

	var predicted []string
	for _, p := range doc.all(func(n *node) bool { return n.class("point") && n.class("predicted") }) {
		predicted = append(predicted, p.attrs["data-power"])
		if !strings.Contains(textOf(p), "the fitted curve placed it 610 % behind the leader") {
			t.Errorf("predicted marker's title %q does not say the curve placed it", textOf(p))
		}
	}
	if !slices.Equal(predicted, []string{"128"}) {
		t.Errorf("predicted markers for %v MB, want 128 MB only", predicted)
	}
	legend := textOf(doc.all(func(n *node) bool { return n.name == "g" && n.class("legend") })[0])
	for _, want := range []string{"fitted duration curve", "placed behind by the curve", "retired by adaptive sampling"} {
		if !strings.Contains(legend, want) {
			t.Errorf("the legend lacks %q: %q", want, legend)
		}
	}
}

// Too few sizes, or every size failed: no curve, and no legend entry for one.
func TestChartDrawsNoCurveWithoutEnoughSizes(t *testing.T) {
	r := curveReport()
	r.Series[0].Results = r.Series[0].Results[:2]
	doc, _ := render(t, r)
	if n := len(doc.all(func(n *node) bool { return n.class("curve") })); n != 0 {
		t.Errorf("%d curves drawn through two sizes", n)
	}
	if legend := textOf(doc.all(func(n *node) bool { return n.name == "g" && n.class("legend") })[0]); strings.Contains(legend, "fitted") {
		t.Errorf("the legend names a curve that is not drawn: %q", legend)
	}
}

// pathPoints reads "M x y L x y …".
func pathPoints(t *testing.T, d string) [][2]float64 {
	t.Helper()
	var out [][2]float64
	fields := strings.Fields(d)
	for i := 0; i+1 < len(fields); i += 2 {
		x, err := strconv.ParseFloat(strings.TrimLeft(fields[i], "ML"), 64)
		if err != nil {
			t.Fatalf("path %q: %v", d, err)
		}
		out = append(out, [2]float64{x, number(t, fields[i+1])})
	}
	return out
}
