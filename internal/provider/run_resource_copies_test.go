package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
)

// readOnlyCalls are the only operations a run with copies may send to the
// function it tunes.
var readOnlyCalls = []string{"GetFunction", "GetFunctionConfiguration", "ListVersionsByFunction", "ListAliases", "ListTags"}

// untouchedCheck proves from the emulator's per-function call log that the
// function got no call that changes it and no invocation, and that only
// the functions that existed before remain (no copy is left).
func (e *accEnv) untouchedCheck(function string, wantFunctions ...string) func(*terraform.State) error {
	return e.untouchedSince(time.Time{}, function, wantFunctions...)
}

// untouchedSince is untouchedCheck for the calls from since on, after a
// test's own set-up calls.
func (e *accEnv) untouchedSince(since time.Time, function string, wantFunctions ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		var problems []string
		for op, n := range e.sim.Calls().Since(since).ForFunction(function).Operations() {
			if !slices.Contains(readOnlyCalls, op) {
				problems = append(problems, fmt.Sprintf("%d %s calls", n, op))
			}
		}
		out, err := e.lambda.ListFunctions(context.Background(), &lambda.ListFunctionsInput{})
		if err != nil {
			return err
		}
		var names []string
		for _, f := range out.Functions {
			names = append(names, aws.ToString(f.FunctionName))
		}
		slices.Sort(names)
		if !slices.Equal(names, wantFunctions) {
			problems = append(problems, fmt.Sprintf("functions %v remain, want %v", names, wantFunctions))
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s after a run with copies: %s", function, strings.Join(problems, "; "))
		}
		return nil
	}
}

// copiesInvoked checks that every invocation went to a copy, num per power value.
func (e *accEnv) copiesInvoked(want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		perCopy := map[string]int{}
		for _, c := range e.sim.Calls() {
			if c.Operation == "Invoke" {
				perCopy[c.Function]++
			}
		}
		if len(perCopy) != want {
			return fmt.Errorf("invoked functions %v, want %d copies", perCopy, want)
		}
		for name, n := range perCopy {
			if !strings.HasPrefix(name, "awspt-") || len(name) > 64 || n != 5 {
				return fmt.Errorf("copy %s invoked %d times, want a recognisable name of at most 64 characters and 5 invocations", name, n)
			}
		}
		return nil
	}
}

func TestAccRun_copiesLeaveTheFunctionAlone(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "copied", cpuBound)
	// A copy a killed run left behind: this run deletes it.
	env.function(t, leftoverCopyName(arn), cpuBound)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.untouchedCheck("copied", "copied"),
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, `power_values = [128, 512, 1024]
  isolation    = "copies"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(128, 512, 1024)),
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), oneOf(128, 512, 1024)),
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("isolation"), knownvalue.StringExact("copies")),
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("function_arn"), knownvalue.StringExact(arn)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.untouchedCheck("copied", "copied"),
				env.cleanCheck(arn, accMemory),
				env.copiesInvoked(3),
			),
		}},
	})
}

func TestAccRun_copiesAreDeletedWhenTheRunFails(t *testing.T) {
	tests := map[string]struct {
		opts      lambdasim.Options
		behaviour map[string]string
		arguments string
		want      *regexp.Regexp
	}{
		"function error": {
			behaviour: map[string]string{"SIM_ERROR_RATE": "1", "SIM_ERROR_TYPE": "Boom"},
			want:      regexp.MustCompile(`(?s)Invoke.*awspt-failing-`),
		},
		"create timeout": {
			// Copies stay Pending for 3 s: the 1 s create timeout ends the run first.
			opts: lambdasim.Options{UpdateDelay: 3 * time.Second},
			arguments: `timeouts {
    create = "1s"
  }`,
			want: regexp.MustCompile(`(?s)Tuning Run Timed Out`),
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			env := newAccEnv(t, tt.opts)
			arn := env.function(t, "failing", tt.behaviour)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             env.untouchedCheck("failing", "failing"),
				Steps: []resource.TestStep{{
					Config: runConfig(env, arn, `power_values = [128, 512]
  isolation    = "copies"
  `+tt.arguments),
					ExpectError: tt.want,
				}},
			})
			if err := env.untouchedCheck("failing", "failing")(nil); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestAccRun_copiesPlanErrors(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "planned", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      runConfig(env, arn, `isolation = "sandbox"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)isolation.*"none".*"copies"`),
			},
			{
				Config:      runConfig(env, arn+":live", ``),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)lambda_arn.*isolation = \\"copies\\"|(?s)lambda_arn.*isolation = "copies"`),
			},
			{
				Config: runConfig(env, arn, `isolation         = "copies"
  state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:powerTuningStateMachine"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Argument Not Supported With State Machine.*isolation = "copies"`),
			},
			{
				Config: runConfig(env, arn, `isolation        = "copies"
  only_cold_starts = true`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)only_cold_starts.*copies`),
			},
		},
	})
}

// leftoverCopyName is a copy of arn from another run, as a killed run
// would have left it.
func leftoverCopyName(arn string) string { return copies.NamePrefix(arn) + "deadbeef-256" }

// resultsOn expects a row per (architecture, memory size), architectures in order.
func resultsOn(archs []string, powers ...int64) knownvalue.Check {
	var checks []knownvalue.Check
	for _, arch := range archs {
		for _, p := range powers {
			checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"architecture": knownvalue.StringExact(arch),
				"power":        knownvalue.Int64Exact(p),
				"invocations":  knownvalue.Int64Exact(5),
				"average_cost": knownvalue.Float64Func(positive),
				"failed":       knownvalue.Bool(false),
			}))
		}
	}
	return knownvalue.ListExact(checks)
}

func TestAccRun_copiesCompareArchitectures(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	// As fast on arm64, whose GB-second costs 20% less: arm64 is the cheaper.
	arn := env.function(t, "archs", map[string]string{"SIM_CPU_MS": "400", "SIM_IO_MS": "20", "SIM_ARM64_CPU_FACTOR": "1"})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.untouchedCheck("archs", "archs"),
		Steps: []resource.TestStep{
			{
				Config:      runConfig(env, arn, `architectures = ["x86_64", "arm64"]`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)architectures.*isolation = "copies"`),
			},
			{
				Config: runConfig(env, arn, `power_values  = [128, 1024]
  isolation     = "copies"
  architectures = ["x86_64", "arm64"]`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOn([]string{"x86_64", "arm64"}, 128, 1024)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_architecture"), knownvalue.StringExact("arm64")),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("architecture"), knownvalue.StringExact("x86_64")),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("visualization_urls"), knownvalue.MapExact(map[string]knownvalue.Check{
						"x86_64": knownvalue.StringRegexp(visualizationURL),
						"arm64":  knownvalue.StringRegexp(visualizationURL),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(env.untouchedCheck("archs", "archs"), env.copiesInvoked(4)),
			},
		},
	})
}
