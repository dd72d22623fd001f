package analysis_test

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// measured is a successful result with the given figures.
func measured(power int32, cost, duration float64) analysis.PowerResult {
	return analysis.PowerResult{Power: power, AverageCost: cost, AverageDuration: duration, Invocations: 10}
}

func TestSelectOptimal(t *testing.T) {
	// A typical CPU-bound curve: more memory is faster, cheapest in the middle.
	curve := []analysis.PowerResult{
		measured(128, 0.0000030, 1400),
		measured(256, 0.0000026, 600),
		measured(512, 0.0000027, 310),
		measured(1024, 0.0000040, 230),
		measured(2048, 0.0000075, 220),
	}
	failedCheapest := analysis.PowerResult{Power: 64, AverageCost: 0.0000001, AverageDuration: 1, Invocations: 10, Failed: true, FailureReason: "timeout"}
	onlyErrors := analysis.PowerResult{Power: 96, Invocations: 5, Errors: 5}

	tests := []struct {
		name      string
		results   []analysis.PowerResult
		strategy  analysis.Strategy
		weight    float64
		wantPower int32
		wantOK    bool
	}{
		{name: "cost", results: curve, strategy: analysis.StrategyCost, wantPower: 256, wantOK: true},
		{name: "empty strategy is cost", results: curve, strategy: "", wantPower: 256, wantOK: true},
		{name: "speed", results: curve, strategy: analysis.StrategySpeed, wantPower: 2048, wantOK: true},
		{name: "balanced weight 1 is cost", results: curve, strategy: analysis.StrategyBalanced, weight: 1, wantPower: 256, wantOK: true},
		{name: "balanced weight 0 is speed", results: curve, strategy: analysis.StrategyBalanced, weight: 0, wantPower: 2048, wantOK: true},
		// 0.5·c/0.0000075 + 0.5·d/1400: 128→.700 256→.387 512→.291 1024→.349 2048→.579.
		{name: "balanced 0.5", results: curve, strategy: analysis.StrategyBalanced, weight: 0.5, wantPower: 512, wantOK: true},
		// 0.2·c/0.0000075 + 0.8·d/1400: 512→.249 1024→.238 2048→.326.
		{name: "balanced 0.2 leans to speed", results: curve, strategy: analysis.StrategyBalanced, weight: 0.2, wantPower: 1024, wantOK: true},
		{
			name: "cost tie goes to the faster", strategy: analysis.StrategyCost, wantPower: 512, wantOK: true,
			results: []analysis.PowerResult{measured(256, 0.000002, 90), measured(512, 0.000002, 45), measured(1024, 0.000003, 20)},
		},
		{
			name: "cost tie with equal duration goes to the lower power", strategy: analysis.StrategyCost, wantPower: 256, wantOK: true,
			results: []analysis.PowerResult{measured(512, 0.000002, 45), measured(256, 0.000002, 45)},
		},
		{
			name: "speed tie goes to the cheaper", strategy: analysis.StrategySpeed, wantPower: 2048, wantOK: true,
			results: []analysis.PowerResult{measured(1024, 0.000004, 20), measured(2048, 0.000003, 20), measured(512, 0.000002, 45)},
		},
		{
			name: "speed tie with equal cost goes to the lower power", strategy: analysis.StrategySpeed, wantPower: 1024, wantOK: true,
			results: []analysis.PowerResult{measured(2048, 0.000003, 20), measured(1024, 0.000003, 20)},
		},
		{
			name: "balanced tie goes to the cheaper", strategy: analysis.StrategyBalanced, weight: 0.5, wantPower: 512, wantOK: true,
			// 256: .5·1 + .5·.5 = .75; 512: .5·.5 + .5·1 = .75.
			results: []analysis.PowerResult{measured(256, 0.000004, 50), measured(512, 0.000002, 100)},
		},
		{
			name: "balanced weight 1 with equal costs goes to the faster", strategy: analysis.StrategyBalanced, weight: 1, wantPower: 1024, wantOK: true,
			results: []analysis.PowerResult{measured(512, 0.000002, 45), measured(1024, 0.000002, 20), measured(2048, 0.000002, 20)},
		},
		{
			name: "balanced with every figure 0 does not divide by zero", strategy: analysis.StrategyBalanced, weight: 0.5, wantPower: 128, wantOK: true,
			results: []analysis.PowerResult{measured(256, 0, 0), measured(128, 0, 0)},
		},
		{
			name: "failed and error-only results are left out", strategy: analysis.StrategyCost, wantPower: 256, wantOK: true,
			results: append([]analysis.PowerResult{failedCheapest, onlyErrors}, curve...),
		},
		{
			name: "failed results do not set the balanced maxima", strategy: analysis.StrategyBalanced, weight: 0.5, wantPower: 512, wantOK: true,
			results: append([]analysis.PowerResult{{Power: 10240, AverageCost: 1, AverageDuration: 1e6, Invocations: 10, Failed: true}}, curve...),
		},
		{name: "nothing qualifies", results: []analysis.PowerResult{failedCheapest, onlyErrors}, strategy: analysis.StrategySpeed, wantOK: false},
		{name: "no results", results: nil, strategy: analysis.StrategyCost, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			best, ok := analysis.SelectOptimal(tt.results, tt.strategy, tt.weight)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && best.Power != tt.wantPower {
				t.Errorf("optimal power = %d, want %d", best.Power, tt.wantPower)
			}
			if !ok && best != (analysis.PowerResult{}) {
				t.Errorf("best = %+v, want the zero value when nothing qualifies", best)
			}
		})
	}
}
