package tuning

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// quotaTimeout bounds a run that must not wait forever for a power value
// it skipped: a deadlock fails the test instead of hanging it.
const quotaTimeout = 30 * time.Second

// updateRecorder records what each UpdateFunctionConfiguration asked for.
type updateRecorder struct {
	awsapi.Clients
	mu      sync.Mutex
	updates []lambda.UpdateFunctionConfigurationInput
}

func (c *updateRecorder) Lambda(region string) awsapi.LambdaAPI {
	return &updateRecordingLambda{LambdaAPI: c.Clients.Lambda(region), rec: c}
}

func (c *updateRecorder) sent() []lambda.UpdateFunctionConfigurationInput {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]lambda.UpdateFunctionConfigurationInput(nil), c.updates...)
}

type updateRecordingLambda struct {
	awsapi.LambdaAPI
	rec *updateRecorder
}

func (l *updateRecordingLambda) UpdateFunctionConfiguration(ctx context.Context, in *lambda.UpdateFunctionConfigurationInput, o ...func(*lambda.Options)) (*lambda.UpdateFunctionConfigurationOutput, error) {
	l.rec.mu.Lock()
	l.rec.updates = append(l.rec.updates, *in)
	l.rec.mu.Unlock()
	return l.LambdaAPI.UpdateFunctionConfiguration(ctx, in, o...)
}

// runBounded is runTuning with quotaTimeout on the run.
func (env *simEnv) runBounded(arn string, in spec.Input, mods ...func(*Config)) (*report.Report, error) {
	env.t.Helper()
	before := env.state(arn)
	in.LambdaARN = arn
	ctx, cancel := context.WithTimeout(context.Background(), quotaTimeout)
	defer cancel()
	rep, err := env.engine(mods...).Run(ctx, in)
	env.assertRestored(arn, before)
	return rep, err
}

func TestE2ESkipFailedPowerValuesCoversTheMemoryQuota(t *testing.T) {
	tests := []struct {
		name  string
		in    spec.Input
		allIn bool // configure every power value before executing (the original tool's order)
	}{
		{name: "serial", in: spec.Input{Num: 5}},
		{name: "parallel", in: spec.Input{Num: 5, ParallelInvocation: true}},
		{name: "only cold starts", in: spec.Input{Num: 5, OnlyColdStarts: true}},
		{name: "only cold starts parallel", in: spec.Input{Num: 5, OnlyColdStarts: true, ParallelInvocation: true}},
		{name: "configure all first", in: spec.Input{Num: 5}, allIn: true},
		{name: "dry run", in: spec.Input{Num: 5, DryRun: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{MemoryQuota: 3008})
			rec := &updateRecorder{Clients: env.clients}
			env.clients = rec
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "capped", MemorySize: 512, Description: "mine", Environment: cpuBound(nil)})
			in := tt.in
			in.PowerValues = []int32{1024, 4096, 8192}
			in.SkipFailedPowerValues = true
			in.IncludeOutputResults = true
			var events recorder
			rep, err := env.runBounded(arn, in, func(c *Config) { c.Progress = events.record })
			if err != nil {
				t.Fatal(err)
			}
			num := 5
			if in.DryRun {
				num = 1
			}
			if len(rep.Results) != 3 || rep.Results[0].Failed || rep.Results[0].Invocations != num {
				t.Fatalf("results = %+v, want 1024 MB tuned with %d invocations", rep.Results, num)
			}
			for _, r := range rep.Results[1:] {
				if !r.Failed || r.Invocations != 0 || r.TotalCost != 0 {
					t.Errorf("%d MB: %+v, want failed with no invocation", r.Power, r)
				}
				want := "UpdateFunctionConfiguration refused " + strconv.Itoa(int(r.Power)) + " MB"
				if !strings.HasPrefix(r.FailureReason, want) || !strings.Contains(r.FailureReason, "less than or equal to 3008") {
					t.Errorf("%d MB: failure reason %q, want %q… quoting Lambda's quota message", r.Power, r.FailureReason, want)
				}
			}
			if !in.DryRun {
				if rep.OptimalPower != 1024 {
					t.Errorf("optimum %d MB, want 1024 MB, the only power value Lambda accepted", rep.OptimalPower)
				}
				if want := analysis.VisualizationURL(analysis.DefaultVisualizationURL, rep.Results[:1], "USD"); rep.VisualizationURL != want {
					t.Errorf("visualization URL = %s, want the chart of 1024 MB alone, %s", rep.VisualizationURL, want)
				}
				if strings.Contains(rep.Output, "4096") || strings.Contains(rep.Output, "8192") {
					t.Errorf("output %s mentions a refused power value", rep.Output)
				}
			}
			// $LATEST was 1024 MB with its description when 4096 MB was
			// refused, so the 8192 MB attempt changes memory only.
			if !in.OnlyColdStarts {
				for _, u := range rec.sent() {
					if u.Description != nil {
						t.Errorf("UpdateFunctionConfiguration to %d MB also sent description %q: the run lost track of $LATEST",
							aws.ToInt32(u.MemorySize), aws.ToString(u.Description))
					}
				}
			}
			var skipped bool
			for _, ev := range events.events {
				skipped = skipped || (ev.Power == 4096 && ev.Kind == progress.SizeFailed && strings.Contains(ev.String(), "skipping"))
			}
			if !skipped {
				t.Error("no progress event says 4096 MB is skipped")
			}
		})
	}
}

