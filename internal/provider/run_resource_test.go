package provider

import (
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

const runAddress = "awspowertuning_run.test"

// resultsOf expects results for exactly these power values, in order.
func resultsOf(powers ...int64) knownvalue.Check {
	checks := make([]knownvalue.Check, len(powers))
	for i, p := range powers {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"power":            knownvalue.Int64Exact(p),
			"invocations":      knownvalue.Int64Exact(5),
			"average_duration": knownvalue.Float64Func(positive),
			"average_cost":     knownvalue.Float64Func(positive),
			"total_cost":       knownvalue.Float64Func(positive),
			"p50_duration":     knownvalue.Float64Func(positive),
			"p90_duration":     knownvalue.Float64Func(positive),
			"p99_duration":     knownvalue.Float64Func(positive),
			"errors":           knownvalue.Int64Exact(0),
			"failed":           knownvalue.Bool(false),
		})
	}
	return knownvalue.ListExact(checks)
}

func positive(v float64) error {
	if v <= 0 {
		return fmt.Errorf("want a positive number, got %g", v)
	}
	return nil
}

func TestAccRun_basicImportAndReport(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "basic", cpuBound)
	config := runConfig(env, arn, `power_values  = [128, 512, 1024]
  report_s3_uri = "s3://reports/basic.json"`)
	sameOptimum := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(runAddress, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(runAddress, tfjsonpath.New("results")),
					plancheck.ExpectUnknownValue(runAddress, tfjsonpath.New("optimal_power")),
					plancheck.ExpectUnknownValue(runAddress, tfjsonpath.New("output")),
					plancheck.ExpectKnownValue(runAddress, tfjsonpath.New("strategy"), knownvalue.StringExact("cost")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(128, 512, 1024)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), oneOf(128, 512, 1024)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("function_arn"), knownvalue.StringExact(arn)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("architecture"), knownvalue.StringExact("x86_64")),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("currency"), knownvalue.StringExact("USD")),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("visualization_url"), knownvalue.StringRegexp(visualizationURL)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("output"), knownvalue.StringRegexp(upstreamOutput)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("function_code_sha256"), knownvalue.StringRegexp(nonEmpty)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("tuned_at"), knownvalue.StringRegexp(rfc3339)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("tuning_cost"), knownvalue.Float64Func(positive)),
					sameOptimum.AddStateValue(runAddress, tfjsonpath.New("optimal_power")),
				},
				Check: env.cleanCheck(arn, accMemory),
			},
			{
				// Refresh and re-plan: the run is not repeated and nothing drifts.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameOptimum.AddStateValue(runAddress, tfjsonpath.New("optimal_power")),
				},
			},
			{
				ResourceName:  runAddress,
				ImportState:   true,
				ImportStateId: "s3://reports/none.json",
				ExpectError:   regexp.MustCompile(`(?s)Report Not Found.*s3://reports/none.json`),
			},
			{
				// The stored report recreates every attribute, inputs included.
				ResourceName:      runAddress,
				ImportState:       true,
				ImportStateId:     "s3://reports/basic.json",
				ImportStateVerify: true,
			},
		},
	})
}

