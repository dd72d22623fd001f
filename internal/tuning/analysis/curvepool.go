package analysis

import "math"

// Pooling one figure (trimmed-mean duration or billed duration) across the
// sizes of a race. Each size's own estimate is combined with what the
// curve fitted through the other sizes predicts at its memory, each
// weighted by the inverse of its variance (a random-effects combination):
//
//   - the own variance is the bootstrap's, widened for few measurements
//     (Student's t over the normal quantile, and the bootstrap's n/(n−1)
//     bias) and never below what the noise shared by every size (its
//     relative spread, pooled) gives that many measurements;
//   - the prediction's variance is its spread over the same bootstrap
//     rounds (the curve refitted each round, leaving the size out), plus
//     the curve's lack of fit: the relative discrepancy that the left-out
//     residuals show beyond both variances, pooled over the sizes. A curve
//     that does not describe the function earns no weight.
//
// Every round of the bootstrap is combined the same way, so the intervals
// of the combined figure carry both uncertainties.

// pooledFigure is one figure of every size, combined with the curve.
type pooledFigure struct {
	point  []float64   // per size
	rounds [][]float64 // per size, per bootstrap round
	curved []bool      // a curve through the other sizes informed the size
	// onCurve is the curve fitted through every size, at each size (point
	// and per bootstrap round; onCurveRounds[i] is nil when no curve could
	// be fitted), and lackOfFit the relative variance of the sizes about it
	// that their noise does not explain (see curveLackOfFit), the same for
	// every size: what the race settles flat-region ties on.
	onCurve       []float64
	onCurveRounds [][]float64
	lackOfFit     []float64
}

// poolFigure combines own[i] (point estimate) and rounds[i][b] (bootstrap
// round b) of the sizes at memory[i] with n[i] measurements each.
func poolFigure(memory []int32, n []int, own []float64, rounds [][]float64) pooledFigure {
	k := len(own)
	ownVar := make([]float64, k)
	widened := make([][]float64, k)
	shared := sharedRelativeVariance(n, own, rounds)
	for i := range own {
		v := variance(rounds[i]) * smallSampleWidening(n[i])
		floor := shared * own[i] * own[i] / float64(max(n[i], 1))
		ownVar[i] = max(v, floor)
		scale := 1.0
		if raw := variance(rounds[i]); raw > 0 {
			scale = math.Sqrt(ownVar[i] / raw)
		}
		widened[i] = make([]float64, len(rounds[i]))
		for b, x := range rounds[i] {
			widened[i][b] = own[i] + (x-own[i])*scale
		}
	}
	p := pooledFigure{point: append([]float64(nil), own...), rounds: widened, curved: make([]bool, k),
		onCurve: make([]float64, k), onCurveRounds: make([][]float64, k), lackOfFit: make([]float64, k)}
	if k <= CurveMinSizes {
		return p // leaving one size out must leave a curve to fit
	}

	weights := make([]float64, k)
	for i := range own {
		weights[i] = 1 / math.Max(ownVar[i], 1e-9*own[i]*own[i]+1e-12)
	}
	predicted := make([]float64, k)
	predictedRounds := make([][]float64, k)
	predictedVar := make([]float64, k)
	ok := make([]bool, k)
	points := make([]CurvePoint, k)
	fitWithout := func(i int, value func(j int) float64) (float64, bool) {
		for j := range points {
			points[j] = CurvePoint{Memory: memory[j], Value: value(j), Weight: weights[j]}
		}
		points[i].Weight = 0
		c, fitted := FitCurve(points)
		return c.At(memory[i]), fitted
	}
	for i := range own {
		predicted[i], ok[i] = fitWithout(i, func(j int) float64 { return own[j] })
		if !ok[i] {
			continue
		}
		predictedRounds[i] = make([]float64, len(widened[i]))
		for b := range widened[i] {
			predictedRounds[i][b], _ = fitWithout(i, func(j int) float64 { return widened[j][b] })
		}
		predictedVar[i] = variance(predictedRounds[i])
	}

	lackOfFit := curveLackOfFit(own, ownVar, predicted, predictedVar, ok)
	p.fitThroughAll(memory, own, weights, lackOfFit)
	for i := range own {
		if !ok[i] || predicted[i] <= 0 {
			continue
		}
		curveVar := predictedVar[i] + lackOfFit*predicted[i]*predicted[i]
		w := 1.0 // the own estimate's share
		if curveVar > 0 || ownVar[i] > 0 {
			w = curveVar / (curveVar + ownVar[i])
		}
		p.curved[i] = true
		p.point[i] = w*own[i] + (1-w)*predicted[i]
		for b := range p.rounds[i] {
			p.rounds[i][b] = w*widened[i][b] + (1-w)*predictedRounds[i][b]
		}
	}
	return p
}

