package tuning

import (
	"context"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// flatCost tunes a CPU-bound function below one vCPU, where duration
// halves as memory doubles: every size costs the same but for 5 % noise.
func flatCost(t *testing.T, seed int64, tieBreaker string) *report.Report {
	t.Helper()
	env := startSim(t, lambdasim.Options{Seed: seed})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "flat", Environment: map[string]string{"SIM_CPU_MS": "400", "SIM_NOISE": "0.05"}})
	rep, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 20, PowerValues: []int32{128, 256, 512, 1024},
		Strategy: analysis.StrategyCost, TieBreaker: tieBreaker})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestE2ETiesAreNamedAndAStableRuleChoosesTheSameSize(t *testing.T) {
	chosen := map[int32]int{}
	for seed := int64(1); seed <= 3; seed++ {
		plain := flatCost(t, seed, "")
		if len(plain.WithinNoise) == 0 {
			t.Errorf("seed %d: the optimum %d MB has no size within noise, though all cost the same but for noise", seed, plain.OptimalPower)
		}
		for _, res := range plain.Results {
			marked := false
			for _, k := range plain.WithinNoise {
				marked = marked || k == res.Key()
			}
			if res.WithinNoise != marked {
				t.Errorf("seed %d: %d MB within_noise %v, but the report lists %v", seed, res.Power, res.WithinNoise, plain.WithinNoise)
			}
		}
		chosen[flatCost(t, seed, string(analysis.TieRuleSmallestMemory)).OptimalPower]++
	}
	if len(chosen) != 1 {
		t.Errorf("with tie_breaker = smallest_memory three runs chose %v, want one size every time", chosen)
	}
}
