package analysis_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

const (
	noiseN  = 20   // invocations per size, the default num
	noiseSD = 0.05 // the 5 % noise of a typical function
)

// gaussian is noiseN measurements around ms with noiseSD relative standard
// deviation, seeded.
func gaussian(seed uint64, ms float64) []analysis.Measurement {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([]analysis.Measurement, noiseN)
	for i := range out {
		d := ms * (1 + noiseSD*rng.NormFloat64())
		out[i] = analysis.Measurement{DurationMs: d, BilledDurationMs: float64(int(d) + 1)}
	}
	return out
}

// optimumOf is the strategy's choice among the entrants, as a run makes it:
// each analysed, then SelectOptimal.
func optimumOf(t *testing.T, s analysis.RaceSettings, entrants []analysis.RaceEntrant) analysis.SizeKey {
	t.Helper()
	var results []analysis.PowerResult
	for _, e := range entrants {
		price := s.Price
		if e.Price != nil {
			price = *e.Price
		}
		r := analysis.Analyze(e.Power, e.Measurements, 0, price, s.Discard)
		r.Architecture = e.Arch
		results = append(results, r)
	}
	best, ok := analysis.SelectOptimal(results, s.Strategy, s.Weight)
	if !ok {
		t.Fatal("no optimum")
	}
	return best.Key()
}

func sizes(powers ...int32) []analysis.SizeKey {
	var out []analysis.SizeKey
	for _, p := range powers {
		out = append(out, analysis.SizeKey{Power: p})
	}
	return out
}

// The cases name the sizes that are alike (tied) and let the strategy
// choose among them, as noise lets it: whichever it chooses, the others are
// within noise of it and every other size is not.
func TestWithinNoise(t *testing.T) {
	cost := analysis.RaceSettings{Strategy: analysis.StrategyCost, Discard: 0.2, Price: racePrice}
	speed := cost
	speed.Strategy = analysis.StrategySpeed
	balanced := cost
	balanced.Strategy, balanced.Weight = analysis.StrategyBalanced, 0.5
	tests := []struct {
		name     string
		s        analysis.RaceSettings
		entrants []analysis.RaceEntrant
		tied     []analysis.SizeKey // the optimum among them
	}{
		{
			// Costs 100 %, 130 %, 150 % and 200 % of the cheapest.
			name: "clear differences are not ties", s: cost,
			entrants: []analysis.RaceEntrant{
				entrant(256, gaussian(1, 400)),
				entrant(512, gaussian(2, 260)),
				entrant(1024, gaussian(3, 150)),
				entrant(2048, gaussian(4, 100)),
			},
			tied: sizes(256),
		},
		{
			// The users' report: three sizes whose costs differ by about 1 %,
			// and one 20 % dearer.
			name: "costs about 1 % apart under 5 % noise are ties", s: cost,
			entrants: []analysis.RaceEntrant{
				entrant(128, gaussian(11, 808)),
				entrant(256, gaussian(12, 400)),
				entrant(512, gaussian(13, 202)),
				entrant(1024, gaussian(14, 120)),
			},
			tied: sizes(128, 256, 512),
		},
		{
			name: "speed: sizes on the plateau are ties, smaller ones are not", s: speed,
			entrants: []analysis.RaceEntrant{
				entrant(512, gaussian(21, 190)),
				entrant(1024, gaussian(22, 101)),
				entrant(1536, gaussian(23, 100)),
				entrant(2048, gaussian(24, 100)),
			},
			tied: sizes(1024, 1536, 2048),
		},
		{
			// Scores 1.0, 0.5 and 0.49: the normalisation counts 128 MB too.
			name: "balanced: a near tie and a clear loser", s: balanced,
			entrants: []analysis.RaceEntrant{
				entrant(128, gaussian(31, 2000)),
				entrant(1024, gaussian(32, 200)),
				entrant(1100, gaussian(33, 186)),
			},
			tied: sizes(1024, 1100),
		},
		{
			name: "entrants without measurements are never within noise", s: cost,
			entrants: []analysis.RaceEntrant{
				entrant(256, gaussian(12, 400)),
				entrant(512, gaussian(13, 202)),
				entrant(3008, nil),
			},
			tied: sizes(256, 512),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			optimum := optimumOf(t, tt.s, tt.entrants)
			if !slices.Contains(tt.tied, optimum) {
				t.Fatalf("the strategy chooses %+v, not one of %v: the case is wrong", optimum, tt.tied)
			}
			want := slices.DeleteFunc(slices.Clone(tt.tied), func(k analysis.SizeKey) bool { return k == optimum })
			got := analysis.SizesWithinNoise(tt.s, tt.entrants, optimum, rand.New(rand.NewPCG(5, 5)))
			if !slices.Equal(got, want) {
				t.Errorf("within noise of %d MB: %v, want %v", optimum.Power, got, want)
			}
			if slices.Contains(got, optimum) {
				t.Errorf("the optimum %v is listed as within noise of itself", optimum)
			}
		})
	}
}

