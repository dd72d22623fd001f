package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// runConfig is the test run of function arn with extra arguments; num is 5
// unless the arguments set it.
func runConfig(env *accEnv, arn, arguments string) string {
	if !numArgument.MatchString(arguments) {
		arguments = "num = 5\n" + arguments
	}
	return env.providerConfig() + fmt.Sprintf(`
resource "awspowertuning_run" "test" {
  lambda_arn = %q
  %s
}
`, arn, arguments)
}

var numArgument = regexp.MustCompile(`(?m)^\s*num\s*=`)

// checkInvocations asserts how many invocations the emulator ran in all.
func checkInvocations(env *accEnv, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := env.sim.Stats().Invocations; got != want {
			return fmt.Errorf("emulator ran %d invocations, want %d", got, want)
		}
		return nil
	}
}

func TestAccRun_payloads(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "payloads", cpuBound)
	env.sim.PutObject("payloads", "event.json", []byte(`{"records":[1,2,3]}`))
	env.sim.PutObject("payloads", "plain.txt", []byte(`not JSON at all`))

	step := func(arguments string) resource.TestStep {
		return resource.TestStep{
			Config: runConfig(env, arn, "power_values = [256, 512]\n"+arguments),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(256, 512)),
			},
			Check: env.cleanCheck(arn, accMemory),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{
			step(`payload = jsonencode({ order = 42 })`),
			step(`payload = jsonencode([
    { payload = { kind = "small" }, weight = 3 },
    { payload = { kind = "large" }, weight = 1 },
  ])`),
			step(`payload = jsonencode("just a string")`),
			step(`payload_s3 = "s3://payloads/event.json"`),
			step(`payload_s3 = "s3://payloads/plain.txt"`),
			{
				Config:      runConfig(env, arn, `payload_s3 = "s3://payloads/missing.json"`),
				ExpectError: regexp.MustCompile(`(?s)payload_s3 object does not exist.*s3://payloads/missing.json`),
			},
		},
	})
}

// Pre- and post-processors run around every invocation of the function.
func TestAccRun_processors(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "processed", cpuBound)
	pre := env.function(t, "pre", map[string]string{"SIM_CPU_MS": "5", "SIM_OUTPUT": `{"prepared":true}`})
	post := env.function(t, "post", map[string]string{"SIM_CPU_MS": "5"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, fmt.Sprintf(`
  power_values       = [256, 512]
  pre_processor_arn  = %q
  post_processor_arn = %q
`, pre, post)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(256, 512)),
			},
			// 2 power values × 5 invocations, each with a pre- and a post-processor call.
			Check: resource.ComposeAggregateTestCheckFunc(checkInvocations(env, 30), env.cleanCheck(arn, accMemory)),
		}},
	})
}

// With only_cold_starts every measured invocation is a cold start, and none
// is discarded as an outlier.
func TestAccRun_onlyColdStarts(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "cold", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, "power_values = [256, 512]\nonly_cold_starts = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(256, 512)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					if s := env.sim.Stats(); s.ColdStarts != 10 || s.Invocations != 10 {
						return fmt.Errorf("%d cold starts in %d invocations, want 10 in 10", s.ColdStarts, s.Invocations)
					}
					return nil
				},
				env.cleanCheck(arn, accMemory),
			),
		}},
	})
}

// A dry run invokes once per power value and chooses nothing.
func TestAccRun_dryRun(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "dry", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, `num          = 1
  dry_run      = true
  power_values = [256, 512, 1024]`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"power": knownvalue.Int64Exact(256), "invocations": knownvalue.Int64Exact(1)}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"power": knownvalue.Int64Exact(512), "invocations": knownvalue.Int64Exact(1)}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"power": knownvalue.Int64Exact(1024), "invocations": knownvalue.Int64Exact(1)}),
				})),
			},
			Check: resource.ComposeAggregateTestCheckFunc(checkInvocations(env, 3), env.cleanCheck(arn, accMemory)),
		}},
	})
}

// auto_optimize without an alias sets $LATEST to the optimum; destroying the
// run leaves it there (the run is forgotten, the function is not touched).
func TestAccRun_autoOptimizeLatest(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "optimized", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, 1024),
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, `power_values = [128, 1024, 3008]
  strategy      = "balanced"
  auto_optimize = true`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(1024)),
			},
			Check: env.cleanCheck(arn, 1024),
		}},
	})
}

