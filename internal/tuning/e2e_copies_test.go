package tuning

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// readOnlyOperations are the only calls a run with copies may make on the
// function it tunes.
var readOnlyOperations = []string{"GetFunction", "GetFunctionConfiguration", "ListVersionsByFunction", "ListAliases", "ListTags"}

// untouchedCheck remembers the function's state and where the call log
// stands, for assertUntouched after the run.
type untouchedCheck struct {
	name   string
	before functionState
	calls  int
}

func (env *simEnv) beforeRun(name string) untouchedCheck {
	return untouchedCheck{name: name, before: env.state(simARN(name)), calls: len(env.sim.Calls())}
}

func simARN(name string) string { return "arn:aws:lambda:us-east-1:123456789012:function:" + name }

// assertUntouched checks, from the emulator's call log, that the function
// got no call that changes it and no invocation since beforeRun, and that
// none of its copies remains.
func (env *simEnv) assertUntouched(c untouchedCheck) {
	env.t.Helper()
	for op, n := range env.sim.Calls()[c.calls:].ForFunction(c.name).Operations() {
		if !slices.Contains(readOnlyOperations, op) {
			env.t.Errorf("the tuned function received %d %s calls, want none", n, op)
		}
	}
	env.assertRestored(simARN(c.name), c.before)
	env.assertNoCopies(simARN(c.name))
}

func (env *simEnv) assertNoCopies(arn string) {
	env.t.Helper()
	prefix := copies.NamePrefix(arn)
	out, err := env.lambda("us-east-1").ListFunctions(context.Background(), &lambda.ListFunctionsInput{})
	if err != nil {
		env.t.Fatalf("ListFunctions: %v", err)
	}
	for _, f := range out.Functions {
		if name := aws.ToString(f.FunctionName); strings.HasPrefix(name, prefix) {
			env.t.Errorf("copy %s remains after the run", name)
		}
	}
}

func copiesInput(arn string) spec.Input {
	return spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512, 1024}, Isolation: spec.IsolationCopies}
}

func TestE2ECopiesTuneWithoutTouchingTheFunction(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", MemorySize: 384, Description: "mine", Environment: cpuBound(nil)})
	check := env.beforeRun("target")

	rep, err := env.engine().Run(context.Background(), copiesInput(arn))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	env.assertUntouched(check)
	if len(rep.Results) != 3 {
		t.Fatalf("results = %d rows, want 3", len(rep.Results))
	}
	for _, res := range rep.Results {
		if res.Invocations != 5 || res.Failed || res.AverageDuration <= 0 {
			t.Errorf("%d MB: %d invocations, failed %v, %.2f ms; want 5 measured invocations", res.Power, res.Invocations, res.Failed, res.AverageDuration)
		}
	}
	if rep.OptimalPower == 0 {
		t.Error("no optimum chosen")
	}
	// Each power value ran on its own copy, created at that memory size.
	invoked := map[string]int{}
	for _, c := range env.sim.Calls() {
		if c.Operation == "Invoke" {
			invoked[c.Function]++
		}
	}
	if len(invoked) != 3 {
		t.Fatalf("invoked functions = %v, want 3 copies", invoked)
	}
	for name, n := range invoked {
		if !strings.HasPrefix(name, "awspt-"+"target-") || len(name) > 64 || n != 5 {
			t.Errorf("copy %s (%d chars) invoked %d times; want the copy prefix, at most 64 chars, 5 invocations", name, len(name), n)
		}
	}
	if st := env.sim.Stats(); st.Requests["CreateFunction"] != 3 || st.Requests["DeleteFunction"] != 3 {
		t.Errorf("CreateFunction %d, DeleteFunction %d; want 3 each", st.Requests["CreateFunction"], st.Requests["DeleteFunction"])
	}
}