var (
	visualizationURL = regexp.MustCompile(`^https://lambda-power-tuning\.show/#[A-Za-z0-9+/=]+;[A-Za-z0-9+/=]+;[A-Za-z0-9+/=]+$`)
	upstreamOutput   = regexp.MustCompile(`^\{"power":\d+,"cost":[0-9.e-]+,"duration":[0-9.e-]+,"stateMachine":\{`)
	nonEmpty         = regexp.MustCompile(`.`)
	rfc3339          = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`)
)

// oneOf accepts any of the given integers.
func oneOf(values ...int64) knownvalue.Check {
	return knownvalue.Int64Func(func(v int64) error {
		if slices.Contains(values, v) {
			return nil
		}
		return fmt.Errorf("got %d, want one of %v", v, values)
	})
}

// A CPU-bound function is cheapest at the smallest size (it is billed per
// GB-second and its work shrinks in step with memory up to one vCPU), fastest
// at the largest, and the balanced strategy lands in between.
func TestAccRun_strategies(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	cost := env.function(t, "by-cost", cpuBound)
	speed := env.function(t, "by-speed", cpuBound)
	balanced := env.function(t, "balanced", cpuBound)
	config := env.providerConfig() + fmt.Sprintf(`
# A bare name is tuned in the provider's Region.
resource "awspowertuning_run" "cost" {
  lambda_arn   = "by-cost"
  num          = 5
  power_values = [128, 1024, 3008]
}

resource "awspowertuning_run" "speed" {
  lambda_arn   = %q
  num          = 5
  power_values = [128, 1024, 3008]
  strategy     = "speed"
}

resource "awspowertuning_run" "balanced" {
  lambda_arn      = %q
  num             = 5
  power_values    = [128, 1024, 3008]
  strategy        = "balanced"
  balanced_weight = 0.5
}
`, speed, balanced)

	clean := resource.ComposeAggregateTestCheckFunc(
		env.cleanCheck(cost, accMemory), env.cleanCheck(speed, accMemory), env.cleanCheck(balanced, accMemory),
	)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             clean,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("awspowertuning_run.cost", tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(128)),
				statecheck.ExpectKnownValue("awspowertuning_run.cost", tfjsonpath.New("function_arn"), knownvalue.StringExact(cost)),
				statecheck.ExpectKnownValue("awspowertuning_run.speed", tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(3008)),
				statecheck.ExpectKnownValue("awspowertuning_run.balanced", tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(1024)),
				statecheck.ExpectKnownValue("awspowertuning_run.balanced", tfjsonpath.New("balanced_weight"), knownvalue.Float64Exact(0.5)),
			},
			Check: clean,
		}},
	})
}

// Changing triggers runs the tuning again (a replacement, with results
// unknown until then); changing only timeouts updates in place and keeps
// the recorded run.
func TestAccRun_triggersAndTimeouts(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "triggered", cpuBound)
	config := func(release, timeouts string) string {
		return runConfig(env, arn, fmt.Sprintf(`power_values = [128, 512]
  triggers     = { release = %q }
  %s`, release, timeouts))
	}
	idChanges := statecheck.CompareValue(compare.ValuesDiffer())
	idKept := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{
			{
				Config:            config("1", ""),
				ConfigStateChecks: []statecheck.StateCheck{idChanges.AddStateValue(runAddress, tfjsonpath.New("id"))},
			},
			{
				Config: config("2", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(runAddress, plancheck.ResourceActionReplace),
					plancheck.ExpectUnknownValue(runAddress, tfjsonpath.New("results")),
					plancheck.ExpectUnknownValue(runAddress, tfjsonpath.New("tuned_at")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					idChanges.AddStateValue(runAddress, tfjsonpath.New("id")),
					idKept.AddStateValue(runAddress, tfjsonpath.New("id")),
				},
				Check: env.cleanCheck(arn, accMemory),
			},
			{
				Config: config("2", `timeouts { create = "10m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(runAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), knownvalue.ListSizeExact(2)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					idKept.AddStateValue(runAddress, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("10m")),
				},
			},
		},
	})
}

// A run that outlives its create timeout stops with a clear error and still
// leaves the function as it found it.
func TestAccRun_createTimeout(t *testing.T) {
	// Every update takes 300 ms to settle: configuring 4 power values cannot fit in 1 s.
	env := newAccEnv(t, lambdasim.Options{UpdateDelay: 300 * time.Millisecond})
	arn := env.function(t, "slow", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, `power_values = [128, 256, 512, 1024]
  timeouts {
    create = "1s"
  }`),
			ExpectError: regexp.MustCompile(`(?s)Tuning Run Timed Out.*create timeout \(1s\)\. Raise timeouts`),
		}},
	})
}
