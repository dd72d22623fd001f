package analysis

import (
	"math"
	"math/rand/v2"
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
	// RaceMinOwn is the fewest measurements an entrant needs before its own
	// bootstrap alone may retire it: the interval of five trimmed values is
	// too narrow to trust without the curve.
	RaceMinOwn = 10
	// DefaultAdaptiveTolerance is the relative difference under which the
	// power values still in the race count as practically equal.
	DefaultAdaptiveTolerance = 0.05
)

// raceQuantile is the standard normal quantile of RaceConfidence's
// two-sided interval.
const raceQuantile = 1.959964

// JudgeRace retires every in-race entrant whose interval of how far behind
// the leader it is lies wholly above zero, and says whether the race is
// settled: one remains, or none of the remaining can be better than the
// leader by more than Tolerance (each one's interval starts at −Tolerance
// or above), so choosing the leader is within the tolerance of the best.
//
// Estimates and intervals pool the sizes (see poolFigure): each entrant's
// own trimmed means are combined with the duration curve fitted through
// the other entrants, retired ones included. An entrant the curve did not
// inform (fewer than CurveMinSizes others) is retired only with
// RaceMinOwn measurements of its own, and so is the leader it is judged
// against. Entrants without measurements are neither judged nor retired.
// rng is the only source of randomness; the verdict does not depend on
// the order of each entrant's measurements.
func JudgeRace(s RaceSettings, entrants []RaceEntrant, rng *rand.Rand) RaceVerdict {
	b := bootstrapPooled(s, entrants, rng)
	v := RaceVerdict{Retired: map[int32]float64{}, Predicted: map[int32]bool{}}
	leader := -1
	for i, smp := range b.samples {
		if !smp.inRace {
			continue
		}
		lo, hi := percentileInterval(b.pooled.resampled[i], RaceConfidence)
		v.Intervals = append(v.Intervals, Interval{Power: smp.power, Arch: smp.arch, Estimate: b.pooled.estimates[i], Low: lo, High: hi})
		if leader < 0 || b.pooled.estimates[i] < b.pooled.estimates[leader] {
			leader = i
		}
	}
	if leader < 0 {
		v.Settled = true
		return v
	}
	v.Leader = b.samples[leader].power
	leaderOwn := len(b.samples[leader].duration)

	remaining := 0
	equal := true
	k := 0 // index into v.Intervals
	for i, smp := range b.samples {
		if !smp.inRace {
			continue
		}
		iv := &v.Intervals[k]
		k++
		if i == leader {
			remaining++
			continue
		}
		iv.BehindLow, iv.BehindHigh = behindInterval(b.pooled.resampled[i], b.pooled.resampled[leader], b.pooled.estimates[leader])
		ownEnough := len(smp.duration) >= RaceMinOwn && leaderOwn >= RaceMinOwn
		if iv.BehindLow > 0 && (ownEnough || (b.curved[i] && b.curved[leader])) {
			v.Retired[smp.power] = relativeBehind(iv.Estimate, b.pooled.estimates[leader])
			ownLow, _ := behindInterval(b.own.resampled[i], b.own.resampled[leader], b.own.estimates[leader])
			if !ownEnough || ownLow <= 0 {
				v.Predicted[smp.power] = true
			}
			continue
		}
		remaining++
		ownTie := iv.BehindLow >= -s.Tolerance && len(smp.duration) >= RaceMinSettle && leaderOwn >= RaceMinSettle
		if !ownTie && !b.curveTie(i, leader, s.Tolerance) {
			equal = false // it may still beat the leader by more than the tolerance
		}
	}
	v.Settled = remaining == 1 || equal
	return v
}

// curveTie reports whether the curve fitted through every size places
// entrant i no better than the leader by more than tolerance, with
// RaceConfidence and its lack of fit included, and i's own estimate does
// not contradict it (it is not better than the leader's own by more than
// tolerance). The final analysis chooses among the sizes left in the race
// from their own measurements: an entrant whose own estimate beats the
// leader's would be chosen instead, so it must also be no worse than the
// leader by more than tolerance. It settles the ties of a flat region
// (sizes above the vCPUs the code can use, or the cost of CPU time below
// one vCPU), which the sizes' own measurements could only settle with many
// invocations each.
func (b *pooledBootstrap) curveTie(i, leader int, tolerance float64) bool {
	if !b.onCurveOK[i] || !b.onCurveOK[leader] {
		return false
	}
	lo, hi := behindInterval(b.onCurve.resampled[i], b.onCurve.resampled[leader], b.onCurve.estimates[leader])
	// The curve's own error at two sizes, one normal quantile wide each way.
	misfit := raceQuantile * math.Sqrt(2*b.lackOfFit[i])
	ownBehind := relativeBehind(b.own.estimates[i], b.own.estimates[leader])
	return lo-misfit >= -tolerance && ownBehind >= -tolerance && (ownBehind >= 0 || hi+misfit <= tolerance)
}
