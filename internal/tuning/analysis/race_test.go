package analysis_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

var racePrice = analysis.Price{PerGBSecond: 0.0000166667, PerRequest: 0.0000002, Currency: "USD"}

// noisy is n measurements around ms with relative noise spread, seeded.
func noisy(seed uint64, n int, ms, spread float64) []analysis.Measurement {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]analysis.Measurement, n)
	for i := range out {
		d := ms * (1 + spread*(2*rng.Float64()-1))
		out[i] = analysis.Measurement{DurationMs: d, BilledDurationMs: float64(int(d) + 1)}
	}
	return out
}

func entrant(power int32, ms []analysis.Measurement) analysis.RaceEntrant {
	return analysis.RaceEntrant{Power: power, Measurements: ms, InRace: true}
}

func judge(s analysis.RaceSettings, entrants []analysis.RaceEntrant) analysis.RaceVerdict {
	return analysis.JudgeRace(s, entrants, rand.New(rand.NewPCG(9, 9)))
}

func TestJudgeRaceRetiresWhatIsClearlyBehind(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategySpeed, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	race := func(n int) analysis.RaceVerdict {
		return judge(s, []analysis.RaceEntrant{
			entrant(512, noisy(1, n, 400, 0.1)),
			entrant(1024, noisy(2, n, 200, 0.1)),
			entrant(2048, noisy(3, n, 195, 0.1)), // a near tie with 1024 MB
		})
	}
	// Three sizes leave no curve to lean on: five measurements of their own
	// are too few to retire anything.
	if v := race(5); len(v.Retired) != 0 || v.Settled {
		t.Errorf("after 5 invocations each and no curve: retired %v, settled %v; want nothing decided", v.Retired, v.Settled)
	}
	v := race(analysis.RaceMinOwn)
	if v.Leader != 1024 && v.Leader != 2048 {
		t.Fatalf("leader = %d, want 1024 or 2048", v.Leader)
	}
	if behind, ok := v.Retired[512]; !ok || behind < 0.7 || behind > 1.3 {
		t.Errorf("512 MB: retired %v, %.2f behind; want retired about 1.0 (twice as slow)", ok, behind)
	}
	if v.Predicted[512] {
		t.Error("512 MB is marked predicted, but its own measurements retired it")
	}
	if _, ok := v.Retired[1024]; ok {
		t.Error("1024 MB retired in a near tie")
	}
	if _, ok := v.Retired[2048]; ok {
		t.Error("2048 MB retired in a near tie")
	}
	if len(v.Intervals) != 3 {
		t.Fatalf("intervals: %+v, want 3", v.Intervals)
	}
	for _, iv := range v.Intervals {
		if !(iv.Low <= iv.Estimate && iv.Estimate <= iv.High) || iv.Low == iv.High {
			t.Errorf("%d MB: interval %g..%g around %g", iv.Power, iv.Low, iv.High, iv.Estimate)
		}
	}
}

func TestJudgeRaceSettles(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategyCost, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	t.Run("one remains", func(t *testing.T) {
		v := judge(s, []analysis.RaceEntrant{entrant(128, noisy(1, 10, 800, 0.05)), entrant(1024, noisy(2, 10, 300, 0.05))})
		if !v.Settled || v.Leader != 128 {
			t.Errorf("verdict %+v, want settled on 128 MB", v)
		}
		if _, ok := v.Retired[1024]; !ok {
			t.Error("1024 MB (three times the cost) not retired")
		}
	})
	t.Run("practically equal", func(t *testing.T) {
		// The same speed with ±2 % noise: inside a 5 % tolerance.
		speed := s
		speed.Strategy = analysis.StrategySpeed
		v := judge(speed, []analysis.RaceEntrant{entrant(1769, noisy(1, 20, 1000, 0.02)), entrant(3008, noisy(2, 20, 1000, 0.02))})
		if !v.Settled || len(v.Retired) != 0 {
			t.Errorf("verdict %+v, want settled with none retired", v)
		}
	})
	t.Run("not equal within a tighter tolerance", func(t *testing.T) {
		tight := s
		tight.Strategy, tight.Tolerance = analysis.StrategySpeed, 0
		v := judge(tight, []analysis.RaceEntrant{entrant(1769, noisy(1, 20, 1000, 0.02)), entrant(3008, noisy(2, 20, 1000, 0.02))})
		if v.Settled {
			t.Errorf("verdict %+v, want unsettled", v)
		}
	})
}

