package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

const executionAddress = "data.awspowertuning_execution.test"

// stateMachineRun is a run of function arn on machine.
func stateMachineRun(s *accSFN, env *accEnv, arn, machine, arguments string) string {
	return s.providerConfig(env) + fmt.Sprintf(`
resource "awspowertuning_run" "test" {
  lambda_arn        = %q
  state_machine_arn = %q
  num               = 10
  %s
}
`, arn, machine, arguments)
}

var executionARNOf = func(region, machine string) *regexp.Regexp {
	return regexp.MustCompile(`^arn:aws:states:` + region + `:` + accAccount + `:execution:` + machine + `:awspowertuning-[0-9a-f]{24}-1$`)
}

// A successful execution fills the run's attributes, gets the original
// input names, and the data source reads the same outcome back.
func TestAccRun_stateMachine(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	s := newAccSFN(t)
	arn := env.function(t, "tuned-by-sfn", cpuBound)
	const region = "eu-west-1"
	machine := s.stateMachine(t, region, "powerTuning", succeeding(0))
	run := stateMachineRun(s, env, "tuned-by-sfn", machine, `power_values = [128, 512]
  strategy     = "balanced"
  payload      = jsonencode({ order = 1 })`)
	reader := `
data "awspowertuning_execution" "test" {
  execution_arn = awspowertuning_run.test.execution_arn
}
`
	same := func(attribute string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(runAddress, tfjsonpath.New(attribute), executionAddress, tfjsonpath.New(attribute), compare.ValuesSame())
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: run,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("execution_arn"), knownvalue.StringRegexp(executionARNOf(region, "powerTuning"))),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("state_machine_cost"), knownvalue.Float64Exact(0.00045)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(512)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_cost"), knownvalue.Float64Exact(0.0000021)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_duration"), knownvalue.Float64Exact(30.5)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("tuning_cost"), knownvalue.Float64Exact(0.000011)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("baseline_power"), knownvalue.Int64Exact(accMemory)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_relative_duration"), knownvalue.Float64Exact(30.5/120.25)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("function_arn"), knownvalue.StringExact(arn)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("architecture"), knownvalue.StringExact("x86_64")),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("currency"), knownvalue.StringExact("USD")),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("function_code_sha256"), knownvalue.StringRegexp(nonEmpty)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("visualization_url"), knownvalue.StringRegexp(visualizationURL)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("output"), knownvalue.StringRegexp(regexp.MustCompile(`"power":\s*512`))),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("tuned_at"), knownvalue.StringRegexp(rfc3339)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"power": knownvalue.Int64Exact(128),
							"average_cost": knownvalue.Float64Exact(0.0000012), "average_duration": knownvalue.Float64Exact(120.25),
							"invocations": knownvalue.Int64Exact(10), "failed": knownvalue.Bool(false)}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"power": knownvalue.Int64Exact(512),
							"average_cost": knownvalue.Float64Exact(0.0000021), "average_duration": knownvalue.Float64Exact(30.5)}),
					})),
				},
				Check: s.checkInput(region, machine, map[string]any{
					"lambdaARN": arn, "num": 10.0, "powerValues": []any{128.0, 512.0}, "strategy": "balanced",
					"payload": map[string]any{"order": 1.0}, "discardTopBottom": 0.2, "includeOutputResults": true,
				}),
			},
			{
				Config: run + reader,
				ConfigStateChecks: []statecheck.StateCheck{
					same("id"), same("function_arn"), same("optimal_power"), same("optimal_cost"), same("optimal_duration"),
					same("tuning_cost"), same("architecture"), same("currency"), same("visualization_url"), same("results"),
					same("output"), same("tuned_at"), same("function_code_sha256"), same("execution_arn"), same("state_machine_cost"),
					same("baseline_power"), same("optimal_relative_cost"), same("optimal_relative_duration"),
					statecheck.ExpectKnownValue(executionAddress, tfjsonpath.New("lambda_arn"), knownvalue.StringExact(arn)),
					statecheck.ExpectKnownValue(executionAddress, tfjsonpath.New("num"), knownvalue.Int64Exact(10)),
					statecheck.ExpectKnownValue(executionAddress, tfjsonpath.New("strategy"), knownvalue.StringExact("balanced")),
				},
			},
		},
	})
}

