package tuning

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// BenchmarkAdaptiveSampling runs adaptiveTrials seeded trials, each an
// exhaustive and an adaptive run of the same simulated function at time
// scale 0, with realistic noise on every invocation (lognormal jitter of
// 5–15 %, an outlier in every 5–10 invocations, on top of the emulator's
// own cold starts). It prints, per mix of functions and overall, the share
// of trials whose adaptive decision equals the exhaustive one or is within
// the tolerance of its ranked quantity (judged on the exhaustive figures),
// and the share of the exhaustive run's invocations the adaptive run used.
// It fails below 95 % agreement overall or 90 % in any mix, or above 30 %
// of the invocations overall.
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
		var total adaptiveTally
		byMix := map[string]*adaptiveTally{}
		for trial := range adaptiveTrials {
			tr := newAdaptiveTrial(trial)
			arn, err := sim.AddFunction(lambdasim.FunctionSpec{Name: "adaptive-" + strconv.Itoa(trial), Timeout: 120, Environment: tr.env})
			if err != nil {
				b.Fatal(err)
			}
			in := tr.in
			in.LambdaARN = arn
			run := func(sampling string, seed uint64) *report.Report {
				in.Sampling = sampling
				noise := tr.noise
				noise.seed = seed
				engine := New(Config{Clients: withRealisticNoise(clients, noise), Seed: int64(trial + 1),
					Waits: waiter.Settings{Min: time.Millisecond, Max: 5 * time.Millisecond}})
				rep, err := engine.Run(context.Background(), in)
				if err != nil {
					b.Fatalf("trial %d (%s) %s: %v", trial, tr.mix, sampling, err)
				}
				return rep
			}
			exhaustive := run(spec.SamplingExhaustive, uint64(3*trial))
			adaptive := run(spec.SamplingAdaptive, uint64(3*trial+1))
			// A second exhaustive run with other noise: how often exhaustive
			// sampling agrees with itself is the ceiling of the comparison.
			again := run(spec.SamplingExhaustive, uint64(3*trial+2))
			ok := decisionAgrees(in.Strategy, exhaustive, adaptive)
			if !ok {
				b.Logf("trial %d (%s, %s): adaptive %d MB, exhaustive %d MB", trial, tr.mix, in.Strategy, adaptive.OptimalPower, exhaustive.OptimalPower)
			}
			used := float64(invocationsOf(adaptive)) / float64(invocationsOf(exhaustive))
			self := decisionAgrees(in.Strategy, exhaustive, again)
			total.add(ok, self, used)
			if byMix[tr.mix] == nil {
				byMix[tr.mix] = &adaptiveTally{}
			}
			byMix[tr.mix].add(ok, self, used)
		}
		b.ReportMetric(total.agreePct(), "agree-%")
		b.ReportMetric(total.usedPct(), "invocations-used-%")
		// Printed, not logged, so that make bench shows the table.
		fmt.Printf("adaptive sampling against exhaustive sampling, %d seeded trials (exhaustive again: a second exhaustive run, other noise):\n"+
			"%-16s %7s %9s %14s %19s\n", adaptiveTrials, "mix", "trials", "agree %", "invocations %", "exhaustive again %")
		for _, mix := range adaptiveMixes {
			t := byMix[mix]
			fmt.Printf("%-16s %7d %9.1f %14.1f %19.1f\n", mix, t.trials, t.agreePct(), t.usedPct(), t.selfPct())
			if t.agreePct() < 90 {
				b.Errorf("%s: %.1f %% of %d trials agree (want ≥ 90 %%)", mix, t.agreePct(), t.trials)
			}
		}
		fmt.Printf("%-16s %7d %9.1f %14.1f %19.1f\n", "overall", total.trials, total.agreePct(), total.usedPct(), total.selfPct())
		if total.agreePct() < 95 || total.usedPct() > 30 {
			b.Errorf("adaptive sampling: %.1f %% of %d trials agree (want ≥ 95 %%), %.1f %% of the invocations used (want ≤ 30 %%)",
				total.agreePct(), adaptiveTrials, total.usedPct())
		}
	}
}