func TestJudgeRaceIsReproducible(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategyBalanced, Weight: 0.5, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	a := noisy(1, 15, 400, 0.15)
	b := noisy(2, 15, 220, 0.15)
	first := judge(s, []analysis.RaceEntrant{entrant(512, a), entrant(1024, b)})
	shuffled := slices.Clone(a)
	slices.Reverse(shuffled)
	again := judge(s, []analysis.RaceEntrant{entrant(512, shuffled), entrant(1024, b)})
	if !slices.Equal(first.Intervals, again.Intervals) {
		t.Errorf("same seed, reordered measurements: %+v then %+v", first.Intervals, again.Intervals)
	}
	other := analysis.JudgeRace(s, []analysis.RaceEntrant{entrant(512, a), entrant(1024, b)}, rand.New(rand.NewPCG(10, 10)))
	if slices.Equal(first.Intervals, other.Intervals) {
		t.Error("another seed gave the very same intervals: the resamples do not use rng")
	}
}

func TestJudgeRaceRetiredEntrantsOnlyNormalise(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategyBalanced, Weight: 0.5, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	slow := analysis.RaceEntrant{Power: 128, Measurements: noisy(1, 5, 3000, 0.05)} // retired earlier
	v := judge(s, []analysis.RaceEntrant{slow, entrant(1024, noisy(2, 10, 200, 0.05)), entrant(2048, noisy(3, 10, 120, 0.05))})
	for _, iv := range v.Intervals {
		if iv.Power == 128 {
			t.Fatal("a retired entrant was judged again")
		}
	}
	if _, again := v.Retired[128]; again || v.Leader == 128 {
		t.Errorf("verdict %+v names the retired 128 MB", v)
	}
	if len(v.Intervals) != 2 {
		t.Errorf("intervals %+v, want the two in the race", v.Intervals)
	}
}

func TestSelectOptimalSkipsRetired(t *testing.T) {
	results := []analysis.PowerResult{
		{Power: 256, AverageCost: 1, AverageDuration: 100, Invocations: 5, Retired: true, BehindBy: 0.3},
		{Power: 512, AverageCost: 2, AverageDuration: 50, Invocations: 20},
		{Power: 1024, AverageCost: 3, AverageDuration: 40, Invocations: 20},
	}
	best, ok := analysis.SelectOptimal(results, analysis.StrategyCost, 0)
	if !ok || best.Power != 512 {
		t.Errorf("SelectOptimal = %d, %v; want 512 MB (256 MB is retired)", best.Power, ok)
	}
	results[1].Retired, results[2].Retired = true, true
	if _, ok := analysis.SelectOptimal(results, analysis.StrategyCost, 0); ok {
		t.Error("chose an optimum although every result is retired")
	}
}

// An entrant with a price of its own (another architecture) is priced with
// it; without one, with the settings' price.
func TestJudgeRaceUsesEachEntrantsPrice(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategyCost, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	halfPrice := racePrice
	halfPrice.PerGBSecond /= 2
	// 1024 MB at 120 ms costs about 20 % more than 512 MB at 200 ms, at one price.
	small := entrant(512, noisy(1, 20, 200, 0.02))
	large := entrant(1024, noisy(2, 20, 120, 0.02))

	v := judge(s, []analysis.RaceEntrant{small, large})
	if _, retired := v.Retired[1024]; v.Leader != 512 || !retired {
		t.Errorf("one price: leader %d, retired %v; want 512 MB ahead and 1024 MB retired", v.Leader, v.Retired)
	}

	large.Price, large.Arch = &halfPrice, analysis.ArchARM64
	v = judge(s, []analysis.RaceEntrant{small, large})
	if _, retired := v.Retired[512]; v.Leader != 1024 || !retired {
		t.Errorf("1024 MB at half the price: leader %d, retired %v; want 1024 MB ahead and 512 MB retired", v.Leader, v.Retired)
	}
	if len(v.Intervals) != 2 || v.Intervals[1].Arch != analysis.ArchARM64 || v.Intervals[0].Arch != "" {
		t.Errorf("intervals %+v do not name each entrant's architecture", v.Intervals)
	}
}