func TestE2EMemoryQuotaWithAutoOptimizeLeavesTheOptimum(t *testing.T) {
	env := startSim(t, lambdasim.Options{MemoryQuota: 3008})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "capped", MemorySize: 512, Description: "mine", Environment: cpuBound(nil)})
	ctx, cancel := context.WithTimeout(context.Background(), quotaTimeout)
	defer cancel()
	rep, err := env.engine().Run(ctx, spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 2048, 4096},
		Strategy: analysis.StrategySpeed, AutoOptimize: true, SkipFailedPowerValues: true})
	if err != nil {
		t.Fatal(err)
	}
	after := env.state(arn)
	if rep.OptimalPower != 2048 || after.Memory != 2048 || after.Description != "mine" {
		t.Errorf("optimum %d MB, $LATEST %d MB %q, want both at 2048 MB with the description kept", rep.OptimalPower, after.Memory, after.Description)
	}
	if len(after.Aliases) != 0 || len(after.Versions) != 0 {
		t.Errorf("left behind aliases %v and versions %v", after.Aliases, after.Versions)
	}
}

func TestE2EMemoryQuotaWithoutSkipFailsTheRun(t *testing.T) {
	env := startSim(t, lambdasim.Options{MemoryQuota: 3008})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "capped", MemorySize: 512, Environment: cpuBound(nil)})
	_, err := env.runBounded(arn, spec.Input{Num: 5, PowerValues: []int32{1024, 4096}})
	var step *faults.StepError
	if !errors.As(err, &step) || step.Operation != "UpdateFunctionConfiguration" || step.Power != 4096 || step.Function != arn {
		t.Fatalf("error = %v, want an UpdateFunctionConfiguration StepError on %s at 4096 MB", err, arn)
	}
	if !strings.Contains(err.Error(), "less than or equal to 3008") {
		t.Errorf("error %q does not quote Lambda's answer", err)
	}
}

func TestE2EOtherUpdateRefusalsStillFailTheRun(t *testing.T) {
	refusals := []lambdasim.Fault{
		{Operation: "UpdateFunctionConfiguration", Count: 1, Status: 400, Code: "ValidationException",
			Message: "1 validation error detected: Value 'x' at 'description' failed to satisfy constraint: injected"},
		{Operation: "UpdateFunctionConfiguration", Count: 1, Status: 400, Code: "InvalidParameterValueException",
			Message: "injected: memorySize is not what this is about"},
	}
	for _, fault := range refusals {
		t.Run(fault.Code, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "refused", MemorySize: 512, Environment: cpuBound(nil)})
			env.sim.InjectFault(fault)
			_, err := env.runBounded(arn, spec.Input{Num: 5, PowerValues: []int32{1024, 2048}, SkipFailedPowerValues: true})
			var step *faults.StepError
			if !errors.As(err, &step) || step.Operation != "UpdateFunctionConfiguration" || step.Power != 1024 || !strings.Contains(err.Error(), "injected") {
				t.Errorf("error = %v, want the run to fail at the 1024 MB update", err)
			}
		})
	}
}
