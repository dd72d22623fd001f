package tuning

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/stepfunctions"
)

// addFleet creates the capacity provider "fleet", Active at once.
func (env *simEnv) addFleet() {
	env.t.Helper()
	if _, err := env.sim.AddCapacityProvider(lambdasim.CapacityProviderDefinition{Name: "fleet"}); err != nil {
		env.t.Fatal(err)
	}
}

func onCapacityProvider() *lambdasim.CapacityProviderSpec {
	return &lambdasim.CapacityProviderSpec{ARN: "fleet", ExecutionEnvironmentMemoryGiBPerVCpu: 2, PerExecutionEnvironmentMaxConcurrency: 64}
}

const fleetARN = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet"

func TestE2EAFunctionOnACapacityProviderIsRefusedBeforeAnyChange(t *testing.T) {
	for _, isolation := range isolations() {
		t.Run(isolation, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			env.addFleet()
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "on-lmi", MemorySize: 2048, CapacityProvider: onCapacityProvider(), Environment: cpuBound(nil)})
			before, from := env.state(arn), env.callsSoFar()
			_, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{2048, 4096},
				Isolation: isolation, AutoOptimize: isolation == spec.IsolationNone})
			var mi *faults.ManagedInstancesError
			if !errors.As(err, &mi) || mi.Function != arn || mi.CapacityProvider != fleetARN {
				t.Fatalf("error = %v, want a ManagedInstancesError naming %s and its capacity provider", err, arn)
			}
			for _, want := range []string{"GB-second pricing and per-size memory tuning do not apply", "15 %", "$0.20 per million requests",
				"set managed_instances (with isolation = \"copies\")"} {
				if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(want)) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			env.assertNothingChangedSince(from, "on-lmi")
			env.assertRestored(arn, before)
		})
	}
}

// noStateMachine is a Step Functions client that must not be called.
type noStateMachine struct{ calls atomic.Int32 }

func (s *noStateMachine) StartExecution(context.Context, *sfn.StartExecutionInput, ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	s.calls.Add(1)
	return nil, errors.New("StartExecution called")
}

func (s *noStateMachine) DescribeExecution(context.Context, *sfn.DescribeExecutionInput, ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	s.calls.Add(1)
	return nil, errors.New("DescribeExecution called")
}

func (s *noStateMachine) GetExecutionHistory(context.Context, *sfn.GetExecutionHistoryInput, ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	s.calls.Add(1)
	return nil, errors.New("GetExecutionHistory called")
}

func (s *noStateMachine) StopExecution(context.Context, *sfn.StopExecutionInput, ...func(*sfn.Options)) (*sfn.StopExecutionOutput, error) {
	s.calls.Add(1)
	return nil, errors.New("StopExecution called")
}

func TestE2EAStateMachineRunRefusesWhatTheStateMachineCannotTune(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	env.addFleet()
	lmi := env.addFunction(lambdasim.FunctionSpec{Name: "on-lmi", MemorySize: 2048, CapacityProvider: onCapacityProvider()})
	isolated := env.addFunction(lambdasim.FunctionSpec{Name: "saas", TenantIsolationMode: perTenant})
	for _, tt := range []struct {
		arn   string
		check func(error) bool
	}{
		{lmi, func(err error) bool {
			var mi *faults.ManagedInstancesError
			return errors.As(err, &mi) && mi.CapacityProvider == fleetARN
		}},
		{isolated, func(err error) bool {
			var ti *stepfunctions.TenantIsolatedError
			return errors.As(err, &ti) && ti.Mode == perTenant
		}},
	} {
		fn, err := env.engine().DescribeFunction(context.Background(), tt.arn)
		if err != nil {
			t.Fatal(err)
		}
		api := &noStateMachine{}
		_, err = stepfunctions.Run(context.Background(), api, stepfunctions.Config{}, stepfunctions.Request{
			StateMachineARN: "arn:aws:states:us-east-1:123456789012:stateMachine:powerTuning", Function: fn,
			Input: spec.Input{LambdaARN: tt.arn, Num: 5}})
		if !tt.check(err) {
			t.Errorf("%s: error = %v, want the refusal of its kind", tt.arn, err)
		}
		if n := api.calls.Load(); n != 0 {
			t.Errorf("%s: %d Step Functions calls, want none", tt.arn, n)
		}
	}
}