// cpuBoundAt is n noisy measurements of a CPU-bound function (400 ms of
// CPU at one vCPU, 20 ms of I/O) at power.
func cpuBoundAt(seed uint64, power int32, n int) []analysis.Measurement {
	return noisy(seed, n, analysis.Curve{FixedMs: 20, CPUMs: 400, LimitMB: analysis.MBPerVCPU}.At(power), 0.1)
}

// With seven sizes the curve places the slow ones after five invocations
// each, which their own measurements could not; sizes on the flat part of
// the curve stay in.
func TestJudgeRaceCurveRetiresAfterFiveInvocations(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategySpeed, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	var entrants []analysis.RaceEntrant
	for i, p := range []int32{128, 256, 512, 1024, 1536, 2048, 3008} {
		entrants = append(entrants, entrant(p, cpuBoundAt(uint64(i+1), p, 5)))
	}
	v := judge(s, entrants)
	for _, p := range []int32{128, 256, 512} {
		if _, ok := v.Retired[p]; !ok || !v.Predicted[p] {
			t.Errorf("%d MB: retired %v, predicted %v; want retired by the curve", p, ok, v.Predicted[p])
		}
	}
	for _, p := range []int32{2048, 3008} {
		if _, ok := v.Retired[p]; ok {
			t.Errorf("%d MB retired, but it is as fast as the leader (one vCPU is all the code uses)", p)
		}
	}
	if v.Settled {
		t.Error("settled after five invocations each")
	}
}

// A curve that does not describe the function earns no weight: sizes
// whose durations zigzag against memory keep estimates near their own.
func TestJudgeRaceIgnoresACurveThatDoesNotFit(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategySpeed, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	zigzag := map[int32]float64{128: 300, 256: 900, 512: 250, 1024: 800, 2048: 260, 3008: 850}
	var entrants []analysis.RaceEntrant
	for i, p := range []int32{128, 256, 512, 1024, 2048, 3008} {
		entrants = append(entrants, entrant(p, noisy(uint64(i+1), 20, zigzag[p], 0.05)))
	}
	v := judge(s, entrants)
	for _, iv := range v.Intervals {
		if want := zigzag[iv.Power]; math.Abs(iv.Estimate-want)/want > 0.06 {
			t.Errorf("%d MB: pooled estimate %.1f ms, its own measurements say about %.0f", iv.Power, iv.Estimate, want)
		}
	}
}

// Sizes on the flat part of the curve (the code uses one vCPU) are settled
// as a tie by the curve through every size after ten invocations each,
// with 10 % noise, while the slow sizes are retired.
func TestJudgeRaceCurveSettlesAFlatRegionTie(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategySpeed, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	var entrants []analysis.RaceEntrant
	n := 10
	for i, p := range []int32{128, 256, 512, 2048, 3008, 4096} {
		entrants = append(entrants, entrant(p, cpuBoundAt(uint64(i+1), p, n)))
	}
	v := judge(s, entrants)
	if !v.Settled {
		t.Fatalf("verdict %+v, want settled: 2048, 3008 and 4096 MB are equally fast", v)
	}
	for _, p := range []int32{2048, 3008, 4096} {
		if _, ok := v.Retired[p]; ok {
			t.Errorf("%d MB retired, but it is as fast as the leader", p)
		}
	}
	for _, p := range []int32{128, 256, 512} {
		if _, ok := v.Retired[p]; !ok {
			t.Errorf("%d MB not retired", p)
		}
	}
}

// A curve that does not describe the function settles nothing: after five
// invocations each, sizes whose durations zigzag against memory stay in
// the race.
func TestJudgeRaceCurveDoesNotSettleWhatItDoesNotFit(t *testing.T) {
	s := analysis.RaceSettings{Strategy: analysis.StrategySpeed, Discard: 0.2, Price: racePrice, Tolerance: 0.05}
	zigzag := map[int32]float64{128: 300, 256: 320, 512: 250, 1024: 310, 2048: 260, 3008: 330}
	var entrants []analysis.RaceEntrant
	for i, p := range []int32{128, 256, 512, 1024, 2048, 3008} {
		entrants = append(entrants, entrant(p, noisy(uint64(i+1), 5, zigzag[p], 0.1)))
	}
	if v := judge(s, entrants); v.Settled {
		t.Errorf("verdict %+v: settled on a curve that does not fit", v)
	}
}