// auto_optimize with an alias points the alias at a new version with the
// optimum and restores $LATEST.
func TestAccRun_autoOptimizeAlias(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "aliased", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory, "live"),
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, `power_values = [128, 1024, 3008]
  strategy            = "balanced"
  auto_optimize       = true
  auto_optimize_alias = "live"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(1024)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.cleanCheck(arn, accMemory, "live"),
				resource.TestCheckResourceAttrWith(runAddress, "optimal_power", func(optimal string) error {
					cfg, err := env.lambda.GetFunctionConfiguration(context.Background(), &lambda.GetFunctionConfigurationInput{
						FunctionName: aws.String(arn), Qualifier: aws.String("live"),
					})
					if err != nil {
						return err
					}
					if got := strconv.Itoa(int(aws.ToInt32(cfg.MemorySize))); got != optimal {
						return fmt.Errorf("alias live runs with %s MB, want the optimum %s MB", got, optimal)
					}
					return nil
				}),
			),
		}},
	})
}

// Function errors fail the run unless allowed; power values that cannot run
// (out of memory here) fail it unless skipped.
func TestAccRun_functionErrors(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	failing := env.function(t, "failing", map[string]string{
		"SIM_CPU_MS": "50", "SIM_ERROR_RATE": "1", "SIM_ERROR_TYPE": "HandledError", "SIM_ERROR_MESSAGE": "order not found",
	})
	hungry := env.function(t, "hungry", map[string]string{"SIM_CPU_MS": "50", "SIM_MIN_MEMORY": "256"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			env.cleanCheck(failing, accMemory), env.cleanCheck(hungry, accMemory),
		),
		Steps: []resource.TestStep{
			{
				Config:      runConfig(env, failing, "power_values = [128, 256]"),
				ExpectError: regexp.MustCompile(`(?s)Tuned Function Returned An Error.*HandledError.*allowed_exceptions.*Power value: \d+ MB`),
			},
			{
				Config:      runConfig(env, failing, "power_values = [128, 256]\nallowed_exceptions = [\"HandledError\"]"),
				ExpectError: regexp.MustCompile(`No Power Value Succeeded`),
			},
			{
				Config:      runConfig(env, hungry, "power_values = [128, 512]"),
				ExpectError: regexp.MustCompile(`(?s)Runtime\.OutOfMemory.*Power value: 128 MB`),
			},
			{
				Config: runConfig(env, hungry, "power_values = [128, 512]\nskip_failed_power_values = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(512)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"power": knownvalue.Int64Exact(128), "failed": knownvalue.Bool(true), "failure_reason": knownvalue.StringRegexp(regexp.MustCompile(`.`)),
					})),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"power": knownvalue.Int64Exact(512), "failed": knownvalue.Bool(false),
					})),
				},
				Check: env.cleanCheck(hungry, accMemory),
			},
		},
	})
}

// Parallel invocations with a concurrency cap, discard_top_bottom, serial
// sleeps and the output stats: the remaining inputs, each in one run.
func TestAccRun_executionOptions(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "options", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{
			{
				Config: runConfig(env, arn, `power_values = [256, 512]
  parallel_invocation    = true
  max_concurrency        = 2
  discard_top_bottom     = 0
  include_output_results = true
  disable_payload_logs   = true
  payload                = jsonencode({ secret = "do not log" })`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(256, 512)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("output"), knownvalue.StringRegexp(regexp.MustCompile(`"stats":\[`))),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						if peak := env.sim.Stats().MaxInFlight; peak > 2 || peak < 1 {
							return fmt.Errorf("peak of %d invocations in flight, want at most max_concurrency = 2 across the run", peak)
						}
						return nil
					},
					env.cleanCheck(arn, accMemory),
				),
			},
			{
				Config: runConfig(env, arn, `power_values_all = true
  sleep_between_runs_ms = 1`),
				ConfigStateChecks: []statecheck.StateCheck{
					// 128 to 3008 MB in steps of 64.
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), knownvalue.ListSizeExact(46)),
				},
				Check: env.cleanCheck(arn, accMemory),
			},
		},
	})
}
