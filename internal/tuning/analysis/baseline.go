package analysis

// Comparison is the optimum measured against the memory size the function
// had before the run (its baseline). Ratios are optimum / baseline: a cost
// ratio of 0.96 is 4 % cheaper, a duration ratio of 0.62 is 38 % faster.
type Comparison struct {
	BaselinePower int32
	OptimalPower  int32
	CostRatio     float64
	DurationRatio float64
}

// CompareWithBaseline compares optimal with the measurement at
// baselinePower. It reports false when there is nothing to compare with: the
// baseline was not among the measured sizes, failed, or has no figures.
func CompareWithBaseline(results []PowerResult, optimal PowerResult, baselinePower int32) (Comparison, bool) {
	for _, r := range results {
		if r.Power != baselinePower {
			continue
		}
		if r.Failed || !(r.AverageCost > 0) || !(r.AverageDuration > 0) {
			return Comparison{}, false
		}
		return Comparison{
			BaselinePower: baselinePower,
			OptimalPower:  optimal.Power,
			CostRatio:     optimal.AverageCost / r.AverageCost,
			DurationRatio: optimal.AverageDuration / r.AverageDuration,
		}, true
	}
	return Comparison{}, false
}
