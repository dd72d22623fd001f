package tuning

import (
	"errors"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func TestE2EAdaptiveSamplingDecidesWithFewerInvocations(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "adaptive", MemorySize: 256, Environment: cpuBound(nil)})
	powers := []int32{128, 256, 512, 1024, 2048, 3008}
	const num = 60
	for _, strategy := range []analysis.Strategy{analysis.StrategyCost, analysis.StrategySpeed, analysis.StrategyBalanced} {
		for _, parallel := range []bool{false, true} {
			name := string(strategy) + map[bool]string{false: "/serial", true: "/parallel"}[parallel]
			t.Run(name, func(t *testing.T) {
				base := spec.Input{Num: num, PowerValues: powers, Strategy: strategy, ParallelInvocation: parallel}
				exhaustive, err := env.runTuning(arn, base)
				if err != nil {
					t.Fatal(err)
				}
				adaptiveIn := base
				adaptiveIn.Sampling = spec.SamplingAdaptive
				adaptive, err := env.runTuning(arn, adaptiveIn)
				if err != nil {
					t.Fatal(err)
				}
				assertAdaptiveReport(t, adaptive, num)
				if exhaustive.InvocationsSaved != 0 {
					t.Errorf("exhaustive run saved %d invocations, want 0", exhaustive.InvocationsSaved)
				}
				if adaptive.InvocationsSaved < len(powers)*num/2 {
					t.Errorf("adaptive run saved %d of %d invocations, want at least half", adaptive.InvocationsSaved, len(powers)*num)
				}
				pick, ok := resultFor(exhaustive, adaptive.OptimalPower)
				if !ok {
					t.Fatalf("adaptive optimum %d MB is not among the exhaustive results", adaptive.OptimalPower)
				}
				best, _ := resultFor(exhaustive, exhaustive.OptimalPower)
				q := rankedBy(strategy, exhaustive)
				if adaptive.OptimalPower != exhaustive.OptimalPower && q(pick) > q(best)*(1+analysis.DefaultAdaptiveTolerance) {
					t.Errorf("adaptive chose %d MB (%g), exhaustive %d MB (%g): more than the tolerance apart",
						adaptive.OptimalPower, q(pick), exhaustive.OptimalPower, q(best))
				}
			})
		}
	}
}

// assertAdaptiveReport checks the invariants of an adaptive run's report.
func assertAdaptiveReport(t *testing.T, rep *report.Report, num int) {
	t.Helper()
	invoked, retired := 0, 0
	for _, r := range rep.Results {
		invoked += r.Invocations
		if least := min(num, adaptiveRound); r.Invocations < least || r.Invocations > num {
			t.Errorf("%d MB had %d invocations, want %d to %d", r.Power, r.Invocations, least, num)
		}
		if r.Retired {
			retired++
			if r.BehindBy <= 0 || r.AverageCost <= 0 || r.AverageDuration <= 0 {
				t.Errorf("retired %d MB lacks its figures or how far behind it was: %+v", r.Power, r)
			}
			if r.Power == rep.OptimalPower {
				t.Errorf("the optimum %d MB was retired", r.Power)
			}
		}
	}
	if retired == 0 {
		t.Error("no power value was retired")
	}
	if want := num*len(rep.Results) - invoked; rep.InvocationsSaved != want {
		t.Errorf("InvocationsSaved = %d, want %d", rep.InvocationsSaved, want)
	}
}

func resultFor(rep *report.Report, power int32) (analysis.PowerResult, bool) {
	for _, r := range rep.Results {
		if r.Power == power {
			return r, true
		}
	}
	return analysis.PowerResult{}, false
}

// rankedBy is the quantity strategy ranks, as SelectOptimal computes it over rep.
func rankedBy(strategy analysis.Strategy, rep *report.Report) func(analysis.PowerResult) float64 {
	switch strategy {
	case analysis.StrategySpeed:
		return func(r analysis.PowerResult) float64 { return r.AverageDuration }
	case analysis.StrategyBalanced:
		var maxCost, maxDuration float64
		for _, r := range rep.Results {
			maxCost, maxDuration = max(maxCost, r.AverageCost), max(maxDuration, r.AverageDuration)
		}
		return func(r analysis.PowerResult) float64 {
			return 0.5*r.AverageCost/maxCost + 0.5*r.AverageDuration/maxDuration
		}
	default:
		return func(r analysis.PowerResult) float64 { return r.AverageCost }
	}
}

func TestE2EAdaptiveSamplingSkipsFailedPowerValues(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "adaptive-oom", MemorySize: 512,
		Environment: cpuBound(map[string]string{"SIM_MIN_MEMORY": "300"})})
	rep, err := env.runTuning(arn, spec.Input{Num: 40, PowerValues: []int32{128, 256, 512, 1024, 2048},
		Sampling: spec.SamplingAdaptive, SkipFailedPowerValues: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if (r.Power < 300) != r.Failed {
			t.Errorf("%d MB: failed = %v (%s)", r.Power, r.Failed, r.FailureReason)
		}
	}
	if rep.OptimalPower < 512 {
		t.Errorf("optimum %d MB is a power value that runs out of memory", rep.OptimalPower)
	}
}

func TestAdaptiveSamplingRejectsOnlyColdStarts(t *testing.T) {
	err := spec.Input{LambdaARN: "fn", Num: 10, Sampling: spec.SamplingAdaptive, OnlyColdStarts: true}.Validate()
	var ie *spec.InputError
	if !errors.As(err, &ie) || ie.Attribute != spec.AttrSampling {
		t.Fatalf("Validate() = %v, want an error on %s", err, spec.AttrSampling)
	}
}
