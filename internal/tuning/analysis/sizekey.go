package analysis

import "cmp"

// SizeKey identifies one measured configuration of a run: a memory size on
// an architecture. Arch is "" when the run has one architecture.
type SizeKey struct {
	Power int32
	Arch  string
}

// Key is the configuration the result measured.
func (r PowerResult) Key() SizeKey { return SizeKey{Power: r.Power, Arch: r.Architecture} }

// compareSizeKeys orders by memory size, then architecture.
func compareSizeKeys(a, b SizeKey) int {
	return cmp.Or(cmp.Compare(a.Power, b.Power), cmp.Compare(a.Arch, b.Arch))
}