// adaptiveTally counts trials that agree and sums the share of invocations used.
type adaptiveTally struct {
	trials, agreed, selfAgreed int
	used                       float64
}

func (t *adaptiveTally) add(agreed, selfAgreed bool, used float64) {
	t.trials++
	t.used += used
	if agreed {
		t.agreed++
	}
	if selfAgreed {
		t.selfAgreed++
	}
}

func (t *adaptiveTally) selfPct() float64 {
	return 100 * float64(t.selfAgreed) / float64(max(t.trials, 1))
}

func (t *adaptiveTally) agreePct() float64 {
	return 100 * float64(t.agreed) / float64(max(t.trials, 1))
}
func (t *adaptiveTally) usedPct() float64 { return 100 * t.used / float64(max(t.trials, 1)) }

// adaptiveTrial is one simulated function, its noise and the run's input.
type adaptiveTrial struct {
	mix   string
	env   map[string]string
	noise realisticNoise
	in    spec.Input
}

var (
	adaptiveStrategies = []analysis.Strategy{analysis.StrategyCost, analysis.StrategySpeed, analysis.StrategyBalanced}
	adaptiveMixes      = []string{"cpu-bound", "io-bound", "multi-threaded", "near-tie", "cold-starts", "out-of-memory"}
)

// newAdaptiveTrial draws trial's function from one of the mixes. Every
// trial has lognormal jitter of 5–15 % and an outlier in every 5–10
// invocations; within each mix strategies rotate, and serial and parallel
// runs alternate every three trials.
func newAdaptiveTrial(trial int) adaptiveTrial {
	rng := rand.New(rand.NewPCG(uint64(trial), 0xada))
	between := func(lo, hi float64) string { return strconv.FormatFloat(lo+(hi-lo)*rng.Float64(), 'f', 1, 64) }
	env := map[string]string{}
	tr := adaptiveTrial{env: env, mix: adaptiveMixes[trial%len(adaptiveMixes)],
		noise: realisticNoise{sigma: 0.05 + 0.10*rng.Float64(), outlierEvery: 5 + 5*rng.Float64()},
		in: spec.Input{Num: 50, Strategy: adaptiveStrategies[(trial/len(adaptiveMixes))%3],
			PowerValues: []int32{128, 256, 512, 1024, 1536, 2048, 3008}}}
	switch tr.mix {
	case "cpu-bound":
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(50, 800), between(0, 20)
	case "io-bound":
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(2, 20), between(100, 500)
	case "multi-threaded":
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(200, 2000), between(0, 30)
		env["SIM_THREADS"] = strconv.Itoa(2 + rng.IntN(5))
		tr.in.PowerValues = []int32{512, 1024, 2048, 3008, 4096, 6144, 8192, 10240}
	case "near-tie":
		// One vCPU at 1769 MB: 1792 and 2048 MB are equally fast.
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(100, 400), between(0, 10)
		tr.in.PowerValues = []int32{512, 1024, 1769, 1792, 2048, 3008}
	case "cold-starts":
		// A heavy runtime, invoked in parallel: many invocations start cold.
		// Weighted payloads, laid out in order, are sent spread.
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(50, 400), between(0, 50)
		env["SIM_INIT_MS"] = between(300, 1500)
		tr.in.Payload = aws.String(`[{"payload":{"size":"small"},"weight":3},{"payload":{"size":"large"},"weight":1}]`)
	default:
		env["SIM_CPU_MS"], env["SIM_IO_MS"] = between(50, 500), between(0, 50)
		env["SIM_MIN_MEMORY"] = strconv.Itoa(200 + rng.IntN(400))
		tr.in.SkipFailedPowerValues = true
	}
	tr.in.ParallelInvocation = (trial/len(adaptiveMixes)/3)%2 == 1 || tr.mix == "cold-starts"
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
