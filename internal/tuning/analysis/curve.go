package analysis

import "math"

// MBPerVCPU is the memory at which Lambda gives a function one full vCPU;
// vCPUs grow in proportion up to six at 10,240 MB.
const MBPerVCPU = 1769

// curveLimits are the memory sizes above which more vCPUs stop helping,
// one per number of threads the code can keep busy (0: none within reach).
var curveLimits = []int32{0, MBPerVCPU, 2 * MBPerVCPU, 3 * MBPerVCPU, 4 * MBPerVCPU, 5 * MBPerVCPU}

// CurveMinSizes is the fewest memory sizes a curve is fitted through: two
// linear parameters and the choice of the limit need one more point than
// they have, or the fit has nothing left to be wrong about.
const CurveMinSizes = 3

// Curve is a function's duration against its memory size, as Lambda's CPU
// allocation shapes it: CPU time shrinks in proportion to the vCPU share
// until the code has all the vCPUs it can use, and waiting (I/O, other
// services) does not shrink at all:
//
//	duration(m) = FixedMs + CPUMs · MBPerVCPU / min(m, LimitMB)
//
// CPUMs is the CPU time at one vCPU; LimitMB is 0 when no limit was found
// among the sizes measured (the code gains from every size tried).
type Curve struct {
	FixedMs float64 `json:"fixed_ms"`
	CPUMs   float64 `json:"cpu_ms"`
	LimitMB int32   `json:"limit_mb,omitempty"`
}

// At is the curve's duration at memory MB.
func (c Curve) At(memory int32) float64 {
	return c.FixedMs + c.CPUMs*curveX(memory, c.LimitMB)
}

// curveX is the curve's regressor: the vCPU time per unit of CPU work.
func curveX(memory, limit int32) float64 {
	m := float64(memory)
	if limit > 0 && limit < memory {
		m = float64(limit)
	}
	return MBPerVCPU / m
}

// CurvePoint is one size's figure and how much the fit trusts it (the
// inverse of its variance).
type CurvePoint struct {
	Memory int32
	Value  float64
	Weight float64
}

// FitCurve fits the curve through points by weighted least squares, with
// both parts non-negative, for each limit that changes anything among the
// points' sizes, and keeps the limit that fits best. It needs
// CurveMinSizes distinct sizes with positive weight.
func FitCurve(points []CurvePoint) (Curve, bool) {
	best, bestSSE, found := Curve{}, math.Inf(1), false
	top := int32(0)
	sizes := 0
	for i, p := range points {
		if p.Weight > 0 {
			top = max(top, p.Memory)
			if firstOfSize(points, i) {
				sizes++
			}
		}
	}
	if sizes < CurveMinSizes {
		return Curve{}, false
	}
	for _, limit := range curveLimits {
		if limit >= top {
			break // this and larger limits are the same as none
		}
		c, sse, ok := fitAtLimit(points, limit)
		if ok && sse < bestSSE {
			best, bestSSE, found = c, sse, true
		}
	}
	return best, found
}

// firstOfSize: points[i] is the first positive-weight point of its size.
func firstOfSize(points []CurvePoint, i int) bool {
	for _, p := range points[:i] {
		if p.Weight > 0 && p.Memory == points[i].Memory {
			return false
		}
	}
	return true
}

// fitAtLimit is the non-negative weighted least-squares fit with LimitMB
// fixed, and its weighted sum of squared residuals.
func fitAtLimit(points []CurvePoint, limit int32) (Curve, float64, bool) {
	var sw, sx, sy, sxx, sxy float64
	for _, p := range points {
		if p.Weight <= 0 {
			continue
		}
		x := curveX(p.Memory, limit)
		sw += p.Weight
		sx += p.Weight * x
		sy += p.Weight * p.Value
		sxx += p.Weight * x * x
		sxy += p.Weight * x * p.Value
	}
	det := sw*sxx - sx*sx
	if sw <= 0 || det <= 1e-12*sw*sxx {
		return Curve{}, 0, false // every size has the same regressor: no slope to fit
	}
	c := Curve{CPUMs: (sw*sxy - sx*sy) / det, LimitMB: limit}
	c.FixedMs = (sy - c.CPUMs*sx) / sw
	switch {
	case c.CPUMs < 0: // durations that grow with memory: only the fixed part is real
		c.CPUMs, c.FixedMs = 0, sy/sw
	case c.FixedMs < 0:
		c.FixedMs, c.CPUMs = 0, sxy/sxx
	}
	var sse float64
	for _, p := range points {
		if p.Weight > 0 {
			r := p.Value - c.At(p.Memory)
			sse += p.Weight * r * r
		}
	}
	return c, sse, true
}
