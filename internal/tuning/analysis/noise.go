package analysis

import (
	"math/rand/v2"
	"slices"
)

// SizesWithinNoise is the entrants the measurements cannot set apart from
// optimum, on the quantity the strategy ranks: the RaceConfidence bootstrap
// interval of (entrant − optimum) / optimum, resamples paired by round as
// JudgeRace pairs them, reaches within s.Tolerance of 0 (the difference
// may be nil, or is too small to matter: the race's practical equality,
// adaptive_tolerance). When optimum is the entrant with the best estimate,
// as the strategy chose it, that is: the entrant is not clearly behind it
// by more than the tolerance. A narrow interval alone is not enough: runs
// on other days meet other execution environments, whose speed the
// measurements of one run share.
//
// Entrants are identified by SizeKey (Arch, Power), which must be unique: a
// run that compares architectures passes every architecture's entrants,
// each with its own Price. Every entrant with measurements is judged, and
// counts in the balanced normalisation, whatever InRace says (MarkWithinNoise
// leaves retired rows out). Entrants without measurements are never within
// noise, and neither is optimum itself. The result is in ascending order
// (Power, then Arch), and nil when optimum has no measurements. rng is the
// only source of randomness: the same entrants, in the same order, with the
// same seed give the same answer.
func SizesWithinNoise(s RaceSettings, entrants []RaceEntrant, optimum SizeKey, rng *rand.Rand) []SizeKey {
	b := bootstrapRanked(s, entrants, rng)
	opt := slices.IndexFunc(b.samples, func(smp raceSample) bool { return smp.key() == optimum })
	if opt < 0 {
		return nil
	}
	var ties []SizeKey
	for i, smp := range b.samples {
		if i == opt {
			continue
		}
		lo, hi := behindInterval(b.resampled[i], b.resampled[opt], b.estimates[opt])
		if lo <= s.Tolerance && -s.Tolerance <= hi {
			ties = append(ties, smp.key())
		}
	}
	slices.SortFunc(ties, compareSizeKeys)
	return ties
}

// MarkWithinNoise returns a copy of results in which WithinNoise is set on
// exactly the rows that ties names (as WithinNoise returns them) and can
// still be chosen: a failed row has no figures, and a retired one was
// already found behind by the race, which outranks a judgement made with
// the optimum's later measurements.
func MarkWithinNoise(results []PowerResult, ties []SizeKey) []PowerResult {
	marked := slices.Clone(results)
	for i := range marked {
		r := &marked[i]
		r.WithinNoise = !r.Failed && !r.Retired && slices.Contains(ties, r.Key())
	}
	return marked
}