func TestE2ECopiesAreDeletedWhenTheRunFails(t *testing.T) {
	tests := []struct {
		name  string
		fault *lambdasim.Fault
		env   map[string]string
		// cancelOnInvoke cancels the run's context at the first invocation progress.
		cancelOnInvoke bool
		wantOp         string
	}{
		{name: "function error", env: map[string]string{"SIM_ERROR_RATE": "1"}, wantOp: "Invoke"},
		{name: "create refused", fault: &lambdasim.Fault{Operation: "CreateFunction", Count: 1, Status: 400, Code: "InvalidParameterValueException", Message: "injected"}, wantOp: "CreateFunction"},
		{name: "interrupted", cancelOnInvoke: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(tt.env)})
			check := env.beforeRun("target")
			if tt.fault != nil {
				env.sim.InjectFault(*tt.fault)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var once sync.Once
			onEvent := func(ev progress.Event) {
				if tt.cancelOnInvoke && ev.Kind == progress.Invoked {
					once.Do(cancel)
				}
			}
			_, err := env.engine(func(c *Config) { c.Progress = onEvent }).Run(ctx, copiesInput(arn))
			env.assertUntouched(check)
			var step *faults.StepError
			switch {
			case tt.wantOp != "" && (!errors.As(err, &step) || step.Operation != tt.wantOp):
				t.Errorf("error = %v, want a StepError naming %s", err, tt.wantOp)
			case tt.wantOp != "" && !strings.HasPrefix(step.Function, "awspt-"):
				t.Errorf("StepError names %q, want the copy", step.Function)
			case tt.cancelOnInvoke && !errors.Is(err, context.Canceled):
				t.Errorf("error = %v, want context.Canceled", err)
			}
			var cleanup *faults.CleanupError
			if errors.As(err, &cleanup) {
				t.Errorf("clean-up failed: %v", cleanup)
			}
		})
	}
}

func TestE2ECopiesALaterRunRemovesLeftovers(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	prefix := copies.NamePrefix(arn)
	leftover := prefix + "deadbeef-256"
	env.addFunction(lambdasim.FunctionSpec{Name: leftover})
	unrelated := env.addFunction(lambdasim.FunctionSpec{Name: "awspt-" + "other-0000"})
	check := env.beforeRun("target")

	if _, err := env.engine().Run(context.Background(), copiesInput(arn)); err != nil {
		t.Fatalf("Run: %v", err)
	}
	env.assertUntouched(check)
	if _, err := env.lambda("us-east-1").GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String(unrelated)}); err != nil {
		t.Errorf("a function with another target's prefix was touched: %v", err)
	}
}

// codeRecordingLambda remembers the CodeSha256 of every copy created.
type codeRecordingLambda struct {
	awsapi.LambdaAPI
	mu   sync.Mutex
	shas []string
}

func (l *codeRecordingLambda) CreateFunction(ctx context.Context, in *lambda.CreateFunctionInput, o ...func(*lambda.Options)) (*lambda.CreateFunctionOutput, error) {
	out, err := l.LambdaAPI.CreateFunction(ctx, in, o...)
	if err == nil {
		l.mu.Lock()
		l.shas = append(l.shas, aws.ToString(out.CodeSha256))
		l.mu.Unlock()
	}
	return out, err
}

type codeRecordingClients struct {
	awsapi.Clients
	lam *codeRecordingLambda
}

func (c codeRecordingClients) Lambda(string) awsapi.LambdaAPI { return c.lam }

func TestE2ECopiesOfAnAliasRunTheAliasCode(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	ctx := context.Background()
	lam := env.lambda("us-east-1")
	v1, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String(arn), Name: aws.String("live"), FunctionVersion: v1.Version}); err != nil {
		t.Fatal(err)
	}
	newer, err := env.clients.Lambda("us-east-1").(*lambda.Client).UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String(arn), ZipFile: lambdasim.ZipPackage("index.js", "exports.handler = async () => 2")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(newer.CodeSha256) == aws.ToString(v1.CodeSha256) {
		t.Fatal("test setup: $LATEST still has version 1's code")
	}
	check := env.beforeRun("target")

	rec := &codeRecordingLambda{LambdaAPI: lam}
	rep, err := env.engine(func(c *Config) { c.Clients = codeRecordingClients{Clients: c.Clients, lam: rec} }).Run(ctx, copiesInput(arn+":live"))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	env.assertUntouched(check)
	if len(rec.shas) != 3 {
		t.Fatalf("copies created = %d, want 3", len(rec.shas))
	}
	for _, sha := range rec.shas {
		if sha != aws.ToString(v1.CodeSha256) {
			t.Errorf("a copy has code %s, want the alias's %s (not $LATEST's %s)", sha, aws.ToString(v1.CodeSha256), aws.ToString(newer.CodeSha256))
		}
	}
	if rep.FunctionCodeSha256 != aws.ToString(v1.CodeSha256) {
		t.Errorf("report code = %s, want the alias's", rep.FunctionCodeSha256)
	}
}

