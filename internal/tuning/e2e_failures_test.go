package tuning

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// badRequest is a non-retryable fault: the step fails at once.
func badRequest(op string) lambdasim.Fault {
	return lambdasim.Fault{Operation: op, Count: 1, Status: 400, Code: "InvalidParameterValueException", Message: "injected"}
}

// persistent makes a fault hit every matching request of a test.
func persistent(f lambdasim.Fault) lambdasim.Fault {
	f.Count = 1000
	return f
}

func TestE2EFaultAtEachStepFailsTheRunAndCleansUp(t *testing.T) {
	tests := []struct {
		op string
		// afterPhase injects the fault once this progress phase is seen
		// ("" : before the run), so it hits the middle of the chain.
		afterPhase string
	}{
		{"GetFunction", ""},
		{"ListVersionsByFunction", ""},
		{"UpdateFunctionConfiguration", ""},
		{"UpdateFunctionConfiguration", "size-ready"},
		{"PublishVersion", ""},
		{"PublishVersion", "size-ready"},
		{"CreateAlias", ""},
		{"CreateAlias", "size-ready"},
		{"Invoke", ""},
		{"Invoke", "invoked"},
	}
	for _, tt := range tests {
		t.Run(tt.op+"/after "+tt.afterPhase, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "faulty", MemorySize: 384, Description: "mine", Environment: cpuBound(nil)})
			var once sync.Once
			inject := func(ev progress.Event) {
				if string(ev.Kind) == tt.afterPhase {
					once.Do(func() { env.sim.InjectFault(badRequest(tt.op)) })
				}
			}
			before := env.state(arn)
			if tt.afterPhase == "" {
				env.sim.InjectFault(badRequest(tt.op))
			}
			_, err := env.engine(func(c *Config) { c.Progress = inject }).Run(context.Background(),
				spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 256, 512, 1024}})
			env.sim.ClearFaults()
			env.assertRestored(arn, before)
			var step *faults.StepError
			if !errors.As(err, &step) || step.Operation != tt.op || !strings.Contains(err.Error(), "injected") {
				t.Fatalf("error = %v, want a StepError naming %s", err, tt.op)
			}
			if tt.op != "GetFunction" && step.Function != arn {
				t.Errorf("StepError names function %q, want %q", step.Function, arn)
			}
			var cleanup *faults.CleanupError
			if errors.As(err, &cleanup) {
				t.Errorf("clean-up failed: %v", cleanup)
			}
		})
	}
}

func TestE2ETransientFaultsAreRetried(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "transient", Environment: cpuBound(nil)})
	for _, op := range []string{"GetFunction", "UpdateFunctionConfiguration", "PublishVersion", "CreateAlias", "Invoke", "DeleteAlias", "DeleteFunction"} {
		env.sim.InjectFault(lambdasim.Fault{Operation: op, Count: 2, Status: 500, Code: "ServiceException"})
		env.sim.InjectFault(lambdasim.Fault{Operation: op, Count: 1, Status: 503})
	}
	env.sim.InjectFault(lambdasim.Fault{Operation: "Invoke", Count: 2, Drop: true})
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 256}, ParallelInvocation: true}); err != nil {
		t.Fatal(err)
	}
	if got := env.sim.Stats().Faults; got != 7*3+2 {
		t.Errorf("%d faults answered, want all 23 injected ones retried through", got)
	}
}

// refusingRestore fails every update back to memory, as a lost permission
// or a broken network would during clean-up.
type refusingRestore struct {
	awsapi.Clients
	memory int32
}

func (c refusingRestore) Lambda(region string) awsapi.LambdaAPI {
	return refusingRestoreLambda{c.Clients.Lambda(region), c.memory}
}

type refusingRestoreLambda struct {
	awsapi.LambdaAPI
	memory int32
}

func (l refusingRestoreLambda) UpdateFunctionConfiguration(ctx context.Context, in *lambda.UpdateFunctionConfigurationInput, o ...func(*lambda.Options)) (*lambda.UpdateFunctionConfigurationOutput, error) {
	if aws.ToInt32(in.MemorySize) == l.memory {
		return nil, errors.New("injected: restore refused")
	}
	return l.LambdaAPI.UpdateFunctionConfiguration(ctx, in, o...)
}

