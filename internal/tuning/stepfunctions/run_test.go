package stepfunctions

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

var testFn = report.Function{ARN: testFunction, Region: "eu-west-1", Architecture: "arm64", CodeSha256: "abc", Currency: "USD", MemorySize: 128}

func testRequest() Request {
	payload := `{ "key" : "value" }`
	weight := 0.3
	return Request{
		StateMachineARN: testStateMachine,
		Function:        testFn,
		Input: spec.Input{LambdaARN: "tuned", Num: 10, PowerValues: []int32{128, 512}, Payload: &payload,
			Strategy: "balanced", BalancedWeight: &weight, ParallelInvocation: true, AllowedExceptions: []string{"HandledError"}},
		Triggers: map[string]string{"release": "1"},
	}
}

// countingBudget counts the polls it paced.
type countingBudget struct{ waits int }

func (b *countingBudget) Wait(context.Context) error { b.waits++; return nil }

func testConfig() (Config, *tuningtest.Clock, *countingBudget) {
	clock := tuningtest.NewClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	budget := &countingBudget{}
	return Config{Clock: clock, Budget: budget}, clock, budget
}

func TestRun_startsWithTheOriginalInputAndMapsTheOutput(t *testing.T) {
	api := newFakeSFN()
	api.onStart = func() *fakeExecution {
		return &fakeExecution{runningPolls: 4, status: types.ExecutionStatusSucceeded, output: okOutput}
	}
	cfg, clock, budget := testConfig()
	res, err := Run(context.Background(), api, cfg, testRequest())
	if err != nil {
		t.Fatal(err)
	}
	if len(api.starts) != 1 {
		t.Fatalf("%d StartExecution calls, want 1", len(api.starts))
	}
	wantInput := `{"lambdaARN":"` + testFunction + `","num":10,"powerValues":[128,512],"payload":{"key":"value"},` +
		`"parallelInvocation":true,"strategy":"balanced","balancedWeight":0.3,"includeOutputResults":true,"allowedExceptions":["HandledError"]}`
	if got := aws.ToString(api.starts[0].Input); got != wantInput {
		t.Errorf("input\n got %s\nwant %s", got, wantInput)
	}
	if name := aws.ToString(api.starts[0].Name); !strings.HasPrefix(name, namePrefix) || !strings.HasSuffix(name, "-1") || len(name) > 80 {
		t.Errorf("execution name %q", name)
	}
	if res.Reattached || res.ExecutionARN != executionARN(testStateMachine, aws.ToString(api.starts[0].Name)) {
		t.Errorf("result %+v", res)
	}
	r := res.Report
	if r.OptimalPower != 512 || r.OptimalCost != 0.0000021 || r.OptimalDuration != 30.5 || r.TuningCost != 0.000011 ||
		res.StateMachineCost != 0.00045 || r.VisualizationURL != "https://lambda-power-tuning.show/#x" || r.Output != okOutput {
		t.Errorf("report %+v, state machine cost %g", r, res.StateMachineCost)
	}
	if r.FunctionARN != testFunction || r.Architecture != "arm64" || r.FunctionCodeSha256 != "abc" || r.Currency != "USD" ||
		!r.TunedAt.Equal(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("function facts %+v", r)
	}
	if len(r.Results) != 2 || r.Results[0].Power != 128 || r.Results[1].Power != 512 || r.Results[0].Invocations != 10 ||
		r.Results[0].AverageDuration != 120 {
		t.Errorf("results %+v, want 128 then 512 with 10 invocations", r.Results)
	}
	// Against the function's memory size before the run, 128 MB.
	if r.BaselinePower != 128 || r.OptimalRelativeCost == nil || *r.OptimalRelativeCost != 0.0000021/0.0000012 ||
		r.OptimalRelativeDuration == nil || *r.OptimalRelativeDuration != 30.5/120 {
		t.Errorf("baseline %d, relative cost %v, duration %v", r.BaselinePower, r.OptimalRelativeCost, r.OptimalRelativeDuration)
	}
	// Four RUNNING answers: four sleeps, doubling from 1 s.
	if got, want := clock.Sleeps(), []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}; !slices.Equal(got, want) {
		t.Errorf("sleeps %v, want %v", got, want)
	}
	if budget.waits != 5 {
		t.Errorf("budget paced %d polls, want 5", budget.waits)
	}
}

func TestRun_pollsBackOffToTheMaximum(t *testing.T) {
	api := newFakeSFN()
	api.onStart = func() *fakeExecution {
		return &fakeExecution{runningPolls: 6, status: types.ExecutionStatusSucceeded, output: okOutput}
	}
	cfg, clock, _ := testConfig()
	cfg.MaxPollInterval = 5 * time.Second
	if _, err := Run(context.Background(), api, cfg, testRequest()); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second}
	if got := clock.Sleeps(); !slices.Equal(got, want) {
		t.Errorf("sleeps %v, want %v", got, want)
	}
}