func TestE2ECopiesLogToTheirOwnGroupsWhichCleanUpDeletes(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	var events recorder
	groups := map[string]string{}
	var mu sync.Mutex
	lam := &logGroupRecordingLambda{LambdaAPI: env.lambda("us-east-1"), record: func(name, group string) {
		mu.Lock()
		defer mu.Unlock()
		groups[name] = group
	}}
	_, err := env.engine(func(c *Config) {
		c.Progress = events.record
		c.Clients = codeRecordingClients{Clients: c.Clients, lam: &codeRecordingLambda{LambdaAPI: lam}}
	}).Run(context.Background(), copiesInput(arn))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(groups) != 3 {
		t.Fatalf("copies created = %d, want 3", len(groups))
	}
	for name, group := range groups {
		if group != "/aws/lambda/"+name {
			t.Errorf("copy %s logs to %q, want its own /aws/lambda/%s", name, group, name)
		}
	}
	// Lambda made each copy's group on its first invocation; clean-up
	// deleted them with the copies.
	if n := env.sim.Stats().Requests["DeleteLogGroup"]; n != 3 {
		t.Errorf("DeleteLogGroup calls = %d, want 3 (one per copy)", n)
	}
	env.assertNoCopyLogGroups(arn)
}

// assertNoCopyLogGroups checks that no log group of a copy of arn remains.
func (env *simEnv) assertNoCopyLogGroups(arn string) {
	env.t.Helper()
	for _, g := range env.sim.LogGroups("us-east-1") {
		if strings.HasPrefix(g, "/aws/lambda/"+copies.NamePrefix(arn)) {
			env.t.Errorf("log group %s of a copy remains after the run", g)
		}
	}
}

func TestE2ECopiesLogGroupsThatCannotBeDeletedAreAWarning(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	env.sim.InjectFault(lambdasim.Fault{Operation: "DeleteLogGroup", Count: 3, Status: 400, Code: "AccessDeniedException",
		Message: "User is not authorized to perform: logs:DeleteLogGroup"})

	rep, err := env.engine().Run(context.Background(), copiesInput(arn))
	if err != nil {
		t.Fatalf("Run: %v (a log group left behind must not fail the run)", err)
	}
	env.assertNoCopies(arn)
	var left []string
	for _, g := range env.sim.LogGroups("us-east-1") {
		if strings.HasPrefix(g, "/aws/lambda/"+copies.NamePrefix(arn)) {
			left = append(left, g)
		}
	}
	if len(left) != 3 {
		t.Fatalf("log groups left = %v, want the 3 copies' groups", left)
	}
	if len(rep.Warnings) != 1 {
		t.Fatalf("warnings = %q, want one", rep.Warnings)
	}
	w := rep.Warnings[0]
	for _, want := range append(left, "logs:DeleteLogGroup", "denied", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/"+copies.NamePrefix(arn)+"*") {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not name %q", w, want)
		}
	}
}

// logGroupRecordingLambda records each created copy's log group, as Lambda
// answers it.
type logGroupRecordingLambda struct {
	awsapi.LambdaAPI
	record func(name, group string)
}

func (l *logGroupRecordingLambda) CreateFunction(ctx context.Context, in *lambda.CreateFunctionInput, o ...func(*lambda.Options)) (*lambda.CreateFunctionOutput, error) {
	out, err := l.LambdaAPI.CreateFunction(ctx, in, o...)
	if err == nil && out.LoggingConfig != nil {
		l.record(aws.ToString(out.FunctionName), aws.ToString(out.LoggingConfig.LogGroup))
	}
	return out, err
}

// A failed run still tells what it left behind.
func TestE2ECopiesLogGroupsLeftByAFailedRunAreAWarning(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(map[string]string{"SIM_ERROR_RATE": "1", "SIM_ERROR_TYPE": "Boom"})})
	env.sim.InjectFault(lambdasim.Fault{Operation: "DeleteLogGroup", Count: 10, Status: 400, Code: "AccessDeniedException",
		Message: "User is not authorized to perform: logs:DeleteLogGroup"})

	_, err := env.engine().Run(context.Background(), copiesInput(arn))
	if err == nil {
		t.Fatal("a run whose function always fails succeeded")
	}
	env.assertNoCopies(arn)
	warnings := WarningsOf(err)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "logs:DeleteLogGroup") {
		t.Errorf("warnings of the failed run = %q, want one naming logs:DeleteLogGroup", warnings)
	}
}

// Waiting for copies to become Active polls GetFunction, whose quota is its
// own, and spends none of the control plane's on reads.
func TestE2ECopiesWaitWithGetFunction(t *testing.T) {
	env := startSim(t, lambdasim.Options{UpdateDelay: 20 * time.Millisecond})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	if _, err := env.engine().Run(context.Background(), copiesInput(arn)); err != nil {
		t.Fatal(err)
	}
	ops := env.sim.Calls().Operations()
	if ops["GetFunctionConfiguration"] != 0 || ops["GetFunction"] <= 3 {
		t.Errorf("GetFunctionConfiguration %d, GetFunction %d calls: want the copies polled with GetFunction only",
			ops["GetFunctionConfiguration"], ops["GetFunction"])
	}
}
