package analysis

// RaceSettings are the analysis inputs a judgement needs.
type RaceSettings struct {
	Strategy  Strategy
	Weight    float64 // balanced weight
	Discard   float64 // discard_top_bottom, as for Analyze
	Price     Price   // the price of every entrant that names none
	Tolerance float64 // adaptive_tolerance
}

// RaceEntrant is one power value's measurements so far. Retired entrants
// still count in the balanced normalisation, as they do in the final
// analysis, but are not judged again.
//
// When a run compares architectures each one is priced differently: Price
// (nil: RaceSettings.Price) prices the entrant's invocations and Arch (""
// when the run has one architecture) names it, so that (Arch, Power)
// identifies an entrant. JudgeRace keys Retired by power alone: one race
// holds one architecture's power values.
type RaceEntrant struct {
	Power        int32
	Arch         string
	Price        *Price
	Measurements []Measurement
	InRace       bool
}

// priceOr is the entrant's own price, or fallback when it has none.
func (e RaceEntrant) priceOr(fallback Price) Price {
	if e.Price != nil {
		return *e.Price
	}
	return fallback
}

// Interval is an entrant's estimate of the ranked quantity (lower is
// better) and its bootstrap interval, and the interval of how far behind
// the leader it is, relative to the leader's estimate (0 for the leader).
type Interval struct {
	Power      int32
	Arch       string
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
	// Predicted holds the retired power values that only the curve placed
	// behind: their own measurements alone were too few to tell.
	Predicted map[int32]bool
	// Settled: one entrant remains, or no remaining one can beat the leader
	// by more than Tolerance.
	Settled bool
}

// Key is the configuration the entrant measured.
func (e RaceEntrant) Key() SizeKey { return SizeKey{Power: e.Power, Arch: e.Arch} }
