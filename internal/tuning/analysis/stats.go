package analysis

import (
	"math"
	"slices"
)

// trimEpsilon absorbs binary rounding in n·discard (0.29·100 is
// 28.999999999999996 in float64) so the count dropped is the one a person
// would compute.
const trimEpsilon = 1e-9

// TrimmedMean sorts a copy of values, drops floor(n*discard) from each end
// and averages the rest. Empty input gives 0. At least one value is always
// kept, whatever discard is.
func TrimmedMean(values []float64, discard float64) float64 {
	n := len(values)
	if n == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(values))
	drop := trimCount(n, discard)
	kept := sorted[drop : n-drop]
	var sum float64
	for _, v := range kept {
		sum += v
	}
	return sum / float64(len(kept))
}

// trimCount is how many values TrimmedMean drops from each end of n.
func trimCount(n int, discard float64) int {
	if discard <= 0 || math.IsNaN(discard) {
		return 0
	}
	drop := int(math.Floor(float64(n)*discard + trimEpsilon))
	if maxDrop := (n - 1) / 2; drop > maxDrop {
		drop = maxDrop
	}
	return drop
}

// Percentile returns the p-th percentile (0..100, nearest-rank) of values.
// Nearest-rank: the smallest value such that at least p% of the values are
// less than or equal to it, i.e. the ceil(p/100·n)-th smallest (the smallest
// for p <= 0, the largest for p >= 100). It never interpolates, so the result
// is always one of the measured values. Empty input gives 0.
func Percentile(values []float64, p float64) float64 {
	n := len(values)
	if n == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(values))
	rank := int(math.Ceil(p/100*float64(n) - trimEpsilon))
	switch {
	case rank < 1 || math.IsNaN(p):
		rank = 1
	case rank > n:
		rank = n
	}
	return sorted[rank-1]
}
