package analysis

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The O(n) resample trimmed mean must equal TrimmedMean of the resample
// written out, for every trimming share and sample size.
func TestRaceResampleTrimmedMeanEqualsTrimmedMean(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 5, 7, 20, 51} {
		ms := make([]Measurement, n)
		for i := range ms {
			d := 100 + 50*rng.Float64()
			ms[i] = Measurement{DurationMs: d, BilledDurationMs: math.Ceil(d) + float64(rng.IntN(3))}
		}
		for _, discard := range []float64{0, 0.1, 0.2, 0.4} {
			s := newRaceSample(RaceEntrant{Power: 512, Measurements: ms, InRace: true}, RaceSettings{Discard: discard})
			for range 20 {
				for i := range s.counts {
					s.counts[i] = 0
				}
				var durations, billed []float64
				for range n {
					k := rng.IntN(n)
					s.counts[k]++
				}
				for k, c := range s.counts {
					for range c {
						durations = append(durations, s.duration[k]) // byDuration is the identity
						billed = append(billed, ms0(s, k))
					}
				}
				if got, want := s.trimmedMean(s.duration, s.byDuration), TrimmedMean(durations, discard); math.Abs(got-want) > 1e-9 {
					t.Fatalf("n=%d discard=%g: duration %g, want %g", n, discard, got, want)
				}
				if got, want := s.trimmedMean(s.billed, s.byBilled), TrimmedMean(billed, discard); math.Abs(got-want) > 1e-9 {
					t.Fatalf("n=%d discard=%g: billed %g, want %g", n, discard, got, want)
				}
			}
		}
	}
}

// ms0 is the billed duration of measurement k in the sample's canonical order.
func ms0(s raceSample, k int) float64 {
	for rank, idx := range s.byBilled {
		if idx == k {
			return s.billed[rank]
		}
	}
	panic("measurement not found")
}
