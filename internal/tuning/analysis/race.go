package analysis

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// Adaptive sampling ("sampling = adaptive") judges a race between power
// values after each round of invocations. The method: a percentile bootstrap
// of the same trimmed means the final analysis reports. Each resample draws
// every entrant's measurements with replacement and recomputes its
// trimmed-mean cost and duration; for the balanced strategy they are
// normalised by the maxima of the entrants' estimates, as SelectOptimal
// normalises them (fixed, so that the noise of the slowest or dearest
// entrant does not widen every interval alike). The RaceConfidence central
// share of the resampled values is the entrant's interval for the quantity
// the strategy ranks; the same share of the resampled differences from the
// leader (resamples paired by draw) is the interval of how far behind the
// leader the entrant is. A power value is retired once that interval lies
// wholly behind the leader.
const (
	// RaceConfidence is the confidence level of each interval.
	RaceConfidence = 0.95
	// RaceResamples is how many bootstrap resamples one judgement draws.
	RaceResamples = 400
	// RaceMinSettle is the fewest measurements each remaining entrant needs
	// before the race can settle on practical equality: a bootstrap of five
	// trimmed values is too narrow to vouch for a near tie.
	RaceMinSettle = 10
	// DefaultAdaptiveTolerance is the relative difference under which the
	// power values still in the race count as practically equal.
	DefaultAdaptiveTolerance = 0.05
)

// RaceSettings are the analysis inputs a judgement needs.
type RaceSettings struct {
	Strategy  Strategy
	Weight    float64 // balanced weight
	Discard   float64 // discard_top_bottom, as for Analyze
	Price     Price
	Tolerance float64 // adaptive_tolerance
}

// RaceEntrant is one power value's measurements so far. Retired entrants
// still count in the balanced normalisation, as they do in the final
// analysis, but are not judged again.
type RaceEntrant struct {
	Power        int32
	Measurements []Measurement
	InRace       bool
}

// Interval is an entrant's estimate of the ranked quantity (lower is
// better) and its bootstrap interval, and the interval of how far behind
// the leader it is, relative to the leader's estimate (0 for the leader).
type Interval struct {
	Power      int32
	Estimate   float64
	Low        float64
	High       float64
	BehindLow  float64
	BehindHigh float64
}

// RaceVerdict is the outcome of one judgement.
type RaceVerdict struct {
	Leader    int32      // the in-race entrant with the best estimate
	Intervals []Interval // the in-race entrants with measurements, in input order
	// Retired maps each power value retired by this judgement to how far
	// behind the leader it was: (estimate − leader's) / leader's.
	Retired map[int32]float64
	// Settled: one entrant remains, or no remaining one can beat the leader
	// by more than Tolerance.
	Settled bool
}

// JudgeRace retires every in-race entrant whose interval of how far behind
// the leader it is lies wholly above zero, and says whether the race is
// settled: one remains, or none of the remaining can be better than the
// leader by more than Tolerance (each one's interval starts at −Tolerance
// or above), so choosing the leader is within the tolerance of the best. Entrants without
// measurements are neither judged nor retired. rng is the only source of
// randomness; the verdict does not depend on the order of each entrant's
// measurements.
func JudgeRace(s RaceSettings, entrants []RaceEntrant, rng *rand.Rand) RaceVerdict {
	samples := make([]raceSample, 0, len(entrants))
	for _, e := range entrants {
		if len(e.Measurements) > 0 {
			samples = append(samples, newRaceSample(e, s.Discard))
		}
	}
	v := RaceVerdict{Retired: map[int32]float64{}}
	if len(samples) == 0 {
		v.Settled = true
		return v
	}

	point := make([]costDuration, len(samples))
	for i := range samples {
		point[i] = samples[i].estimate(s.Price)
	}
	rank := rankedQuantity(s, point)
	estimates := make([]float64, len(point))
	for i, cd := range point {
		estimates[i] = rank(cd)
	}

	resampled := make([][]float64, len(samples))
	for range RaceResamples {
		for i := range samples {
			resampled[i] = append(resampled[i], rank(samples[i].resample(s.Price, rng)))
		}
	}

	leader := -1
	for i, smp := range samples {
		if !smp.inRace {
			continue
		}
		lo, hi := percentileInterval(resampled[i], RaceConfidence)
		v.Intervals = append(v.Intervals, Interval{Power: smp.power, Estimate: estimates[i], Low: lo, High: hi})
		if leader < 0 || estimates[i] < estimates[leader] {
			leader = i
		}
	}
	if leader < 0 {
		v.Settled = true
		return v
	}
	v.Leader = samples[leader].power

	remaining := 0
	equal := true
	k := 0 // index into v.Intervals
	for i, smp := range samples {
		if !smp.inRace {
			continue
		}
		iv := &v.Intervals[k]
		k++
		if i == leader {
			remaining++
			continue
		}
		iv.BehindLow, iv.BehindHigh = behindInterval(resampled[i], resampled[leader], estimates[leader])
		if iv.BehindLow > 0 {
			v.Retired[smp.power] = relativeBehind(iv.Estimate, estimates[leader])
			continue
		}
		remaining++
		if iv.BehindLow < -s.Tolerance || len(smp.duration) < RaceMinSettle || len(samples[leader].duration) < RaceMinSettle {
			equal = false // it may still beat the leader by more than the tolerance
		}
	}
	v.Settled = remaining == 1 || equal
	return v
}