func TestWithinNoiseOfAnOptimumWithoutMeasurements(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategyCost, Discard: 0.2, Price: racePrice}
	entrants := []analysis.RaceEntrant{entrant(256, nil), entrant(512, gaussian(13, 204))}
	for _, optimum := range []analysis.SizeKey{{Power: 256}, {Power: 4096}} {
		if got := analysis.SizesWithinNoise(s, entrants, optimum, rand.New(rand.NewPCG(5, 5))); got != nil {
			t.Errorf("within noise of %v, which has no measurements: %v, want none", optimum, got)
		}
	}
}

// Each architecture is priced with its own price: arm64 at 245 ms costs
// about the same as x86_64 at 200 ms at the same size, although it is
// slower, because arm64's GB-second is 20 % cheaper. Priced as x86_64 it
// would be 20 % dearer, and no tie.
func TestWithinNoiseComparesArchitecturesAtTheirOwnPrices(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategyCost, Discard: 0.2, Price: racePrice}
	armPrice := racePrice
	armPrice.PerGBSecond *= 0.8
	arm := func(power int32, ms []analysis.Measurement) analysis.RaceEntrant {
		return analysis.RaceEntrant{Power: power, Arch: analysis.ArchARM64, Price: &armPrice, Measurements: ms, InRace: true}
	}
	x86 := func(power int32, ms []analysis.Measurement) analysis.RaceEntrant {
		return analysis.RaceEntrant{Power: power, Arch: analysis.ArchX86_64, Measurements: ms, InRace: true} // the settings' price
	}
	entrants := []analysis.RaceEntrant{
		x86(512, gaussian(41, 200)),
		x86(1024, gaussian(42, 100)), // the same cost as 512 MB
		arm(512, gaussian(43, 245)),
		arm(1024, gaussian(44, 200)), // half as dear again
	}
	tied := []analysis.SizeKey{
		{Power: 512, Arch: analysis.ArchARM64}, {Power: 512, Arch: analysis.ArchX86_64}, {Power: 1024, Arch: analysis.ArchX86_64},
	}
	optimum := optimumOf(t, s, entrants)
	if !slices.Contains(tied, optimum) {
		t.Fatalf("the strategy chooses %+v, not one of %v: the case is wrong", optimum, tied)
	}
	want := slices.DeleteFunc(tied, func(k analysis.SizeKey) bool { return k == optimum })
	got := analysis.SizesWithinNoise(s, entrants, optimum, rand.New(rand.NewPCG(5, 5)))
	if !slices.Equal(got, want) {
		t.Errorf("within noise of %+v: %v, want %v", optimum, got, want)
	}
}