// fitThroughAll sets onCurve and onCurveRounds: the curve fitted through
// every size (the point estimates, then each bootstrap round's widened
// values, with the same weights), evaluated at each size.
func (p *pooledFigure) fitThroughAll(memory []int32, own, weights []float64, lackOfFit float64) {
	k := len(own)
	points := make([]CurvePoint, k)
	fit := func(value func(j int) float64) (Curve, bool) {
		for j := range points {
			points[j] = CurvePoint{Memory: memory[j], Value: value(j), Weight: weights[j]}
		}
		return FitCurve(points)
	}
	c, ok := fit(func(j int) float64 { return own[j] })
	if !ok {
		return
	}
	for i := range own {
		p.lackOfFit[i] = lackOfFit
		p.onCurve[i] = c.At(memory[i])
		p.onCurveRounds[i] = make([]float64, len(p.rounds[i]))
	}
	for b := range p.rounds[0] {
		cb, fitted := fit(func(j int) float64 { return p.rounds[j][b] })
		if !fitted {
			cb = c
		}
		for i := range own {
			p.onCurveRounds[i][b] = cb.At(memory[i])
		}
	}
}

// curveLackOfFit is the relative variance of the sizes about the curve
// that neither their own noise nor the curve's explains: the mean excess
// of each left-out residual's square, relative to the prediction (method of
// moments, never below 0).
func curveLackOfFit(own, ownVar, predicted, predictedVar []float64, ok []bool) float64 {
	var sum float64
	count := 0
	for i := range own {
		if !ok[i] || predicted[i] <= 0 {
			continue
		}
		r := own[i] - predicted[i]
		sum += (r*r - ownVar[i] - predictedVar[i]) / (predicted[i] * predicted[i])
		count++
	}
	if count == 0 {
		return 0
	}
	return max(sum/float64(count), 0)
}

// sharedRelativeVariance is the relative variance of one measurement,
// pooled over the sizes (weighted by their measurements): the noise of
// Lambda's execution environments is much the same at every size, so a
// size with few measurements borrows the others' view of it.
func sharedRelativeVariance(n []int, own []float64, rounds [][]float64) float64 {
	var sum, weight float64
	for i := range own {
		if n[i] < 2 || own[i] <= 0 {
			continue
		}
		perMeasurement := variance(rounds[i]) * float64(n[i]) * float64(n[i]) / float64(n[i]-1)
		sum += float64(n[i]) * perMeasurement / (own[i] * own[i])
		weight += float64(n[i])
	}
	if weight == 0 {
		return 0
	}
	return sum / weight
}

// smallSampleWidening is the factor on a bootstrap variance of n
// measurements: the bootstrap's (n−1)/n shrinkage undone, and Student's t
// with n−1 degrees of freedom over the normal quantile, squared.
func smallSampleWidening(n int) float64 {
	if n < 2 {
		return 1
	}
	t := tQuantile975(n-1) / 1.959964
	return float64(n) / float64(n-1) * t * t
}

// tQuantile975 is Student's t 97.5 % quantile: exact to three decimals up
// to 10 degrees of freedom, then a Cornish–Fisher expansion.
func tQuantile975(df int) float64 {
	table := []float64{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228}
	if df <= len(table) {
		return table[max(df, 1)-1]
	}
	z, d := 1.959964, float64(df)
	z3, z5 := z*z*z, z*z*z*z*z
	return z + (z3+z)/(4*d) + (5*z5+16*z3+3*z)/(96*d*d)
}

func variance(values []float64) float64 {
	if len(values) < 2 {
		return 0
	}
	var mean float64
	for _, v := range values {
		mean += v
	}
	mean /= float64(len(values))
	var ss float64
	for _, v := range values {
		ss += (v - mean) * (v - mean)
	}
	return ss / float64(len(values)-1)
}
