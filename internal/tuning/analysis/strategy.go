package analysis

import "cmp"

// SelectOptimal picks the optimum among results that are not Failed and have
// at least one successful measurement. ok is false when none qualifies.
// Retired results (adaptive sampling) count in the balanced normalisation,
// as they did in the race, but cannot be chosen.
//
//   - cost: lowest AverageCost; ties go to the lower AverageDuration, then
//     to the lower power.
//   - speed: lowest AverageDuration; ties go to the lower AverageCost, then
//     to the lower power.
//   - balanced: lowest w·cost/maxCost + (1−w)·duration/maxDuration over the
//     qualifying results (a term whose maximum is 0 counts as 0); ties go to
//     the lower cost, then the lower duration, then the lower power.
//
// Any other strategy, including "", is cost.
func SelectOptimal(results []PowerResult, strategy Strategy, balancedWeight float64) (best PowerResult, ok bool) {
	candidates := make([]PowerResult, 0, len(results))
	for _, r := range results {
		if !r.Failed && r.Invocations-r.Errors > 0 {
			candidates = append(candidates, r)
		}
	}
	if len(candidates) == 0 {
		return PowerResult{}, false
	}
	compare := strategyComparator(strategy, balancedWeight, candidates)
	for _, r := range candidates {
		if !r.Retired && (!ok || compare(r, best) < 0) {
			best, ok = r, true
		}
	}
	return best, ok
}

// strategyComparator orders results best first for strategy.
func strategyComparator(strategy Strategy, weight float64, candidates []PowerResult) func(a, b PowerResult) int {
	switch strategy {
	case StrategySpeed:
		return func(a, b PowerResult) int {
			return cmp.Or(
				cmp.Compare(a.AverageDuration, b.AverageDuration),
				cmp.Compare(a.AverageCost, b.AverageCost),
				cmp.Compare(a.Power, b.Power))
		}
	case StrategyBalanced:
		score := balancedScore(weight, candidates)
		return func(a, b PowerResult) int {
			return cmp.Or(
				cmp.Compare(score(a), score(b)),
				cmp.Compare(a.AverageCost, b.AverageCost),
				cmp.Compare(a.AverageDuration, b.AverageDuration),
				cmp.Compare(a.Power, b.Power))
		}
	default:
		return func(a, b PowerResult) int {
			return cmp.Or(
				cmp.Compare(a.AverageCost, b.AverageCost),
				cmp.Compare(a.AverageDuration, b.AverageDuration),
				cmp.Compare(a.Power, b.Power))
		}
	}
}

// balancedScore normalises cost and duration by their maxima among the
// candidates so that the weight trades comparable quantities.
func balancedScore(weight float64, candidates []PowerResult) func(PowerResult) float64 {
	var maxCost, maxDuration float64
	for _, r := range candidates {
		maxCost = max(maxCost, r.AverageCost)
		maxDuration = max(maxDuration, r.AverageDuration)
	}
	ratio := func(v, maxV float64) float64 {
		if maxV <= 0 {
			return 0
		}
		return v / maxV
	}
	return func(r PowerResult) float64 {
		return weight*ratio(r.AverageCost, maxCost) + (1-weight)*ratio(r.AverageDuration, maxDuration)
	}
}
