package htmlreport

import "math"

// linear maps [0, top] onto [from, to] (pixels; to < from for a y axis).
type linear struct {
	top      float64
	from, to float64
}

func (s linear) at(v float64) float64 { return s.from + (s.to-s.from)*v/s.top }

// logScale maps memory sizes on a log2 axis: sizes are usually chosen in
// doublings, so equal steps look equal.
type logScale struct {
	lo, hi   float64 // log2 of the domain, padded
	from, to float64
}

func newLogScale(minPower, maxPower int32, from, to float64) logScale {
	lo, hi := math.Log2(float64(minPower)), math.Log2(float64(maxPower))
	pad := max((hi-lo)*0.06, 0.25) // keeps the end points off the axes
	return logScale{lo: lo - pad, hi: hi + pad, from: from, to: to}
}

func (s logScale) at(power int32) float64 {
	return s.from + (s.to-s.from)*(math.Log2(float64(power))-s.lo)/(s.hi-s.lo)
}

// niceTicks returns about five round tick values from 0 up to a round top
// at or above maxValue; a zero or missing maximum gets the axis 0..1.
func niceTicks(maxValue float64) []float64 {
	if !(maxValue > 0) || math.IsInf(maxValue, 0) {
		maxValue = 1
	}
	raw := maxValue / 5
	magnitude := math.Pow(10, math.Floor(math.Log10(raw)))
	step := magnitude * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*magnitude >= raw {
			step = m * magnitude
			break
		}
	}
	n := int(math.Ceil(maxValue/step - 1e-9))
	ticks := make([]float64, n+1)
	for i := range ticks {
		ticks[i] = float64(i) * step
	}
	return ticks
}