// behindInterval is the RaceConfidence interval of how far behind the
// leader an entrant is, relative to the leader's estimate, from resamples
// drawn in step (resample b of both comes from the same judgement round).
func behindInterval(entrant, leader []float64, leaderEstimate float64) (lo, hi float64) {
	if leaderEstimate <= 0 {
		return 0, 0
	}
	diffs := make([]float64, len(entrant))
	for b := range entrant {
		diffs[b] = (entrant[b] - leader[b]) / leaderEstimate
	}
	return percentileInterval(diffs, RaceConfidence)
}

func relativeBehind(v, best float64) float64 {
	if best <= 0 {
		return 0
	}
	return (v - best) / best
}

// costDuration is an entrant's average cost and duration.
type costDuration struct{ cost, duration float64 }

// rankedQuantity is what the strategy ranks (lower is better); balanced
// normalises by the maxima of estimates, as balancedScore does.
func rankedQuantity(s RaceSettings, estimates []costDuration) func(costDuration) float64 {
	switch s.Strategy {
	case StrategySpeed:
		return func(cd costDuration) float64 { return cd.duration }
	case StrategyBalanced:
		results := make([]PowerResult, len(estimates))
		for i, cd := range estimates {
			results[i] = PowerResult{AverageCost: cd.cost, AverageDuration: cd.duration}
		}
		score := balancedScore(s.Weight, results)
		return func(cd costDuration) float64 {
			return score(PowerResult{AverageCost: cd.cost, AverageDuration: cd.duration})
		}
	default:
		return func(cd costDuration) float64 { return cd.cost }
	}
}

// percentileInterval is the central share conf of values (nearest rank).
func percentileInterval(values []float64, conf float64) (lo, hi float64) {
	tail := (1 - conf) / 2 * 100
	return Percentile(values, tail), Percentile(values, 100-tail)
}

// raceSample is one entrant's measurements, sorted by each figure so that a
// resample's trimmed means take O(n).
type raceSample struct {
	power    int32
	inRace   bool
	discard  float64
	duration []float64 // ascending
	billed   []float64 // ascending
	// byDuration[k] and byBilled[k] are the measurement (index into the
	// canonical order) holding the k-th smallest duration and billed duration.
	byDuration, byBilled []int
	counts               []int // scratch: how often a resample drew each measurement
}

func newRaceSample(e RaceEntrant, discard float64) raceSample {
	ms := slices.Clone(e.Measurements)
	// A canonical order, so the verdict does not depend on arrival order.
	slices.SortFunc(ms, func(a, b Measurement) int {
		return cmp.Or(cmp.Compare(a.DurationMs, b.DurationMs), cmp.Compare(a.BilledDurationMs, b.BilledDurationMs))
	})
	n := len(ms)
	s := raceSample{power: e.Power, inRace: e.InRace, discard: discard,
		duration: make([]float64, n), billed: make([]float64, n), counts: make([]int, n)}
	s.byDuration = make([]int, n)
	s.byBilled = make([]int, n)
	for i := range ms {
		s.byDuration[i], s.byBilled[i] = i, i
	}
	slices.SortStableFunc(s.byBilled, func(a, b int) int { return cmp.Compare(ms[a].BilledDurationMs, ms[b].BilledDurationMs) })
	for k := range n {
		s.duration[k] = ms[s.byDuration[k]].DurationMs
		s.billed[k] = ms[s.byBilled[k]].BilledDurationMs
	}
	return s
}

// estimate is the entrant's figures as Analyze computes them.
func (s *raceSample) estimate(p Price) costDuration {
	return costDuration{
		cost:     AverageCost(p, TrimmedMean(s.billed, s.discard), s.power),
		duration: TrimmedMean(s.duration, s.discard),
	}
}

// resample draws len(measurements) measurements with replacement and
// returns their trimmed-mean cost and duration. Both figures come from the
// same draw, so a resample keeps each invocation's duration with its billing.
func (s *raceSample) resample(p Price, rng *rand.Rand) costDuration {
	n := len(s.counts)
	clear(s.counts)
	for range n {
		s.counts[rng.IntN(n)]++
	}
	return costDuration{
		cost:     AverageCost(p, s.trimmedMean(s.billed, s.byBilled), s.power),
		duration: s.trimmedMean(s.duration, s.byDuration),
	}
}

// trimmedMean is TrimmedMean of the resample: sorted holds one figure in
// ascending order, order[k] the measurement it belongs to.
func (s *raceSample) trimmedMean(sorted []float64, order []int) float64 {
	n := len(sorted)
	drop := trimCount(n, s.discard)
	keep := n - 2*drop
	var sum float64
	rank := 0 // position in the resample's sorted order
	for k, idx := range order {
		c := s.counts[idx]
		// The copies occupy ranks [rank, rank+c); keep those in [drop, drop+keep).
		from, to := max(rank, drop), min(rank+c, drop+keep)
		if to > from {
			sum += float64(to-from) * sorted[k]
		}
		rank += c
		if rank >= drop+keep {
			break
		}
	}
	if keep <= 0 {
		return math.NaN()
	}
	return sum / float64(keep)
}