func TestE2ECleanupFailureSaysWhatRemains(t *testing.T) {
	tests := []struct {
		name           string
		fault          *lambdasim.Fault // injected before the run, for every attempt: early release and clean-up
		refuseRestore  bool
		onlyColdStarts bool
	}{
		{name: "alias not deleted", fault: ptrTo(persistent(badRequest("DeleteAlias")))},
		{name: "version not deleted", fault: ptrTo(persistent(badRequest("DeleteFunction")))},
		{name: "latest not restored", refuseRestore: true},
		{name: "latest not restored after cold starts", refuseRestore: true, onlyColdStarts: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "sticky", MemorySize: 384, Description: "mine", Environment: cpuBound(nil)})
			before := env.state(arn)
			if tt.fault != nil {
				env.sim.InjectFault(*tt.fault)
			}
			onEvent := func(progress.Event) {}
			clients := env.clients
			if tt.refuseRestore {
				clients = refusingRestore{env.clients, 384}
			}
			_, err := env.engine(func(c *Config) { c.Progress = onEvent; c.Clients = clients }).Run(context.Background(),
				spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 256, 512}, OnlyColdStarts: tt.onlyColdStarts})
			var ce *faults.CleanupError
			if !errors.As(err, &ce) {
				t.Fatalf("error = %v, want a CleanupError", err)
			}
			env.sim.ClearFaults()
			after := env.state(arn)

			var ramAliases []string
			for name := range after.Aliases {
				if strings.HasPrefix(name, "RAM") {
					ramAliases = append(ramAliases, name)
				}
			}
			slices.Sort(ramAliases)
			var newVersions []string
			for _, v := range after.Versions {
				if !slices.Contains(before.Versions, v) {
					newVersions = append(newVersions, v)
				}
			}
			got := slices.Clone(ce.RemainingAliases)
			slices.Sort(got)
			if !slices.Equal(got, ramAliases) || !slices.Equal(ce.RemainingVersions, newVersions) {
				t.Errorf("CleanupError lists aliases %v and versions %v; the function has %v and %v",
					ce.RemainingAliases, ce.RemainingVersions, ramAliases, newVersions)
			}
			if len(ramAliases)+len(newVersions) == 0 && after.Memory == before.Memory {
				t.Errorf("nothing remains, yet clean-up reported failure: %v", ce)
			}
			if ce.LatestMemory != after.Memory || ce.OriginalMemory != 384 {
				t.Errorf("CleanupError says $LATEST is %d MB (was %d), the function has %d MB (was 384)", ce.LatestMemory, ce.OriginalMemory, after.Memory)
			}
			if ce.DescriptionChanged != (after.Description != before.Description) {
				t.Errorf("CleanupError says description changed = %v; the function's is %q (was %q)", ce.DescriptionChanged, after.Description, before.Description)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("$LATEST memory is %d MB", after.Memory)) || !strings.Contains(err.Error(), arn) {
				t.Errorf("message %q does not say what was left", err)
			}
		})
	}
}

// cancellingLambda cancels the run's context at the k-th mutating call,
// before or after sending it, so a sweep over k cancels at every step.
type cancellingLambda struct {
	awsapi.LambdaAPI
	calls  *atomic.Int32
	at     int32
	after  bool
	cancel context.CancelFunc
}

func (l *cancellingLambda) step(send func() error) error {
	n := l.calls.Add(1)
	if n == l.at && !l.after {
		l.cancel()
	}
	err := send()
	if n == l.at && l.after {
		l.cancel()
	}
	return err
}

func (l *cancellingLambda) UpdateFunctionConfiguration(ctx context.Context, in *lambda.UpdateFunctionConfigurationInput, o ...func(*lambda.Options)) (out *lambda.UpdateFunctionConfigurationOutput, err error) {
	err = l.step(func() error { out, err = l.LambdaAPI.UpdateFunctionConfiguration(ctx, in, o...); return err })
	return out, err
}