func TestWithinNoiseIsReproducible(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategyCost, Discard: 0.2, Price: racePrice}
	// 2048 MB is about 3 % dearer: at the edge of what 5 % noise resolves,
	// so a judgement that drew differently could well differ.
	entrants := []analysis.RaceEntrant{
		entrant(256, gaussian(12, 400)),
		entrant(512, gaussian(13, 204)),
		entrant(1024, gaussian(15, 104)),
		entrant(2048, gaussian(16, 51)),
	}
	optimum := analysis.SizeKey{Power: 256}
	first := analysis.SizesWithinNoise(s, entrants, optimum, rand.New(rand.NewPCG(7, 7)))
	if len(first) == 0 {
		t.Fatal("no ties: the case is meant to have some")
	}
	for range 5 {
		if again := analysis.SizesWithinNoise(s, entrants, optimum, rand.New(rand.NewPCG(7, 7))); !slices.Equal(again, first) {
			t.Fatalf("same seed: %v, then %v", first, again)
		}
	}
	reordered := slices.Clone(entrants)
	for i := range reordered {
		reordered[i].Measurements = slices.Clone(reordered[i].Measurements)
		slices.Reverse(reordered[i].Measurements)
	}
	if again := analysis.SizesWithinNoise(s, reordered, optimum, rand.New(rand.NewPCG(7, 7))); !slices.Equal(again, first) {
		t.Errorf("same seed, measurements in another order: %v, then %v", first, again)
	}
}

func TestMarkWithinNoise(t *testing.T) {
	results := []analysis.PowerResult{
		{Power: 128, Invocations: 20},
		{Power: 256, Invocations: 20},
		{Power: 512, Invocations: 20, WithinNoise: true}, // stale: not among the ties
		{Power: 512, Architecture: analysis.ArchARM64, Invocations: 20},
		{Power: 1024, Invocations: 10, Retired: true, BehindBy: 0.3},
		{Power: 3008, Failed: true, FailureReason: "quota"},
	}
	ties := []analysis.SizeKey{{Power: 128}, {Power: 512, Arch: analysis.ArchARM64}, {Power: 1024}, {Power: 3008}}
	marked := analysis.MarkWithinNoise(results, ties)
	var got []analysis.SizeKey
	for _, r := range marked {
		if r.WithinNoise {
			got = append(got, r.Key())
		}
	}
	want := []analysis.SizeKey{{Power: 128}, {Power: 512, Arch: analysis.ArchARM64}}
	if !slices.Equal(got, want) {
		t.Errorf("marked %v, want %v (not the retired, the failed or the stale row)", got, want)
	}
	if !results[2].WithinNoise || results[0].WithinNoise {
		t.Error("MarkWithinNoise changed its input")
	}
}

// A difference the measurements resolve but smaller than the tolerance is
// practical equality, as the race settles on it: within noise with the
// default tolerance, told apart without any.
func TestWithinNoiseTakesTheToleranceAsEqual(t *testing.T) {
	price := analysis.Price{PerGBSecond: 0.0000166667, PerRequest: 0.0000002, Currency: "USD"}
	tight := func(seed uint64, ms float64) []analysis.Measurement {
		rng := rand.New(rand.NewPCG(seed, 3))
		out := make([]analysis.Measurement, 40)
		for i := range out {
			d := ms * (1 + 0.002*rng.NormFloat64())
			out[i] = analysis.Measurement{DurationMs: d, BilledDurationMs: float64(int(d) + 1)}
		}
		return out
	}
	// 3 % apart in duration at one memory size: plainly different, close.
	entrants := []analysis.RaceEntrant{
		{Power: 512, Measurements: tight(1, 1000), InRace: true},
		{Power: 1024, Measurements: tight(2, 515), InRace: true},
	}
	for _, tt := range []struct {
		tolerance float64
		want      []analysis.SizeKey
	}{{0.05, sizes(1024)}, {0, nil}} {
		s := analysis.RaceSettings{Strategy: analysis.StrategyCost, Price: price, Tolerance: tt.tolerance}
		got := analysis.SizesWithinNoise(s, entrants, analysis.SizeKey{Power: 512}, rand.New(rand.NewPCG(7, 7)))
		if !slices.Equal(got, tt.want) {
			t.Errorf("tolerance %g: within noise %v, want %v", tt.tolerance, got, tt.want)
		}
	}
}
