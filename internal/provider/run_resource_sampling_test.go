package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Adaptive sampling through the CLI with each strategy: the same optimum as
// the strategies test (cpuBound: 128 MB cheapest, 3008 MB fastest, 1024 MB
// balanced), clearly worse sizes retired with how far behind they were, and
// the invocations saved reported and true to what the emulator ran.
func TestAccRun_adaptiveSampling(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	const num = 30
	powers := "[128, 1024, 3008]"
	strategies := []struct {
		name, strategy string
		optimum        int64
	}{
		{"cost", "cost", 128},
		{"speed", "speed", 3008},
		{"balanced", "balanced", 1024},
	}
	config := env.providerConfig()
	var checks []statecheck.StateCheck
	var clean, results []resource.TestCheckFunc
	for _, s := range strategies {
		arn := env.function(t, "adaptive-"+s.name, cpuBound)
		config += fmt.Sprintf(`
resource "awspowertuning_run" %q {
  lambda_arn         = %q
  num                = %d
  power_values       = %s
  strategy           = %q
  sampling           = "adaptive"
  adaptive_tolerance = 0.05
  parallel_invocation = %t
}
`, s.name, arn, num, powers, s.strategy, s.name == "speed")
		address := "awspowertuning_run." + s.name
		checks = append(checks,
			statecheck.ExpectKnownValue(address, tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(s.optimum)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("sampling"), knownvalue.StringExact("adaptive")),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("invocations_saved"), knownvalue.Int64Func(func(v int64) error {
				if v < num { // at least one size retired after at most two rounds
					return fmt.Errorf("saved %d of %d invocations, want at least %d", v, 3*num, num)
				}
				return nil
			})),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("results"), knownvalue.ListPartial(map[int]knownvalue.Check{
				optimumIndex(s.optimum): knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"retired": knownvalue.Bool(false), "behind_by": knownvalue.Float64Exact(0),
				}),
			})),
		)
		clean = append(clean, env.cleanCheck(arn, accMemory))
		results = append(results, checkAdaptiveResults(address, num))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(clean...),
		Steps: []resource.TestStep{
			{
				Config:      runConfig(env, functionARN("adaptive-cost"), "sampling = \"adaptive\"\nonly_cold_starts = true"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Sampling.*only_cold_starts`),
			},
			{
				Config:      runConfig(env, functionARN("adaptive-cost"), "adaptive_tolerance = 0.1"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Argument Has No Effect.*sampling = "adaptive"`),
			},
			{
				Config: runConfig(env, functionARN("adaptive-cost"), "sampling = \"adaptive\"\n"+
					"state_machine_arn = \"arn:aws:states:us-east-1:123456789012:stateMachine:powerTuning\""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Argument Not Supported With State Machine.*sampling = "adaptive"`),
			},
			{
				Config:      runConfig(env, functionARN("adaptive-cost"), "sampling = \"sometimes\""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)value must be one of.*"adaptive"`),
			},
			{
				Config:            config,
				ConfigStateChecks: checks,
				Check:             resource.ComposeAggregateTestCheckFunc(append(clean, results...)...),
			},
		},
	})
}

func optimumIndex(power int64) int {
	return map[int64]int{128: 0, 1024: 1, 3008: 2}[power]
}

// checkAdaptiveResults: every size had 10 (the first round) to num invocations; a retired one
// fewer than num and a positive behind_by; invocations_saved is num for
// each size less what it had.
func checkAdaptiveResults(address string, num int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s not in state", address)
		}
		a := rs.Primary.Attributes
		count, _ := strconv.Atoi(a["results.#"])
		saved, retired := 0, 0
		for i := range count {
			n, _ := strconv.Atoi(a[fmt.Sprintf("results.%d.invocations", i)])
			behind, _ := strconv.ParseFloat(a[fmt.Sprintf("results.%d.behind_by", i)], 64)
			if n < 10 || n > num {
				return fmt.Errorf("%s results[%d]: %d invocations, want 10 to %d", address, i, n, num)
			}
			if a[fmt.Sprintf("results.%d.retired", i)] == "true" {
				retired++
				if n >= num || behind <= 0 {
					return fmt.Errorf("%s results[%d]: retired after %d invocations, %g behind", address, i, n, behind)
				}
			}
			saved += num - n
		}
		if retired == 0 {
			return fmt.Errorf("%s: no memory size retired", address)
		}
		if got := a["invocations_saved"]; got != strconv.Itoa(saved) {
			return fmt.Errorf("%s: invocations_saved = %s, want %d", address, got, saved)
		}
		return nil
	}
}
