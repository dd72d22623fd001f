package analysis_test

import (
	"math"
	"slices"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

func TestTrimmedMean(t *testing.T) {
	squares := make([]float64, 100) // skewed, so dropping 28 or 29 changes the mean
	for i := range squares {
		squares[i] = float64((i + 1) * (i + 1))
	}
	tests := []struct {
		name    string
		values  []float64
		discard float64
		want    float64
	}{
		{name: "empty", values: nil, discard: 0.2, want: 0},
		{name: "one value", values: []float64{7}, discard: 0.2, want: 7},
		{name: "no discard is the plain mean", values: []float64{1, 2, 3, 10}, discard: 0, want: 4},
		{name: "drops floor(10*0.2)=2 from each end of unsorted input", values: []float64{1000, 3, 8, 1, 5, 4, 7, 2, 6, 900}, discard: 0.2, want: 5.5},
		{name: "floor: 9*0.2=1.8 drops 1 from each end", values: []float64{100, 1, 2, 3, 4, 5, 6, 7, -100}, discard: 0.2, want: 4},
		{name: "4 values at 0.2 drop nothing", values: []float64{1, 2, 3, 10}, discard: 0.2, want: 4},
		// 100*0.29 is 28.999999999999996 in float64; keeping 30²..71² gives 113281/42.
		{name: "0.29 of 100 drops 29 despite float rounding", values: squares, discard: 0.29, want: 113281.0 / 42},
		{name: "0.4 keeps the middle 20%", values: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 1000}, discard: 0.4, want: 5.5},
		{name: "an out-of-range discard still keeps a value", values: []float64{1, 2, 30}, discard: 0.9, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.values)
			got := analysis.TrimmedMean(tt.values, tt.discard)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("TrimmedMean(%v, %v) = %v, want %v", tt.values, tt.discard, got, tt.want)
			}
			if !slices.Equal(before, tt.values) {
				t.Errorf("TrimmedMean reordered its input: %v", tt.values)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	// Nearest rank on 10 values: the ceil(p/100*10)-th smallest.
	values := []float64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}
	tests := []struct {
		values []float64
		p      float64
		want   float64
	}{
		{values, 0, 1},
		{values, 10, 1},
		{values, 11, 2},
		{values, 50, 5},
		{values, 90, 9},
		{values, 99, 10},
		{values, 100, 10},
		{[]float64{42}, 99, 42},
		{[]float64{1, 2}, 50, 1},
		{[]float64{1, 2}, 51, 2},
		{nil, 50, 0},
	}
	for _, tt := range tests {
		before := slices.Clone(tt.values)
		if got := analysis.Percentile(tt.values, tt.p); got != tt.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tt.values, tt.p, got, tt.want)
		}
		if !slices.Equal(before, tt.values) {
			t.Errorf("Percentile reordered its input: %v", tt.values)
		}
	}
}
