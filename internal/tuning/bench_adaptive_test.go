package tuning

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
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
// own cold starts). It prints a table, per mix of functions and overall:
//
//   - agree (true %): the share of trials whose adaptive decision is the
//     best size or within adaptive_tolerance of it on the ranked quantity
//     (cost, duration or balanced score), judged on the function's true,
//     noise-free figures (trueReport: the emulator's performance model,
//     warm). This is the acceptance's figure: exhaustive sampling is a
//     measurement too, and one noisy exhaustive run agrees with a second
//     one only about 90 % of the time, so judging against it would count
//     the exhaustive run's own mistakes against the adaptive one;
//   - agree (exh. %): the same judged on the exhaustive run's figures (its
//     optimum, or a size within the tolerance of it there);
//   - exhaustive (true %): how often the exhaustive decision itself passes
//     the true judgement, and exhaustive again %: how often a second
//     exhaustive run, with other noise, agrees with the first;
//   - invocations %: the share of the exhaustive run's invocations the
//     adaptive run used.
//
// It fails below 95 % true agreement overall or 90 % in any mix, or above
// 30 % of the invocations overall.
//
// The noise is seeded per size and invocation, so the figures repeat,
// except in the cold-starts mix: how many parallel invocations start cold
// depends on timing, and its rows vary by a trial or two between runs
// (well inside its margin; its trials stay parallel, as a heavy runtime's
// cold starts are what the mix is about).
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
			truth := trueReport(tr)
			var t trialOutcome
			t.agreeExhaustive = decisionAgrees(in.Strategy, exhaustive, adaptive.OptimalPower)
			t.agreeTrue = decisionAgrees(in.Strategy, truth, adaptive.OptimalPower)
			t.exhaustiveTrue = decisionAgrees(in.Strategy, truth, exhaustive.OptimalPower)
			t.exhaustiveAgain = decisionAgrees(in.Strategy, exhaustive, again.OptimalPower)
			t.used = float64(invocationsOf(adaptive)) / float64(invocationsOf(exhaustive))
			if !t.agreeTrue || !t.agreeExhaustive {
				b.Logf("trial %d (%s, %s): adaptive %d MB, exhaustive %d MB, true %d MB (agrees: true %v, exhaustive %v)", trial, tr.mix, in.Strategy,
					adaptive.OptimalPower, exhaustive.OptimalPower, truth.OptimalPower, t.agreeTrue, t.agreeExhaustive)
			}
			if debugAdaptive {
				line := fmt.Sprintf("trial %d %s %s true %d MB, adaptive %d MB, agrees %v, used %.2f:", trial, tr.mix, in.Strategy,
					truth.OptimalPower, adaptive.OptimalPower, t.agreeTrue, t.used)
				for _, r := range adaptive.Results {
					line += fmt.Sprintf(" %d/%d/%s", r.Power, r.Invocations, r.Sampling)
				}
				fmt.Println(line)
			}
			total.add(t)
			if byMix[tr.mix] == nil {
				byMix[tr.mix] = &adaptiveTally{}
			}
			byMix[tr.mix].add(t)
		}
		b.ReportMetric(total.pct(total.agreeTrue), "agree-true-%")
		b.ReportMetric(total.pct(total.agreeExhaustive), "agree-exhaustive-%")
		b.ReportMetric(total.usedPct(), "invocations-used-%")
		// Printed, not logged, so that make bench shows the table.
		fmt.Printf("adaptive sampling against exhaustive sampling, %d seeded trials, tolerance %.0f %%:\n", adaptiveTrials, 100*analysis.DefaultAdaptiveTolerance)
		row := func(mix string, t *adaptiveTally) {
			fmt.Printf("%-16s %6d %13.1f %13.1f %14.1f %18.1f %19.1f\n", mix, t.trials, t.pct(t.agreeTrue), t.pct(t.agreeExhaustive),
				t.usedPct(), t.pct(t.exhaustiveTrue), t.pct(t.exhaustiveAgain))
		}
		fmt.Printf("%-16s %6s %13s %13s %14s %18s %19s\n", "mix", "trials", "agree true %", "agree exh. %",
			"invocations %", "exhaustive true %", "exhaustive again %")
		for _, mix := range adaptiveMixes {
			t := byMix[mix]
			row(mix, t)
			if t.pct(t.agreeTrue) < 90 {
				b.Errorf("%s: %.1f %% of %d trials agree with the true figures (want ≥ 90 %%)", mix, t.pct(t.agreeTrue), t.trials)
			}
		}
		row("overall", &total)
		if total.pct(total.agreeTrue) < 95 || total.usedPct() > 30 {
			b.Errorf("adaptive sampling: %.1f %% of %d trials agree with the true figures (want ≥ 95 %%), %.1f %% of the invocations used (want ≤ 30 %%)",
				total.pct(total.agreeTrue), adaptiveTrials, total.usedPct())
		}
	}
}

