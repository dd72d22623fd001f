package tuning

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// BenchmarkAdaptiveSampling runs adaptiveTrials seeded trials, each an
// exhaustive and an adaptive run of the same simulated function at time
// scale 0, and reports the share of trials whose adaptive decision equals
// the exhaustive one or is within the tolerance of its ranked quantity
// (judged on the exhaustive figures), and the average share of invocations
// the adaptive runs used. It fails below 95 % agreement or above 40 % use.
func BenchmarkAdaptiveSampling(b *testing.B) {
	const adaptiveTrials = 240
	sim, err := lambdasim.Start(lambdasim.Options{Seed: 1, UpdateDelay: time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	clients := simClients(sim.URL(), 2*time.Millisecond)

	b.ResetTimer()
	for range b.N {
		var agree int
		var usedShare float64
		byFamily := map[string][2]int{} // family: agreed, trials
		for trial := range adaptiveTrials {
			tr := newAdaptiveTrial(trial)
			arn, err := sim.AddFunction(lambdasim.FunctionSpec{Name: "adaptive-" + strconv.Itoa(trial), Timeout: 120, Environment: tr.env})
			if err != nil {
				b.Fatal(err)
			}
			in := tr.in
			in.LambdaARN = arn
			engine := New(Config{Clients: clients, Seed: int64(trial + 1), Waits: waiter.Settings{Min: time.Millisecond, Max: 5 * time.Millisecond}})
			exhaustive, err := engine.Run(context.Background(), in)
			if err != nil {
				b.Fatalf("trial %d (%s) exhaustive: %v", trial, tr.family, err)
			}
			in.Sampling = spec.SamplingAdaptive
			adaptive, err := engine.Run(context.Background(), in)
			if err != nil {
				b.Fatalf("trial %d (%s) adaptive: %v", trial, tr.family, err)
			}
			ok := decisionAgrees(in.Strategy, exhaustive, adaptive)
			f := byFamily[tr.family]
			f[1]++
			if ok {
				agree++
				f[0]++
			} else {
				b.Logf("trial %d (%s, %s): adaptive %d MB, exhaustive %d MB", trial, tr.family, in.Strategy, adaptive.OptimalPower, exhaustive.OptimalPower)
			}
			byFamily[tr.family] = f
			usedShare += float64(invocationsOf(adaptive)) / float64(invocationsOf(exhaustive))
		}
		agreePct := 100 * float64(agree) / adaptiveTrials
		usedPct := 100 * usedShare / adaptiveTrials
		b.ReportMetric(agreePct, "agree-%")
		b.ReportMetric(usedPct, "invocations-used-%")
		for family, f := range byFamily {
			b.Logf("%-15s %3d/%3d agree", family, f[0], f[1])
		}
		if agreePct < 95 || usedPct > 40 {
			b.Errorf("adaptive sampling: %.1f %% of %d trials agree (want ≥ 95 %%), %.1f %% of the invocations used (want ≤ 40 %%)",
				agreePct, adaptiveTrials, usedPct)
		}
	}
}

// adaptiveTrial is one simulated function and the run's input.
type adaptiveTrial struct {
	family string
	env    map[string]string
	in     spec.Input
}

var adaptiveStrategies = []analysis.Strategy{analysis.StrategyCost, analysis.StrategySpeed, analysis.StrategyBalanced}

// newAdaptiveTrial draws trial's function from one of five families, with
// 5–15 % noise (the emulator adds its outliers to noisy invocations).
func newAdaptiveTrial(trial int) adaptiveTrial {
	rng := rand.New(rand.NewPCG(uint64(trial), 0xada))
	between := func(lo, hi float64) string { return strconv.FormatFloat(lo+(hi-lo)*rng.Float64(), 'f', 1, 64) }
	env := map[string]string{"SIM_NOISE": strconv.FormatFloat(0.05+0.10*rng.Float64(), 'f', 3, 64)}
	tr := adaptiveTrial{env: env, in: spec.Input{Num: 50, Strategy: adaptiveStrategies[trial%3],
		PowerValues: []int32{128, 256, 512, 1024, 1536, 2048, 3008}}}
	switch trial % 5 {
	case 0:
		tr.family = "cpu-bound"
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(50, 800), between(0, 20)
	case 1:
		tr.family = "io-bound"
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(2, 20), between(100, 500)
	case 2:
		tr.family = "multi-threaded"
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(200, 2000), between(0, 30)
		env["SIM_THREADS"] = strconv.Itoa(2 + rng.IntN(5))
		tr.in.PowerValues = []int32{512, 1024, 2048, 3008, 4096, 6144, 8192, 10240}
	case 3:
		// One vCPU at 1769 MB: 1792 and 2048 MB are equally fast.
		tr.family = "near-tie"
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(100, 400), between(0, 10)
		tr.in.PowerValues = []int32{512, 1024, 1769, 1792, 2048, 3008}
	default:
		tr.family = "out-of-memory"
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(50, 500), between(0, 50)
		env["SIM_MIN_MEMORY"] = strconv.Itoa(200 + rng.IntN(400))
		tr.in.SkipFailedPowerValues = true
	}
	if trial%2 == 1 {
		tr.in.ParallelInvocation = true
	}
	return tr
}

// decisionAgrees: the same optimum, or one whose ranked quantity in the
// exhaustive run is within the default tolerance of the exhaustive optimum's.
func decisionAgrees(strategy analysis.Strategy, exhaustive, adaptive *report.Report) bool {
	if adaptive.OptimalPower == exhaustive.OptimalPower {
		return true
	}
	pick, ok := resultFor(exhaustive, adaptive.OptimalPower)
	if !ok || pick.Failed {
		return false
	}
	best, _ := resultFor(exhaustive, exhaustive.OptimalPower)
	q := rankedOver(strategy, exhaustive)
	return q(pick) <= q(best)*(1+analysis.DefaultAdaptiveTolerance)
}

// rankedOver is the strategy's ranked quantity over the report's usable results.
func rankedOver(strategy analysis.Strategy, rep *report.Report) func(analysis.PowerResult) float64 {
	usable := &report.Report{}
	for _, r := range rep.Results {
		if !r.Failed {
			usable.Results = append(usable.Results, r)
		}
	}
	return rankedBy(strategy, usable)
}

func invocationsOf(rep *report.Report) int {
	n := 0
	for _, r := range rep.Results {
		n += r.Invocations
	}
	return n
}