func (l *cancellingLambda) PublishVersion(ctx context.Context, in *lambda.PublishVersionInput, o ...func(*lambda.Options)) (out *lambda.PublishVersionOutput, err error) {
	err = l.step(func() error { out, err = l.LambdaAPI.PublishVersion(ctx, in, o...); return err })
	return out, err
}

func (l *cancellingLambda) CreateAlias(ctx context.Context, in *lambda.CreateAliasInput, o ...func(*lambda.Options)) (out *lambda.CreateAliasOutput, err error) {
	err = l.step(func() error { out, err = l.LambdaAPI.CreateAlias(ctx, in, o...); return err })
	return out, err
}

func (l *cancellingLambda) Invoke(ctx context.Context, in *lambda.InvokeInput, o ...func(*lambda.Options)) (out *lambda.InvokeOutput, err error) {
	err = l.step(func() error { out, err = l.LambdaAPI.Invoke(ctx, in, o...); return err })
	return out, err
}

type cancellingClients struct {
	awsapi.Clients
	lam *cancellingLambda
}

func (c *cancellingClients) Lambda(region string) awsapi.LambdaAPI {
	l := *c.lam
	l.LambdaAPI = c.Clients.Lambda(region)
	return &l
}

func TestE2ECancellationAtEveryStepCleansUp(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "cancelled", MemorySize: 256, Description: "mine", Environment: cpuBound(nil)})
	in := spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}, ParallelInvocation: true}
	// 2 × (update, publish, alias) + 10 invocations + 1 restore.
	for k := int32(1); k <= 17; k++ {
		for _, after := range []bool{false, true} {
			before := env.state(arn)
			ctx, cancel := context.WithCancel(context.Background())
			clients := &cancellingClients{Clients: env.clients, lam: &cancellingLambda{calls: new(atomic.Int32), at: k, after: after, cancel: cancel}}
			_, err := New(Config{Clients: clients, Waits: waiter.Settings{Min: time.Millisecond, Max: 5 * time.Millisecond}, Seed: 3}).Run(ctx, in)
			cancel()
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("cancel at call %d (after=%v): error = %v, want context.Canceled", k, after, err)
			}
			var ce *faults.CleanupError
			if errors.As(err, &ce) {
				t.Errorf("cancel at call %d (after=%v): clean-up failed: %v", k, after, ce)
			}
			env.assertRestored(arn, before)
		}
	}
}

func TestE2ETimeoutMidRunCleansUp(t *testing.T) {
	env := startSim(t, lambdasim.Options{TimeScale: 0.01})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "slow", MemorySize: 256, Environment: cpuBound(nil)})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	before := env.state(arn)
	_, err := env.engine().Run(ctx, spec.Input{LambdaARN: arn, Num: 50, PowerValues: []int32{128, 256}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want context.DeadlineExceeded", err)
	}
	env.assertRestored(arn, before)
}