// debugAdaptive (ADAPTIVE_DEBUG=1) prints every trial's adaptive results:
// each size's invocations and how sampling judged it.
var debugAdaptive = os.Getenv("ADAPTIVE_DEBUG") != ""

// trialOutcome is one trial's judgements (see BenchmarkAdaptiveSampling).
type trialOutcome struct {
	agreeTrue, agreeExhaustive, exhaustiveTrue, exhaustiveAgain bool
	used                                                        float64
}

// adaptiveTally counts the trials passing each judgement and sums the share
// of invocations used.
type adaptiveTally struct {
	trials, agreeTrue, agreeExhaustive, exhaustiveTrue, exhaustiveAgain int
	used                                                                float64
}

func (t *adaptiveTally) add(o trialOutcome) {
	t.trials++
	t.used += o.used
	for _, c := range []struct {
		n  *int
		ok bool
	}{{&t.agreeTrue, o.agreeTrue}, {&t.agreeExhaustive, o.agreeExhaustive}, {&t.exhaustiveTrue, o.exhaustiveTrue}, {&t.exhaustiveAgain, o.exhaustiveAgain}} {
		if c.ok {
			*c.n++
		}
	}
}

func (t *adaptiveTally) pct(n int) float64 { return 100 * float64(n) / float64(max(t.trials, 1)) }

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

// decisionAgrees: choice is ref's optimum, or a size whose ranked quantity
// in ref is within the default tolerance of ref's optimum's.
func decisionAgrees(strategy analysis.Strategy, ref *report.Report, choice int32) bool {
	if choice == ref.OptimalPower {
		return true
	}
	pick, ok := resultFor(ref, choice)
	if !ok || pick.Failed {
		return false
	}
	best, _ := resultFor(ref, ref.OptimalPower)
	q := rankedOver(strategy, ref)
	return q(pick) <= q(best)*(1+analysis.DefaultAdaptiveTolerance)
}

// trueReport is the trial's function as the emulator's performance model
// has it without noise (internal/lambdasim/perfmodel.go, simulate): every
// size's warm duration, 0.6 ms of runtime plus the CPU work over the vCPUs
// it can use plus the waiting, billed as Lambda bills it, and failed below
// SIM_MIN_MEMORY; its optimum is the strategy's best usable size.
//
// Cold starts are left out on purpose: how many invocations start cold
// depends on how a run sends them (all at once, or in rounds) and on
// timing, not on the function, and every size's trimmed mean is meant to
// estimate its steady state. The benchmark's multiplicative noise is the
// same at every size, so it scales every figure alike and leaves the
// ranking as it is.
func trueReport(tr adaptiveTrial) *report.Report {
	num := func(key string) float64 {
		v, _ := strconv.ParseFloat(tr.env[key], 64)
		return v
	}
	threads := 1.0
	if n, err := strconv.Atoi(tr.env["SIM_THREADS"]); err == nil {
		threads = float64(n)
	}
	minMemory := num("SIM_MIN_MEMORY")
	price := analysis.DefaultPrice("us-east-1", "")
	rep := &report.Report{}
	for _, m := range tr.in.PowerValues {
		vcpu := min(float64(m)/analysis.MBPerVCPU, 6)
		d := 0.6 + num("SIM_CPU_MS")/min(vcpu, threads) + num("SIM_IO_MS")
		r := analysis.PowerResult{Power: m, AverageDuration: d, AverageCost: analysis.AverageCost(price, d, m),
			Failed: float64(m) < minMemory}
		rep.Results = append(rep.Results, r)
	}
	q := rankedOver(tr.in.Strategy, rep)
	for _, r := range rep.Results {
		if best, _ := resultFor(rep, rep.OptimalPower); !r.Failed && (rep.OptimalPower == 0 || q(r) < q(best)) {
			rep.OptimalPower = r.Power
		}
	}
	return rep
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
