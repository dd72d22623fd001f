package analysis

import (
	"cmp"
	"math"
	"slices"
)

// Spread returns p with the entries of a weighted payload interleaved, so
// that the first n invocations of a size send each entry in about its
// weight's share, for every n: adaptive sampling stops invoking most sizes
// early, and a size measured only on the first entry would be compared on
// another workload than the rest. Invocation i sends the slot with the
// i-th smallest fractional part of slot·φ (a Weyl sequence, whose every
// prefix is spread evenly over the slots). ${index} still numbers the
// invocations in order. A payload with one entry is returned unchanged.
func (p Payloads) Spread() Payloads {
	if len(p.bodies) < 2 {
		return p
	}
	n := p.Len()
	slots := make([]int, n)
	for j := range slots {
		slots[j] = j
	}
	golden := (math.Sqrt(5) - 1) / 2
	key := func(j int) float64 { _, f := math.Modf(float64(j) * golden); return f }
	slices.SortFunc(slots, func(a, b int) int { return cmp.Compare(key(a), key(b)) })
	p.slots = slots
	return p
}