func TestE2EThrottlingStorms(t *testing.T) {
	t.Run("invocations", func(t *testing.T) {
		env := startSim(t, lambdasim.Options{})
		arn := env.addFunction(lambdasim.FunctionSpec{Name: "throttled", Environment: cpuBound(nil)})
		// About 270 throttles: more than the SDK's default retry quota
		// (500 tokens, 5 a retry) would allow.
		env.sim.InjectFault(lambdasim.Fault{Operation: "Invoke", Rate: 0.6, Status: 429, Code: "TooManyRequestsException"})
		rep, err := env.runTuning(arn, spec.Input{Num: 60, PowerValues: []int32{128, 256, 512}, ParallelInvocation: true})
		if err != nil {
			t.Fatal(err)
		}
		if stats := env.sim.Stats(); stats.Faults < 150 || stats.Invocations != 180 {
			t.Errorf("faults/invocations = %d/%d, want a storm and all 180 invocations through", stats.Faults, stats.Invocations)
		}
		if rep.Results[0].Invocations != 60 {
			t.Errorf("results %+v", rep.Results[0])
		}
	})
	t.Run("every operation", func(t *testing.T) {
		env := startSim(t, lambdasim.Options{})
		arn := env.addFunction(lambdasim.FunctionSpec{Name: "throttled", Environment: cpuBound(nil)})
		env.sim.InjectFault(lambdasim.Fault{Operation: "*", Rate: 0.3, Status: 429, Code: "TooManyRequestsException"})
		if _, err := env.runTuning(arn, spec.Input{Num: 10, PowerValues: []int32{128, 256}, OnlyColdStarts: true}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("account concurrency", func(t *testing.T) {
		env := startSim(t, lambdasim.Options{AccountConcurrency: 4, TimeScale: 0.002})
		arn := env.addFunction(lambdasim.FunctionSpec{Name: "crowded", Environment: cpuBound(nil)})
		if _, err := env.runTuning(arn, spec.Input{Num: 20, PowerValues: []int32{128, 256}, ParallelInvocation: true}); err != nil {
			t.Fatal(err)
		}
		if stats := env.sim.Stats(); stats.Throttled == 0 || stats.MaxInFlight > 4 {
			t.Errorf("throttled %d, peak %d: the storm did not happen or the limit was broken", stats.Throttled, stats.MaxInFlight)
		}
	})
}

func updateInProgress(op string, count int) lambdasim.Fault {
	return lambdasim.Fault{Operation: op, Count: count, Status: 409, Code: "ResourceConflictException",
		Message: "The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:busy"}
}

func TestE2EUpdateInProgressIsWaitedOut(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "busy", Environment: cpuBound(nil)})
	env.sim.InjectFault(updateInProgress("UpdateFunctionConfiguration", 3))
	env.sim.InjectFault(updateInProgress("PublishVersion", 3))
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 256}}); err != nil {
		t.Fatal(err)
	}
	if got := env.sim.Stats().Faults; got != 6 {
		t.Errorf("%d conflicts answered, want 6 waited out", got)
	}
}

func TestE2EUpdateInProgressGivesUpAfterTheBound(t *testing.T) {
	env := startSim(t, lambdasim.Options{UpdateDelay: time.Nanosecond})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "busy", Environment: cpuBound(nil)})
	env.sim.InjectFault(updateInProgress("UpdateFunctionConfiguration", 0))
	clock := tuningtest.NewClock(time.Unix(0, 0))
	_, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 256}}, func(c *Config) {
		c.Clock = clock
		c.Waits.Timeout = time.Minute
		c.Waits.Max = 2 * time.Second
	})
	var step *faults.StepError
	if !errors.Is(err, faults.ErrFunctionBusy) || !errors.As(err, &step) || step.Operation != "UpdateFunctionConfiguration" {
		t.Fatalf("error = %v, want an UpdateFunctionConfiguration StepError wrapping ErrFunctionBusy", err)
	}
	if waited := clock.Now().Sub(time.Unix(0, 0)); waited < time.Minute || waited > 2*time.Minute {
		t.Errorf("waited %s of virtual time, want about the one-minute bound", waited)
	}
}

func TestE2EUserVersionReturnedByPublishIsKept(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "published", MemorySize: 256, Environment: cpuBound(nil)})
	v, err := env.lambda("us-east-1").PublishVersion(context.Background(), &lambda.PublishVersionInput{FunctionName: &arn})
	if err != nil {
		t.Fatal(err)
	}
	// 256 MB is $LATEST as published: PublishVersion hands the user's
	// version back, and no alias protects it from deletion.
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{256, 512}}); err != nil {
		t.Fatal(err)
	}
	if after := env.state(arn); !slices.Contains(after.Versions, aws.ToString(v.Version)) {
		t.Errorf("the user's version %s was deleted: versions now %v", aws.ToString(v.Version), after.Versions)
	}
}

