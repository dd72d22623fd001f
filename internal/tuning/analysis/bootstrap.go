package analysis

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// rankedBootstrap is the quantity the strategy ranks, for every entrant with
// measurements (in input order): its point estimate and RaceResamples
// resampled values. Resample b of every entrant comes from round b of the
// draws, so differences between entrants are taken pairwise by round. The
// race (JudgeRace) and the ties (WithinNoise) both judge from it.
type rankedBootstrap struct {
	samples   []raceSample
	estimates []float64
	resampled [][]float64
}

func bootstrapRanked(s RaceSettings, entrants []RaceEntrant, rng *rand.Rand) rankedBootstrap {
	var b rankedBootstrap
	for _, e := range entrants {
		if len(e.Measurements) > 0 {
			b.samples = append(b.samples, newRaceSample(e, s))
		}
	}
	point := make([]costDuration, len(b.samples))
	for i := range b.samples {
		point[i] = b.samples[i].estimate()
	}
	rank := rankedQuantity(s, point)
	b.estimates = make([]float64, len(point))
	for i, cd := range point {
		b.estimates[i] = rank(cd)
	}
	// Rounds outermost: the order in which rng is drawn is part of a seeded
	// run's reproducibility.
	b.resampled = make([][]float64, len(b.samples))
	for range RaceResamples {
		for i := range b.samples {
			b.resampled[i] = append(b.resampled[i], rank(b.samples[i].resample(rng)))
		}
	}
	return b
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
	arch     string
	price    Price
	inRace   bool
	discard  float64
	duration []float64 // ascending
	billed   []float64 // ascending
	// byDuration[k] and byBilled[k] are the measurement (index into the
	// canonical order) holding the k-th smallest duration and billed duration.
	byDuration, byBilled []int
	counts               []int // scratch: how often a resample drew each measurement
}

func (s *raceSample) key() SizeKey { return SizeKey{Power: s.power, Arch: s.arch} }

func newRaceSample(e RaceEntrant, settings RaceSettings) raceSample {
	ms := slices.Clone(e.Measurements)
	// A canonical order, so the verdict does not depend on arrival order.
	slices.SortFunc(ms, func(a, b Measurement) int {
		return cmp.Or(cmp.Compare(a.DurationMs, b.DurationMs), cmp.Compare(a.BilledDurationMs, b.BilledDurationMs))
	})
	n := len(ms)
	s := raceSample{power: e.Power, arch: e.Arch, price: e.priceOr(settings.Price), inRace: e.InRace, discard: settings.Discard,
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
func (s *raceSample) estimate() costDuration {
	return costDuration{
		cost:     AverageCost(s.price, TrimmedMean(s.billed, s.discard), s.power),
		duration: TrimmedMean(s.duration, s.discard),
	}
}

// resample draws len(measurements) measurements with replacement and
// returns their trimmed-mean cost and duration. Both figures come from the
// same draw, so a resample keeps each invocation's duration with its billing.
func (s *raceSample) resample(rng *rand.Rand) costDuration {
	n := len(s.counts)
	clear(s.counts)
	for range n {
		s.counts[rng.IntN(n)]++
	}
	return costDuration{
		cost:     AverageCost(s.price, s.trimmedMean(s.billed, s.byBilled), s.power),
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
