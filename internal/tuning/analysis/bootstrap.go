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
	return s.priced(s.resampleMeans(rng))
}

// means are an entrant's trimmed-mean duration and billed duration.
type means struct{ duration, billed float64 }

// pointMeans are the entrant's trimmed means, as Analyze computes them.
func (s *raceSample) pointMeans() means {
	return means{duration: TrimmedMean(s.duration, s.discard), billed: TrimmedMean(s.billed, s.discard)}
}

// resampleMeans draws len(measurements) measurements with replacement and
// returns their trimmed means.
func (s *raceSample) resampleMeans(rng *rand.Rand) means {
	n := len(s.counts)
	clear(s.counts)
	for range n {
		s.counts[rng.IntN(n)]++
	}
	return means{duration: s.trimmedMean(s.duration, s.byDuration), billed: s.trimmedMean(s.billed, s.byBilled)}
}

// priced is the cost and duration of trimmed means at the entrant's size.
func (s *raceSample) priced(m means) costDuration {
	return costDuration{cost: AverageCost(s.price, m.billed, s.power), duration: m.duration}
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

// pooledBootstrap is the race's view of the entrants with measurements (in
// input order): the ranked quantity from each one's own measurements, as
// rankedBootstrap has it, and pooled with the curve through the others
// (poolFigure, for duration and billed duration alike); curved says which
// entrants the curve informed. Balanced scores are normalised by the own
// estimates, as the final analysis normalises them.
type pooledBootstrap struct {
	samples     []raceSample
	own, pooled rankedValues
	curved      []bool
	// onCurve is the ranked quantity on the curves (duration and billed
	// duration) fitted through every size of the entrant's architecture;
	// onCurveOK says which entrants have one, and lackOfFit is the larger
	// of the two curves' relative lack of fit.
	onCurve   rankedValues
	onCurveOK []bool
	lackOfFit []float64
}

type rankedValues struct {
	estimates []float64
	resampled [][]float64
}

func bootstrapPooled(s RaceSettings, entrants []RaceEntrant, rng *rand.Rand) pooledBootstrap {
	var b pooledBootstrap
	for _, e := range entrants {
		if len(e.Measurements) > 0 {
			b.samples = append(b.samples, newRaceSample(e, s))
		}
	}
	k := len(b.samples)
	point := make([]means, k)
	rounds := make([][]means, k)
	for i := range b.samples {
		point[i] = b.samples[i].pointMeans()
	}
	// Rounds outermost, as in bootstrapRanked.
	for range RaceResamples {
		for i := range b.samples {
			rounds[i] = append(rounds[i], b.samples[i].resampleMeans(rng))
		}
	}

	pooledDuration, pooledBilled := poolByArchitecture(b.samples, point, rounds)

	ownPoint := make([]costDuration, k)
	for i := range b.samples {
		ownPoint[i] = b.samples[i].priced(point[i])
	}
	rank := rankedQuantity(s, ownPoint)
	b.own = rankedValues{estimates: make([]float64, k), resampled: make([][]float64, k)}
	b.pooled = rankedValues{estimates: make([]float64, k), resampled: make([][]float64, k)}
	b.curved = make([]bool, k)
	for i := range b.samples {
		smp := &b.samples[i]
		b.own.estimates[i] = rank(ownPoint[i])
		b.pooled.estimates[i] = rank(smp.priced(means{duration: pooledDuration.point[i], billed: pooledBilled.point[i]}))
		for r := range rounds[i] {
			b.own.resampled[i] = append(b.own.resampled[i], rank(smp.priced(rounds[i][r])))
			b.pooled.resampled[i] = append(b.pooled.resampled[i],
				rank(smp.priced(means{duration: pooledDuration.rounds[i][r], billed: pooledBilled.rounds[i][r]})))
		}
		b.curved[i] = pooledDuration.curved[i] && pooledBilled.curved[i]
	}
	b.onCurve = rankedValues{estimates: make([]float64, k), resampled: make([][]float64, k)}
	b.onCurveOK, b.lackOfFit = make([]bool, k), make([]float64, k)
	for i := range b.samples {
		d, bl := pooledDuration.onCurveRounds[i], pooledBilled.onCurveRounds[i]
		if d == nil || bl == nil {
			continue
		}
		smp := &b.samples[i]
		b.onCurveOK[i] = true
		b.lackOfFit[i] = max(pooledDuration.lackOfFit[i], pooledBilled.lackOfFit[i])
		b.onCurve.estimates[i] = rank(smp.priced(means{duration: pooledDuration.onCurve[i], billed: pooledBilled.onCurve[i]}))
		for r := range d {
			b.onCurve.resampled[i] = append(b.onCurve.resampled[i], rank(smp.priced(means{duration: d[r], billed: bl[r]})))
		}
	}
	return b
}

// poolByArchitecture pools each architecture's sizes on a curve of their
// own (one architecture's CPU says nothing of the other's), and returns
// both figures in the samples' order.
func poolByArchitecture(samples []raceSample, point []means, rounds [][]means) (duration, billed pooledFigure) {
	k := len(samples)
	newFigure := func() pooledFigure {
		return pooledFigure{point: make([]float64, k), rounds: make([][]float64, k), curved: make([]bool, k),
			onCurve: make([]float64, k), onCurveRounds: make([][]float64, k), lackOfFit: make([]float64, k)}
	}
	duration, billed = newFigure(), newFigure()
	done := map[string]bool{}
	for _, first := range samples {
		if done[first.arch] {
			continue
		}
		done[first.arch] = true
		var members []int
		for i := range samples {
			if samples[i].arch == first.arch {
				members = append(members, i)
			}
		}
		memory, n := make([]int32, len(members)), make([]int, len(members))
		durations, billeds := make([]float64, len(members)), make([]float64, len(members))
		durationRounds, billedRounds := make([][]float64, len(members)), make([][]float64, len(members))
		for j, i := range members {
			memory[j], n[j] = samples[i].power, len(samples[i].duration)
			durations[j], billeds[j] = point[i].duration, point[i].billed
			for _, m := range rounds[i] {
				durationRounds[j] = append(durationRounds[j], m.duration)
				billedRounds[j] = append(billedRounds[j], m.billed)
			}
		}
		d := poolFigure(memory, n, durations, durationRounds)
		bl := poolFigure(memory, n, billeds, billedRounds)
		for j, i := range members {
			duration.set(i, d, j)
			billed.set(i, bl, j)
		}
	}
	return duration, billed
}

// set copies size j of from into size i of p.
func (p *pooledFigure) set(i int, from pooledFigure, j int) {
	p.point[i], p.rounds[i], p.curved[i] = from.point[j], from.rounds[j], from.curved[j]
	p.onCurve[i], p.onCurveRounds[i], p.lackOfFit[i] = from.onCurve[j], from.onCurveRounds[j], from.lackOfFit[j]
}
