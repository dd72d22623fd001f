package analysis

import (
	"math"
	"testing"
)

func TestCompareWithBaseline(t *testing.T) {
	results := []PowerResult{
		{Power: 128, AverageCost: 2e-6, AverageDuration: 800},
		{Power: 512, AverageCost: 1.25e-6, AverageDuration: 100},
		{Power: 1024, AverageCost: 1.2e-6, AverageDuration: 62},
		{Power: 3008, Failed: true, FailureReason: "quota"},
	}
	optimal := results[2]
	tests := []struct {
		name          string
		baseline      int32
		ok            bool
		cost, duation float64
	}{
		{"measured baseline", 512, true, 0.96, 0.62},
		{"baseline is the optimum", 1024, true, 1, 1},
		{"baseline not measured", 2048, false, 0, 0},
		{"baseline failed", 3008, false, 0, 0},
		{"no baseline known", 0, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CompareWithBaseline(results, optimal, tt.baseline)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if got.BaselinePower != tt.baseline || got.OptimalPower != 1024 {
				t.Errorf("powers = %d/%d, want %d/1024", got.BaselinePower, got.OptimalPower, tt.baseline)
			}
			if math.Abs(got.CostRatio-tt.cost) > 1e-9 || math.Abs(got.DurationRatio-tt.duation) > 1e-9 {
				t.Errorf("ratios = cost %v, duration %v; want %v, %v", got.CostRatio, got.DurationRatio, tt.cost, tt.duation)
			}
		})
	}
}