func TestE2EUserAliasOnThePublishedVersionIsKept(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "shared", MemorySize: 128, Environment: cpuBound(nil)})
	lam := env.lambda("us-east-1")
	ctx := context.Background()
	v, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: aws.String("live"), FunctionVersion: v.Version}); err != nil {
		t.Fatal(err)
	}
	// A leftover RAM alias of a crashed run, on the same user version.
	if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: aws.String("RAM256"), FunctionVersion: v.Version,
		Description: aws.String("awspowertuning run 0badc0de")}); err != nil {
		t.Fatal(err)
	}
	rec := newRecordingClients(env.clients)
	env.clients = rec
	// 128 MB is $LATEST as published in version 1: PublishVersion returns it.
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 256}}); err != nil {
		t.Fatal(err)
	}
	after := env.state(arn)
	if after.Aliases["live"] != aws.ToString(v.Version) || !slices.Contains(after.Versions, aws.ToString(v.Version)) {
		t.Errorf("the user's version %s or alias live was touched: %+v", aws.ToString(v.Version), after)
	}
	if _, ok := after.Aliases["RAM256"]; ok {
		t.Error("the leftover RAM256 alias was not cleaned up")
	}
	var ran128 bool
	for _, c := range rec.invokesOf(arn) {
		ran128 = ran128 || c.Qualifier == "RAM128"
	}
	if !ran128 {
		t.Error("RAM128 was never invoked")
	}
}

func TestE2ERunsOnOneFunctionNeverOverlap(t *testing.T) {
	env := startSim(t, lambdasim.Options{TimeScale: 0.001})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "contended", MemorySize: 256, Description: "d", Environment: cpuBound(nil)})
	before := env.state(arn)
	in := spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}}
	var wg sync.WaitGroup
	timelines := []*timeline{newTimeline(0, 0), newTimeline(0, 0)}
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = env.engine(func(c *Config) { c.Progress = timelines[i].observe }).Run(context.Background(), in)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	a, b := timelines[0], timelines[1]
	if a.start.Before(b.end) && b.start.Before(a.end) {
		t.Errorf("runs overlapped: [%v, %v] and [%v, %v]", a.start, a.end, b.start, b.end)
	}
	env.assertRestored(arn, before)

	// A run waiting for the function honours its context.
	unlock, err := functionLocks.lock(context.Background(), "us-east-1/contended")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := env.engine().Run(ctx, in); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting run: error = %v, want context.DeadlineExceeded", err)
	}
}

func TestE2ESnapStartVersionsAreWaitedFor(t *testing.T) {
	env := startSim(t, lambdasim.Options{SnapStartDelay: 10 * time.Millisecond})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "snappy", Runtime: "java21", SnapStart: true, Environment: cpuBound(nil)})
	rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{512, 1024}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Results[0].Invocations != 5 || rep.Results[0].AverageDuration <= 0 {
		t.Errorf("results %+v", rep.Results)
	}
}

// exists is whether DeployedFunction found the function.
func exists(d Deployed, err error) (bool, error) { return d.Exists, err }

func TestE2EFunctionExists(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "here"})
	e := env.engine()
	for name, want := range map[string]bool{arn: true, "here": true, "gone": false,
		"arn:aws:lambda:eu-west-1:123456789012:function:here": false} {
		got, err := exists(e.DeployedFunction(context.Background(), name))
		if err != nil || got != want {
			t.Errorf("DeployedFunction(%s).Exists = %v, %v; want %v", name, got, err, want)
		}
	}
	env.sim.InjectFault(badRequest("GetFunction"))
	if _, err := e.DeployedFunction(context.Background(), arn); err == nil {
		t.Error("DeployedFunction hid an error")
	}
}

// Refreshes retry briefly: a throttled GetFunction is tried three times,
// not the 25 attempts a run allows.
func TestE2EFunctionExistsRetriesBriefly(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "here"})
	env.sim.InjectFault(lambdasim.Fault{Operation: "GetFunction", Count: 10, Status: 429, Code: "TooManyRequestsException"})
	before := env.sim.Stats().Requests["GetFunction"]
	if _, err := env.engine().DeployedFunction(context.Background(), arn); faults.Classify(err) != faults.ClassThrottled {
		t.Fatalf("DeployedFunction error %v, want the throttle once retries ran out", err)
	}
	if got := env.sim.Stats().Requests["GetFunction"] - before; got != 3 {
		t.Errorf("%d GetFunction attempts, want 3", got)
	}
}
