package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// flatCost is a function below one vCPU at every tested size: duration
// halves as memory doubles, so every size costs the same but for noise.
var flatCost = map[string]string{"SIM_CPU_MS": "400", "SIM_NOISE": "0.05"}

// tieOutputs are what a run of flatCost tells about its choice.
type tieOutputs struct {
	Optimal     int64   `json:"optimal"`
	WithinNoise []int64 `json:"within_noise"`
	TieBreaker  string  `json:"tie_breaker"`
}

// applyTies applies a run of flatCost (run names its trigger, so each apply
// is a new run with new noise) and reads its outputs.
func applyTies(t *testing.T, h *cliHarness, env *accEnv, arn, tieBreaker string, run int) tieOutputs {
	t.Helper()
	rule := ""
	if tieBreaker != "" {
		rule = fmt.Sprintf("tie_breaker = %q", tieBreaker)
	}
	dir := h.workdir(t, runConfig(env, arn, fmt.Sprintf(`num = 20
  power_values = [128, 256, 512, 1024]
  triggers     = { run = "%d" }
  %s`, run, rule))+`
output "optimal" {
  value = awspowertuning_run.test.optimal_power
}
output "within_noise" {
  value = [for r in awspowertuning_run.test.results : r.power if r.within_noise]
}
output "tie_breaker" {
  value = awspowertuning_run.test.tie_breaker
}
`)
	var out bytes.Buffer
	if err := h.apply(dir, &out).Run(); err != nil {
		t.Fatalf("apply %d: %v\n%s", run, err, out.String())
	}
	var raw map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(cliRun(t, h, dir, "output", "-json"), &raw); err != nil {
		t.Fatal(err)
	}
	var got tieOutputs
	for name, into := range map[string]any{"optimal": &got.Optimal, "within_noise": &got.WithinNoise, "tie_breaker": &got.TieBreaker} {
		if err := json.Unmarshal(raw[name].Value, into); err != nil {
			t.Fatalf("output %s: %v", name, err)
		}
	}
	return got
}

// Sizes whose costs differ only by noise are named within_noise, and with
// tie_breaker = smallest_memory runs with different noise agree on one
// size: the smallest of the optimum and its ties.
func TestAccTieBreakerMakesRunsAgree(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	h := newCLIHarness(t)
	arn := env.function(t, "flat", flatCost)

	plain := applyTies(t, h, env, arn, "", 1)
	if len(plain.WithinNoise) == 0 {
		t.Errorf("a run of sizes that cost the same but for noise names none within noise of %d MB", plain.Optimal)
	}
	if slices.Contains(plain.WithinNoise, plain.Optimal) {
		t.Errorf("within_noise %v holds the optimum %d MB itself", plain.WithinNoise, plain.Optimal)
	}
	if plain.TieBreaker != "none" {
		t.Errorf("tie_breaker = %q without the argument, want the default none", plain.TieBreaker)
	}

	chosen := map[int64]bool{}
	for run := 2; run <= 4; run++ {
		got := applyTies(t, h, env, arn, "smallest_memory", run)
		chosen[got.Optimal] = true
		if len(got.WithinNoise) > 0 && slices.Min(got.WithinNoise) < got.Optimal {
			t.Errorf("run %d chose %d MB with smaller sizes %v within noise of it", run, got.Optimal, got.WithinNoise)
		}
	}
	if len(chosen) != 1 {
		t.Errorf("three runs with tie_breaker = smallest_memory chose %v, want one size every time", slices.Sorted(maps.Keys(chosen)))
	}
}
