package analysis_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

func TestAnalyze(t *testing.T) {
	price := analysis.Price{PerGBSecond: 0.0000166667, PerRequest: 0.0000002, Currency: "USD"}
	// Ten invocations at 256 MB: one cold start, one slow outlier.
	durations := []float64{210.4, 10.1, 10.3, 9.9, 10.0, 10.2, 10.4, 9.8, 55.0, 10.6}
	billed := []float64{211, 11, 11, 10, 10, 11, 11, 10, 55, 11}
	ms := make([]analysis.Measurement, len(durations))
	for i := range ms {
		ms[i] = analysis.Measurement{DurationMs: durations[i], BilledDurationMs: billed[i], MemorySizeMB: 256, Status: "success"}
	}

	got := analysis.Analyze(256, ms, 2, price, 0.2)

	// Sorted durations: 9.8 9.9 10.0 10.1 10.2 10.3 10.4 10.6 55.0 210.4; drop 2 each end.
	wantDuration := (10.0 + 10.1 + 10.2 + 10.3 + 10.4 + 10.6) / 6
	// Sorted billed: 10 10 10 11 11 11 11 11 55 211; keep 10 11 11 11 11 11 = 65/6 = 10.83 → 11 ms.
	wantCost := 0.011*0.25*0.0000166667 + 0.0000002
	var wantTotal float64
	for _, b := range billed {
		wantTotal += b/1000*0.25*0.0000166667 + 0.0000002
	}
	if got.Power != 256 || got.Invocations != 12 || got.Errors != 2 || got.Failed {
		t.Errorf("power/invocations/errors/failed = %d/%d/%d/%v, want 256/12/2/false", got.Power, got.Invocations, got.Errors, got.Failed)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"AverageDuration", got.AverageDuration, analysis.RoundDuration(wantDuration)}, // reported to 0.01 ms,
		{"AverageCost", got.AverageCost, wantCost},
		{"TotalCost", got.TotalCost, wantTotal},
		{"P50Duration", got.P50Duration, 10.2},
		{"P90Duration", got.P90Duration, 55.0},
		{"P99Duration", got.P99Duration, 210.4},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-12*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestAnalyzeDiscardZeroKeepsColdStarts(t *testing.T) {
	price := analysis.Price{PerGBSecond: 0.0000166667, PerRequest: 0.0000002}
	ms := []analysis.Measurement{
		{DurationMs: 300, BilledDurationMs: 300}, {DurationMs: 100, BilledDurationMs: 100},
		{DurationMs: 200, BilledDurationMs: 200}, {DurationMs: 400, BilledDurationMs: 400},
		{DurationMs: 500, BilledDurationMs: 500},
	}
	got := analysis.Analyze(1024, ms, 0, price, 0)
	if got.AverageDuration != 300 {
		t.Errorf("AverageDuration = %v, want the plain mean 300", got.AverageDuration)
	}
	if want := 0.3*0.0000166667 + 0.0000002; !closeTo(got.AverageCost, want) {
		t.Errorf("AverageCost = %v, want %v", got.AverageCost, want)
	}
}

func TestAnalyzeWithoutMeasurements(t *testing.T) {
	got := analysis.Analyze(128, nil, 5, analysis.Price{PerGBSecond: 1, PerRequest: 1}, 0.2)
	want := analysis.PowerResult{Power: 128, Invocations: 5, Errors: 5}
	if got != want {
		t.Errorf("Analyze with only errors = %+v, want %+v", got, want)
	}
}

// Reported figures read as measured: durations to 0.01 ms, costs to 12
// significant digits, whatever binary floating point makes of the sums.
func TestAnalyzeRoundsFigures(t *testing.T) {
	ms := []analysis.Measurement{{DurationMs: 300.1, BilledDurationMs: 301}, {DurationMs: 300.7, BilledDurationMs: 301}, {DurationMs: 301, BilledDurationMs: 302}}
	r := analysis.Analyze(1024, ms, 0, analysis.Price{PerGBSecond: 0.0000166667, PerRequest: 0.0000002}, 0)
	for name, v := range map[string]float64{"average_duration": r.AverageDuration, "p50": r.P50Duration, "p90": r.P90Duration, "p99": r.P99Duration} {
		if s := strconv.FormatFloat(v, 'f', -1, 64); len(s) > len("300.60") || v != analysis.RoundDuration(v) {
			t.Errorf("%s = %s, want at most two decimals", name, s)
		}
	}
	for name, v := range map[string]float64{"average_cost": r.AverageCost, "total_cost": r.TotalCost} {
		digits := strings.TrimLeft(strings.ReplaceAll(strconv.FormatFloat(v, 'e', -1, 64), ".", ""), "0")
		if mantissa, _, _ := strings.Cut(digits, "e"); len(mantissa) > 12 {
			t.Errorf("%s = %v has %d significant digits, want at most 12", name, v, len(mantissa))
		}
	}
	if got := analysis.RoundDuration(300.59999999999997); strconv.FormatFloat(got, 'f', -1, 64) != "300.6" {
		t.Errorf("RoundDuration(300.59999999999997) = %v, want 300.6", got)
	}
	if got := analysis.RoundCost(0.000012012523625000001); got != 0.000012012523625 {
		t.Errorf("RoundCost(0.000012012523625000001) = %v, want 1.2012523625e-05", got)
	}
}