func inputOf(t *testing.T, req Request) string {
	t.Helper()
	x, err := NewExecutionInput(req.Input, req.Function.ARN, req.DefaultPowers)
	if err != nil {
		t.Fatal(err)
	}
	return x.JSON()
}

func TestRun_reattachesToARunningExecution(t *testing.T) {
	api := newFakeSFN()
	req := testRequest()
	input := inputOf(t, req)
	api.put(input, req.Triggers, 1, &fakeExecution{status: types.ExecutionStatusFailed}) // an earlier, closed attempt
	running := api.put(input, req.Triggers, 2, &fakeExecution{runningPolls: 1, status: types.ExecutionStatusSucceeded, output: okOutput})
	cfg, _, _ := testConfig()
	res, err := Run(context.Background(), api, cfg, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(api.starts) != 0 {
		t.Errorf("started %d executions; want none: one was running under the name", len(api.starts))
	}
	if !res.Reattached || res.ExecutionARN != running || res.Report.OptimalPower != 512 {
		t.Errorf("result %+v, want the running execution %s", res, running)
	}
}

func TestRun_aClosedExecutionMeansTheNextSequenceNumber(t *testing.T) {
	api := newFakeSFN()
	req := testRequest()
	input := inputOf(t, req)
	api.put(input, req.Triggers, 1, &fakeExecution{status: types.ExecutionStatusSucceeded, output: okOutput})
	api.put(input, req.Triggers, 2, &fakeExecution{status: types.ExecutionStatusAborted})
	cfg, _, _ := testConfig()
	res, err := Run(context.Background(), api, cfg, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(api.starts) != 1 || !strings.HasSuffix(aws.ToString(api.starts[0].Name), "-3") || res.Reattached {
		t.Errorf("starts %+v, want one under sequence number 3", api.starts)
	}

	// Other triggers are other inputs: a new name from 1.
	req.Triggers = map[string]string{"release": "2"}
	if _, err := Run(context.Background(), api, cfg, req); err != nil {
		t.Fatal(err)
	}
	if len(api.starts) != 2 || !strings.HasSuffix(aws.ToString(api.starts[1].Name), "-1") ||
		aws.ToString(api.starts[1].Name) == aws.ToString(api.starts[0].Name) {
		t.Errorf("after a trigger change: starts %+v", api.starts)
	}
}

func TestRun_failedExecutionNamesTheStateAndCause(t *testing.T) {
	api := newFakeSFN()
	api.onStart = func() *fakeExecution {
		return &fakeExecution{status: types.ExecutionStatusFailed, error: "InitializerError", cause: "lambdaARN is invalid",
			events: []types.HistoryEvent{
				entered(types.HistoryEventTypeTaskStateEntered, "Initializer", `{}`),
				taskFailed("InitializerError", "lambdaARN is invalid"),
				executionFailed("InitializerError", "lambdaARN is invalid"),
			}}
	}
	cfg, _, _ := testConfig()
	_, err := Run(context.Background(), api, cfg, testRequest())
	var ee *ExecutionError
	if !errors.As(err, &ee) {
		t.Fatalf("error %v, want an ExecutionError", err)
	}
	if ee.Status != "FAILED" || ee.State != "Initializer" || ee.ErrorName != "InitializerError" || ee.Cause != "lambdaARN is invalid" || ee.EmptyOutput {
		t.Errorf("%+v", ee)
	}
	for _, want := range []string{"FAILED", `"Initializer"`, "InitializerError", "lambdaARN is invalid"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestRun_emptyOutputIsTheCleanUpPath(t *testing.T) {
	tests := []struct {
		name       string
		events     []types.HistoryEvent
		state      string
		errorName  string
		cause      string
		noCauseMsg bool
	}{
		{name: "a failed task", events: []types.HistoryEvent{
			entered(types.HistoryEventTypeTaskStateEntered, "Initializer", `{}`),
			entered(types.HistoryEventTypeTaskStateEntered, "Executor", `{}`),
			taskFailed("Lambda.Unknown", "out of memory at 128 MB"),
			entered(types.HistoryEventTypeTaskStateEntered, "CleanUpOnError", `{"error":{"Error":"Lambda.Unknown","Cause":"out of memory at 128 MB"}}`),
		}, state: "Executor", errorName: "Lambda.Unknown", cause: "out of memory at 128 MB"},
		{name: "an error caught into the clean-up state's input", events: []types.HistoryEvent{
			entered(types.HistoryEventTypePassStateEntered, "Executor", `{"a":1}`),
			entered(types.HistoryEventTypePassStateEntered, "CleanUpOnError", `{"a":1,"error":{"Error":"States.TaskFailed","Cause":"boom"}}`),
		}, state: "Executor", errorName: "States.TaskFailed", cause: "boom"},
		{name: "no cause anywhere", events: []types.HistoryEvent{
			entered(types.HistoryEventTypePassStateEntered, "Done", `{}`),
		}, state: "Done", noCauseMsg: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeSFN()
			api.onStart = func() *fakeExecution {
				return &fakeExecution{status: types.ExecutionStatusSucceeded, output: `{}`, events: tt.events}
			}
			cfg, _, _ := testConfig()
			_, err := Run(context.Background(), api, cfg, testRequest())
			var ee *ExecutionError
			if !errors.As(err, &ee) {
				t.Fatalf("error %v, want an ExecutionError", err)
			}
			if !ee.EmptyOutput || ee.State != tt.state || ee.ErrorName != tt.errorName || ee.Cause != tt.cause {
				t.Errorf("%+v", ee)
			}
			if !strings.Contains(err.Error(), "clean-up state") {
				t.Errorf("message %q does not explain the clean-up path", err)
			}
			if got := strings.Contains(err.Error(), "names no error or cause"); got != tt.noCauseMsg {
				t.Errorf("message %q: says no cause = %v, want %v", err, got, tt.noCauseMsg)
			}
		})
	}
}

func TestRun_dryRunHasNoPower(t *testing.T) {
	api := newFakeSFN()
	api.onStart = func() *fakeExecution { return &fakeExecution{status: types.ExecutionStatusSucceeded, output: `{}`} }
	req := testRequest()
	req.Input.DryRun = true
	cfg, _, _ := testConfig()
	res, err := Run(context.Background(), api, cfg, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.OptimalPower != 0 || len(res.Report.Results) != 0 {
		t.Errorf("dry run report %+v", res.Report)
	}
	if !strings.Contains(aws.ToString(api.starts[0].Input), `"dryRun":true`) {
		t.Errorf("input %s lacks dryRun", aws.ToString(api.starts[0].Input))
	}
}

func TestRun_cancelStopsTheExecution(t *testing.T) {
	api := newFakeSFN()
	api.onStart = func() *fakeExecution { return &fakeExecution{runningPolls: 100} }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	api.onDescribe = func(n int) {
		if n == 4 { // the lookup, then the third poll
			cancel()
		}
	}
	cfg, _, _ := testConfig()
	_, err := Run(ctx, api, cfg, testRequest())
	var se *StoppedError
	if !errors.As(err, &se) || !errors.Is(err, context.Canceled) || se.StopErr != nil {
		t.Fatalf("error %v, want a StoppedError for context.Canceled", err)
	}
	if len(api.stops) != 1 || aws.ToString(api.stops[0].ExecutionArn) != se.ExecutionARN || aws.ToString(api.stops[0].Cause) == "" {
		t.Errorf("stops %+v, want one of %s with a cause", api.stops, se.ExecutionARN)
	}
}

func TestRun_describeFailureLeavesTheExecutionRunning(t *testing.T) {
	api := newFakeSFN()
	api.onStart = func() *fakeExecution { return &fakeExecution{runningPolls: 100} }
	api.onDescribe = func(n int) {
		if n == 2 {
			api.mu.Lock()
			api.failWith["DescribeExecution"] = apiErr("AccessDeniedException")
			api.mu.Unlock()
		}
	}
	cfg, _, _ := testConfig()
	_, err := Run(context.Background(), api, cfg, testRequest())
	var ce *CallError
	if !errors.As(err, &ce) || ce.Operation != "DescribeExecution" || faults.Classify(err) != faults.ClassAccessDenied {
		t.Fatalf("error %v, want DescribeExecution access denied", err)
	}
	if len(api.stops) != 0 {
		t.Error("the execution was stopped; it should run on for the next apply to re-attach")
	}
}

func TestRun_startFailureNamesTheCall(t *testing.T) {
	api := newFakeSFN()
	api.failWith["StartExecution"] = apiErr("StateMachineDoesNotExist")
	cfg, _, _ := testConfig()
	_, err := Run(context.Background(), api, cfg, testRequest())
	var ce *CallError
	if !errors.As(err, &ce) || ce.Operation != "StartExecution" || ce.ARN != testStateMachine || faults.ErrorCode(err) != "StateMachineDoesNotExist" {
		t.Fatalf("error %v", err)
	}
}

func TestNewExecutionInput(t *testing.T) {
	x, err := NewExecutionInput(spec.Input{Num: 5, PowerValuesAll: true}, testFunction, []int32{256})
	if err != nil || x.PowerValues != "ALL" {
		t.Errorf("power_values_all: %+v, %v", x.PowerValues, err)
	}
	x, _ = NewExecutionInput(spec.Input{Num: 5}, testFunction, []int32{256})
	if got, ok := x.PowerValues.([]int32); !ok || !slices.Equal(got, []int32{256}) {
		t.Errorf("provider default: %+v", x.PowerValues)
	}
	x, _ = NewExecutionInput(spec.Input{Num: 5}, testFunction, nil)
	if strings.Contains(x.JSON(), "powerValues") || !strings.Contains(x.JSON(), `"includeOutputResults":true`) {
		t.Errorf("no power values anywhere: %s, want the deployment's default (none sent) and stats asked for", x.JSON())
	}
	bad := "{"
	if _, err := NewExecutionInput(spec.Input{Num: 5, Payload: &bad}, testFunction, nil); err == nil {
		t.Error("a payload that is not JSON was accepted")
	}
}

func TestUnsupported(t *testing.T) {
	var names []string
	for _, r := range Unsupported(spec.Input{MaxConcurrency: 3, SkipFailedPowerValues: true, Sampling: spec.SamplingAdaptive, Isolation: spec.IsolationCopies}) {
		names = append(names, r.Attribute)
	}
	if got := names; !slices.Equal(got, []string{"max_concurrency", "skip_failed_power_values", "sampling", "isolation"}) {
		t.Errorf("got %v", got)
	}
	if got := Unsupported(spec.Input{Num: 5, ParallelInvocation: true}); len(got) != 0 {
		t.Errorf("got %v", got)
	}
}

func TestParseARNs(t *testing.T) {
	if r, err := ParseStateMachineARN(testStateMachine); err != nil || r != "eu-west-1" {
		t.Errorf("%q, %v", r, err)
	}
	for _, bad := range []string{"powerTuning", testStateMachine + ":1", "arn:aws:states:eu-west-1:123456789012:execution:a:b"} {
		if _, err := ParseStateMachineARN(bad); err == nil {
			t.Errorf("%q accepted as a state machine ARN", bad)
		}
	}
	if r, err := ParseExecutionARN("arn:aws-cn:states:cn-north-1:123456789012:execution:powerTuning:run-1"); err != nil || r != "cn-north-1" {
		t.Errorf("%q, %v", r, err)
	}
	if _, err := ParseExecutionARN(testStateMachine); err == nil {
		t.Error("a state machine ARN accepted as an execution ARN")
	}
}

func TestRead(t *testing.T) {
	api := newFakeSFN()
	resolve := func(arn string) report.Function { return report.Function{ARN: arn, Currency: "USD"} }
	input := `{"lambdaARN":"` + testFunction + `","num":7,"strategy":"speed"}`
	done := api.put(input, nil, 1, &fakeExecution{status: types.ExecutionStatusSucceeded, output: okOutput})
	res, x, err := Read(context.Background(), api, done, resolve)
	if err != nil {
		t.Fatal(err)
	}
	if x.Num != 7 || x.Strategy != "speed" || res.Report.FunctionARN != testFunction || res.Report.Results[0].Invocations != 7 || res.StateMachineCost != 0.00045 {
		t.Errorf("read %+v %+v", x, res.Report)
	}

	running := api.put(input, nil, 2, &fakeExecution{runningPolls: 5})
	if _, _, err := Read(context.Background(), api, running, resolve); !errors.Is(err, ErrStillRunning) {
		t.Errorf("running: %v", err)
	}
	notOurs := api.put(`{"order":1}`, nil, 3, &fakeExecution{status: types.ExecutionStatusSucceeded, output: `{"ok":true}`})
	if _, _, err := Read(context.Background(), api, notOurs, resolve); !errors.Is(err, ErrNotPowerTuning) {
		t.Errorf("another workflow's input: %v", err)
	}
	oddOutput := api.put(input, nil, 4, &fakeExecution{status: types.ExecutionStatusSucceeded, output: `{"results":{"power":128}}`})
	if _, _, err := Read(context.Background(), api, oddOutput, resolve); !errors.Is(err, ErrNotPowerTuning) {
		t.Errorf("another output: %v", err)
	}
	failed := api.put(input, nil, 5, &fakeExecution{status: types.ExecutionStatusTimedOut, error: "States.Timeout"})
	var ee *ExecutionError
	if _, _, err := Read(context.Background(), api, failed, resolve); !errors.As(err, &ee) || ee.Status != "TIMED_OUT" {
		t.Errorf("timed out: %v", err)
	}
}
