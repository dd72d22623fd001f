package analysis_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

func TestUpstreamOutput(t *testing.T) {
	results := []analysis.PowerResult{
		{Power: 512, AverageCost: 0.0000027, AverageDuration: 310.5, TotalCost: 0.000028, Invocations: 10},
		{Power: 128, AverageCost: 0.000003, AverageDuration: 1400, TotalCost: 0.00003, Invocations: 10},
		{Power: 64, Failed: true, FailureReason: "timeout", Invocations: 10, Errors: 10},
	}
	const viz = "https://lambda-power-analysis.show/?currency=CNY&x=1#gAA=;AACAPw==;AAAAQA=="
	tests := []struct {
		name         string
		includeStats bool
		want         string
	}{
		{
			name: "without stats",
			want: `{"power":512,"cost":0.0000027,"duration":310.5,"stateMachine":{"executionCost":0,"lambdaCost":0.000058,"visualization":"` + viz + `"}}`,
		},
		{
			name:         "with stats sorted by power, failed left out",
			includeStats: true,
			want: `{"power":512,"cost":0.0000027,"duration":310.5,"stateMachine":{"executionCost":0,"lambdaCost":0.000058,"visualization":"` + viz + `"},` +
				`"stats":[{"averagePrice":0.000003,"averageDuration":1400,"totalCost":0.00003,"value":128},{"averagePrice":0.0000027,"averageDuration":310.5,"totalCost":0.000028,"value":512}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := analysis.UpstreamOutput(results[0], 0.000058, viz, results, tt.includeStats)
			if !json.Valid([]byte(got)) {
				t.Fatalf("output is not JSON: %s", got)
			}
			// Exact text: key order is the original tool's, for people diffing outputs.
			if got != tt.want {
				t.Errorf("output =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestUpstreamOutputEmptyStats(t *testing.T) {
	failed := []analysis.PowerResult{{Power: 128, Failed: true}}
	got := analysis.UpstreamOutput(analysis.PowerResult{}, 0, "u", failed, true)
	const want = `{"power":0,"cost":0,"duration":0,"stateMachine":{"executionCost":0,"lambdaCost":0,"visualization":"u"},"stats":[]}`
	if got != want {
		t.Errorf("output = %s, want %s", got, want)
	}
}

func TestUpstreamOutputNonFinite(t *testing.T) {
	// JSON cannot hold NaN or Inf; the output must stay a valid document.
	got := analysis.UpstreamOutput(analysis.PowerResult{Power: 128, AverageCost: math.Inf(1), AverageDuration: math.NaN()}, math.NaN(), "u", nil, false)
	const want = `{"power":128,"cost":0,"duration":0,"stateMachine":{"executionCost":0,"lambdaCost":0,"visualization":"u"}}`
	if got != want {
		t.Errorf("output = %s, want %s", got, want)
	}
}
