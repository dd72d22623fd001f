package analysis_test

import (
	"math"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// FitCurve recovers the parts of durations made exactly as the model says,
// the vCPU limit included, from any set of sizes.
func TestFitCurveRecoversTheModel(t *testing.T) {
	for _, tt := range []struct {
		name   string
		want   analysis.Curve
		powers []int32
	}{
		{"cpu-bound", analysis.Curve{FixedMs: 20, CPUMs: 400, LimitMB: analysis.MBPerVCPU}, []int32{128, 256, 512, 1024, 2048, 3008}},
		{"io-bound", analysis.Curve{FixedMs: 300, CPUMs: 10, LimitMB: analysis.MBPerVCPU}, []int32{128, 512, 1024, 2048, 3008}},
		{"three threads", analysis.Curve{FixedMs: 5, CPUMs: 1500, LimitMB: 3 * analysis.MBPerVCPU}, []int32{512, 1024, 2048, 4096, 6144, 8192}},
		{"gains everywhere", analysis.Curve{FixedMs: 5, CPUMs: 900}, []int32{128, 256, 512, 1024, 1536}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var points []analysis.CurvePoint
			for _, p := range tt.powers {
				points = append(points, analysis.CurvePoint{Memory: p, Value: tt.want.At(p), Weight: 1 / (tt.want.At(p) * tt.want.At(p))})
			}
			got, ok := analysis.FitCurve(points)
			if !ok {
				t.Fatal("no curve fitted")
			}
			if math.Abs(got.FixedMs-tt.want.FixedMs) > 0.01 || math.Abs(got.CPUMs-tt.want.CPUMs) > 0.01 {
				t.Errorf("fitted %+v, want %+v", got, tt.want)
			}
			for _, p := range tt.powers {
				if math.Abs(got.At(p)-tt.want.At(p)) > 0.01 {
					t.Errorf("at %d MB: %g, want %g", p, got.At(p), tt.want.At(p))
				}
			}
		})
	}
}

// Both parts stay non-negative: durations that grow with memory are all
// fixed time; too few sizes give no curve.
func TestFitCurveKeepsItsPartsPhysical(t *testing.T) {
	got, ok := analysis.FitCurve([]analysis.CurvePoint{{Memory: 512, Value: 100, Weight: 1}, {Memory: 1024, Value: 110, Weight: 1}, {Memory: 2048, Value: 120, Weight: 1}})
	if !ok || got.CPUMs != 0 || math.Abs(got.FixedMs-110) > 1e-9 {
		t.Errorf("growing durations: %+v, %v; want all 110 ms fixed", got, ok)
	}
	if _, ok := analysis.FitCurve([]analysis.CurvePoint{{Memory: 512, Value: 100, Weight: 1}, {Memory: 1024, Value: 60, Weight: 1}}); ok {
		t.Error("fitted a curve through two sizes")
	}
	if _, ok := analysis.FitCurve([]analysis.CurvePoint{{Memory: 512, Value: 100, Weight: 1}, {Memory: 512, Value: 90, Weight: 1}, {Memory: 1024, Value: 60, Weight: 1}}); ok {
		t.Error("fitted a curve through two distinct sizes")
	}
}

// Failed rows are left out of the results' curve.
func TestFitResultsCurveSkipsFailedRows(t *testing.T) {
	want := analysis.Curve{FixedMs: 30, CPUMs: 600, LimitMB: analysis.MBPerVCPU}
	var results []analysis.PowerResult
	for _, p := range []int32{256, 512, 1024, 2048, 3008} {
		results = append(results, analysis.PowerResult{Power: p, AverageDuration: want.At(p), Invocations: 10})
	}
	results = append(results, analysis.PowerResult{Power: 128, AverageDuration: 99999, Invocations: 1, Failed: true})
	got, ok := analysis.FitResultsCurve(results)
	if !ok || math.Abs(got.At(128)-want.At(128)) > 0.01 {
		t.Errorf("curve %+v (%v), at 128 MB %g; want %g, the failed row ignored", got, ok, got.At(128), want.At(128))
	}
}