// checkInput asserts that the state machine's only execution got exactly want.
func (s *accSFN) checkInput(region, machine string, want map[string]any) resource.TestCheckFunc {
	return func(*terraform.State) error {
		executions, err := s.executions(region, machine)
		if err != nil {
			return err
		}
		if len(executions) != 1 {
			return fmt.Errorf("%d executions, want 1", len(executions))
		}
		out, err := s.client(region).DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: executions[0].ExecutionArn})
		if err != nil {
			return err
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(aws.ToString(out.Input)), &got); err != nil {
			return err
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("execution input\n got %v\nwant %v", got, want)
		}
		return nil
	}
}

// {} (the original's clean-up path) and FAILED both fail the apply with the
// cause; arguments without an equivalent fail the plan.
func TestAccRun_stateMachineFailures(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	s := newAccSFN(t)
	env.function(t, "fails", cpuBound)
	empty := s.stateMachine(t, "eu-west-2", "emptyOutput", cleanUpPath)
	failed := s.stateMachine(t, "eu-west-3", "initializerFails", failing)
	slow := s.stateMachine(t, "us-east-2", "slow", succeeding(120))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      stateMachineRun(s, env, "fails", empty, "max_concurrency = 2\n  skip_failed_power_values = true"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Argument Not Supported With State Machine.*max_concurrency.*Argument Not Supported With State Machine.*skip_failed_power_values|(?s)skip_failed_power_values.*max_concurrency`),
			},
			{
				Config:      stateMachineRun(s, env, "fails", empty, ""),
				ExpectError: regexp.MustCompile(`(?s)Tuning Execution Returned No Result.*clean-up state.*Executor.*Lambda\.Unknown.*function\s+timed\s+out`),
			},
			{
				Config:      stateMachineRun(s, env, "fails", failed, ""),
				ExpectError: regexp.MustCompile(`(?s)Tuning Execution Failed.*FAILED.*Initializer.*InitializerError.*lambdaARN has a\s+qualifier`),
			},
			{
				// The create timeout stops the execution.
				Config:      stateMachineRun(s, env, "fails", slow, "timeouts {\n    create = \"3s\"\n  }"),
				ExpectError: regexp.MustCompile(`(?s)Tuning Execution Stopped.*clean-up.*StopExecution`),
			},
			{
				Config:      stateMachineRun(s, env, "fails", "arn:aws:states:eu-west-1:123456789012:stateMachine:x:1", ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid State Machine ARN`),
			},
		},
	})
	executions, err := s.executions("us-east-2", slow)
	if err != nil {
		t.Fatal(err)
	}
	if len(executions) != 1 || executions[0].Status != "ABORTED" {
		t.Errorf("executions of the timed-out run: %+v, want one ABORTED", executions)
	}
}

func TestAccExecutionDataSource_errors(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	s := newAccSFN(t)
	start := func(region, name string, definition map[string]any, input string) string {
		machine := s.stateMachine(t, region, name, definition)
		out, err := s.client(region).StartExecution(context.Background(), &sfn.StartExecutionInput{
			StateMachineArn: aws.String(machine), Name: aws.String("by-hand"), Input: aws.String(input),
		})
		if err != nil {
			t.Fatalf("StartExecution: %v", err)
		}
		return aws.ToString(out.ExecutionArn)
	}
	ours := `{"lambdaARN":"` + functionARN("absent") + `","num":5}`
	running := start("ap-south-1", "slow", succeeding(120), ours)
	notOurs := start("ap-northeast-1", "orders", map[string]any{"StartAt": "Done",
		"States": map[string]any{"Done": map[string]any{"Type": "Pass", "Result": map[string]any{"order": "shipped"}, "End": true}}}, `{"order":1}`)
	empty := start("ca-central-1", "emptyOutput", cleanUpPath, ours)
	read := func(arn string) string {
		return s.providerConfig(env) + fmt.Sprintf(`
data "awspowertuning_execution" "test" {
  execution_arn = %q
}
`, arn)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: read(running), ExpectError: regexp.MustCompile(`Execution Still Running`)},
			{Config: read(notOurs), ExpectError: regexp.MustCompile(`Not A Power Tuning Execution`)},
			{Config: read(empty), ExpectError: regexp.MustCompile(`(?s)Execution Returned No Result.*Lambda\.Unknown`)},
			{Config: read("arn:aws:states:sa-east-1:123456789012:execution:none:none"), ExpectError: regexp.MustCompile(`Execution Not Found`)},
			{Config: read("arn:aws:states:sa-east-1:123456789012:stateMachine:none"), ExpectError: regexp.MustCompile(`Invalid Execution ARN`)},
		},
	})
}
