package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// TestRunErrorDiagnosticsOfRealFailures feeds runErrorDiagnostics the errors
// the engine really returns (joined, wrapped), from runs against lambdasim.
func TestRunErrorDiagnosticsOfRealFailures(t *testing.T) {
	denied := func(op string) lambdasim.Fault {
		return lambdasim.Fault{Operation: op, Status: 403, Code: "AccessDeniedException", Message: "not authorized to perform lambda:" + op}
	}
	tests := []struct {
		name      string
		faults    []lambdasim.Fault
		userAlias string
		isolation string
		// interrupted leaves what a killed run leaves: an expired record at
		// 512 MB and its alias RAM256 on a version it published.
		interrupted bool
		summaries   []string
		details     []string // of the first diagnostic, in order
		absent      []string // in no diagnostic
	}{
		{
			name:      "clean-up alone failed",
			faults:    []lambdasim.Fault{denied("DeleteFunction")},
			summaries: []string{"Tuning Run Left Changes Behind"},
			details:   []string{"aws lambda delete-function", "Versions left:", "Original error:"},
			absent:    []string{"AWS Call Failed During Tuning"},
		},
		{
			name:      "failed before any change",
			faults:    []lambdasim.Fault{denied("ListVersionsByFunction")},
			summaries: []string{"AWS Call Failed During Tuning"},
			details:   []string{"Allow lambda:ListVersionsByFunction", nothingChanged, "AWS call: ListVersionsByFunction"},
			absent:    []string{cleanedUp},
		},
		{
			name:      "failed after changes, cleaned up",
			faults:    []lambdasim.Fault{denied("Invoke")},
			summaries: []string{"AWS Call Failed During Tuning"},
			details:   []string{"lambda:InvokeFunction", cleanedUp, "AWS call: Invoke"},
			absent:    []string{nothingChanged},
		},
		{
			name:      "copies: failed after creating copies, deleted them",
			faults:    []lambdasim.Fault{denied("Invoke")},
			isolation: spec.IsolationCopies,
			summaries: []string{"AWS Call Failed During Tuning"},
			details:   []string{"lambda:InvokeFunction", copiesDeleted, "AWS call: Invoke"},
			absent:    []string{nothingChanged, cleanedUp},
		},
		{
			name:      "an alias of the user's in the way",
			userAlias: "RAM256",
			summaries: []string{"Alias Name Already In Use"},
			details:   []string{"Rename or delete that alias", nothingChanged, "RAM256 (version 1)"},
			absent:    []string{"The ListAliases call failed"},
		},
		{
			name:        "recovery of an interrupted run cannot finish",
			interrupted: true,
			faults:      []lambdasim.Fault{denied("DeleteAlias")},
			summaries:   []string{"Interrupted Tuning Run Not Recovered"},
			details: []string{"interrupted tuning run (0badc0de)", "stopped before tuning",
				"aws lambda delete-alias --function-name " + functionARN("f") + " --name RAM256",
				"aws lambda delete-function --function-name " + functionARN("f") + " --qualifier 1",
				"--memory-size 128", "Original error:"},
			absent: []string{"Interrupted Tuning Run Recovered"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, err := lambdasim.Start(lambdasim.Options{Seed: 1, UpdateDelay: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = sim.Close() })
			arn, err := sim.AddFunction(lambdasim.FunctionSpec{Name: "f", MemorySize: accMemory, Timeout: 30, Environment: cpuBound})
			if err != nil {
				t.Fatal(err)
			}
			cfg := aws.Config{Region: accRegion, Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
			clients := awsapi.FromSDK(awsclient.New(cfg, awsclient.ClientOptions{LambdaEndpoint: sim.URL(), S3Endpoint: sim.URL(), LogsEndpoint: sim.URL(), MaxBackoff: time.Millisecond}))
			if tt.userAlias != "" {
				lam := clients.Lambda(accRegion)
				v, err := lam.PublishVersion(context.Background(), &lambda.PublishVersionInput{FunctionName: &arn})
				if err == nil {
					_, err = lam.CreateAlias(context.Background(), &lambda.CreateAliasInput{FunctionName: &arn, Name: &tt.userAlias, FunctionVersion: v.Version})
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if tt.interrupted {
				leaveInterruptedRun(t, clients.Lambda(accRegion), arn)
			}
			for _, f := range tt.faults {
				sim.InjectFault(f)
			}
			engine := tuning.New(tuning.Config{Clients: clients, Waits: waiter.Settings{Min: time.Millisecond, Max: 5 * time.Millisecond}, CleanupTimeout: 10 * time.Second})
			_, runErr := engine.Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512}, Isolation: tt.isolation})
			if runErr == nil {
				t.Fatal("the run succeeded")
			}
			diags := runErrorDiagnostics(runErr, arn, time.Hour)
			if got := summaries(diags); strings.Join(got, "|") != strings.Join(tt.summaries, "|") {
				t.Fatalf("summaries = %q, want %q\nerror: %v", got, tt.summaries, runErr)
			}
			assertInOrder(t, diags[0].Detail(), tt.details)
			for _, d := range diags {
				for _, a := range tt.absent {
					if strings.Contains(d.Summary()+d.Detail(), a) {
						t.Errorf("%q says %q:\n%s", d.Summary(), a, d.Detail())
					}
				}
			}
		})
	}
}

// leaveInterruptedRun leaves what a run killed while configuring 256 MB
// leaves, with a record whose lease ran out long ago.
func leaveInterruptedRun(t *testing.T, lam awsapi.LambdaAPI, arn string) {
	t.Helper()
	ctx := context.Background()
	rec := runrecord.Record{RunID: "0badc0de", Host: "ci-7", PID: 99, Started: time.Unix(1000, 0), Expires: time.Unix(1120, 0), Memory: accMemory}
	if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: aws.String(runrecord.LockAlias),
		FunctionVersion: aws.String("$LATEST"), Description: aws.String(rec.Encode())}); err != nil {
		t.Fatal(err)
	}
	if _, err := lam.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: &arn, MemorySize: aws.Int32(256)}); err != nil {
		t.Fatal(err)
	}
	var v *lambda.PublishVersionOutput
	err := errors.New("not published")
	for range 1000 { // until the update settles
		if v, err = lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn, Description: aws.String("awspowertuning run 0badc0de RAM256")}); err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: aws.String("RAM256"),
		FunctionVersion: v.Version, Description: aws.String("awspowertuning run 0badc0de")}); err != nil {
		t.Fatal(err)
	}
}

// engineAt is an engine whose clients reach the emulator at url, retrying
// throttled calls twice with a short backoff.
func engineAt(url string) *tuning.Engine {
	cfg := aws.Config{Region: accRegion, Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	clients := awsapi.FromSDK(awsclient.New(cfg, awsclient.ClientOptions{LambdaEndpoint: url, S3Endpoint: url, LogsEndpoint: url,
		MaxBackoff: time.Millisecond, MaxRetries: 2}))
	return tuning.New(tuning.Config{Clients: clients, Waits: waiter.Settings{Min: time.Millisecond, Max: 5 * time.Millisecond}, CleanupTimeout: 10 * time.Second})
}

// TestRunDiagnosticsOfTheFunctionItself feeds runErrorDiagnostics and
// runWarnings what the engine really returns when the function stops or
// changes a run: it cannot be invoked, its alias has weighted routing, its
// invocations are throttled, someone deploys or reconfigures it mid-run.
func TestRunDiagnosticsOfTheFunctionItself(t *testing.T) {
	zero, one := int32(0), int32(1)
	tests := []struct {
		name string
		spec lambdasim.FunctionSpec
		// setUp runs once the function exists; the returned hook runs after
		// the run's first PublishVersion (nil: none).
		setUp     func(t *testing.T, lam *lambda.Client, arn string) func()
		input     spec.Input
		timeScale float64 // the emulator's: 0 answers at once
		summaries []string
		attribute string   // of the first diagnostic; "" for none
		details   []string // of the first diagnostic, in order
	}{
		{
			name:      "reserved concurrency 0",
			spec:      lambdasim.FunctionSpec{ReservedConcurrency: &zero},
			summaries: []string{"Function Cannot Be Invoked"},
			attribute: "lambda_arn",
			details: []string{"its reserved concurrency is 0", "aws lambda delete-function-concurrency", nothingChanged,
				"Cause: its reserved concurrency is 0", "Original error:"},
		},
		{
			name: "weighted alias",
			setUp: func(t *testing.T, lam *lambda.Client, arn string) func() {
				ctx := context.Background()
				v1, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn})
				if err == nil {
					_, err = lam.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: &arn, Timeout: aws.Int32(31)})
				}
				if err != nil {
					t.Fatal(err)
				}
				settle(t, lam, arn)
				v2, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn})
				if err == nil {
					_, err = lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: aws.String("live"), FunctionVersion: v1.Version,
						RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{aws.ToString(v2.Version): 0.25}}})
				}
				if err != nil {
					t.Fatal(err)
				}
				return nil
			},
			input:     spec.Input{AutoOptimize: true, AutoOptimizeAlias: "live", AutoOptimizeAllowUnreleased: true},
			summaries: []string{"Alias Has Weighted Routing"},
			attribute: "auto_optimize_alias",
			details: []string{"alias live, which routes 75 % to version 1 and 25 % to version 2", "before changing anything",
				`auto_optimize_alias_routing = "keep"`, `"clear"`, nothingChanged, "Alias: live\nVersion: 1\nRouting: 75 % to version 1 and 25 % to version 2"},
		},
		{
			name:      "throttled by reserved concurrency",
			spec:      lambdasim.FunctionSpec{ReservedConcurrency: &one},
			input:     spec.Input{Num: 20, ParallelInvocation: true},
			timeScale: 0.01, // invocations that last, so that they overlap
			summaries: []string{"Invocations Throttled During Tuning"},
			details: []string{"they hit the function's reserved concurrency (ReservedFunctionConcurrentInvocationLimitExceeded)",
				"delete-function-concurrency --function-name " + functionARN("f"), "max_concurrency at most the reserved concurrency",
				cleanedUp, "AWS call: Invoke"},
		},
		{
			name:      "a response too large to buffer",
			spec:      lambdasim.FunctionSpec{Environment: map[string]string{"SIM_CPU_MS": "50", "SIM_RESPONSE_BYTES": "8388608"}},
			input:     spec.Input{InvokeMode: spec.InvokeModeBuffered},
			summaries: []string{"Response Too Large"},
			attribute: "invoke_mode",
			details: []string{`invoke_mode = "buffered"`, `invoke_mode = "stream"`, cleanedUp, "Function: ", "Memory size: ", " MB\nAWS call: Invoke",
				"Original error:", "Function.ResponseSizeTooLarge"},
		},
		{
			name: "a deploy during the run",
			setUp: func(t *testing.T, lam *lambda.Client, arn string) func() {
				return func() {
					if _, err := lam.UpdateFunctionCode(context.Background(), &lambda.UpdateFunctionCodeInput{FunctionName: &arn,
						ZipFile: lambdasim.ZipPackage("index.js", "exports.handler = async () => 2")}); err != nil {
						t.Error(err)
					}
					settle(t, lam, arn)
				}
			},
			summaries: []string{"Function Code Changed During Tuning"},
			details: []string{codeSha256(lambdasim.ZipPackage("index.js", "exports.handler = async () => 2")), "nothing it measured is reported",
				"restored the function's memory size and description; the new code stays", `isolation = "copies"`,
				"Found by: UpdateFunctionConfiguration", "Original error:"},
		},
		{
			name: "a settings change during the run",
			setUp: func(t *testing.T, lam *lambda.Client, arn string) func() {
				return func() {
					if _, err := lam.UpdateFunctionConfiguration(context.Background(), &lambda.UpdateFunctionConfigurationInput{FunctionName: &arn,
						MemorySize: aws.Int32(2048), Timeout: aws.Int32(45)}); err != nil {
						t.Error(err)
					}
					settle(t, lam, arn)
				}
			},
			summaries: []string{"Function Changed By Someone Else During Tuning"},
			details:   []string{"Someone else changed $LATEST of", "MemorySize to 2048 MB (kept", "Timeout", "Function: "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, err := lambdasim.Start(lambdasim.Options{Seed: 1, UpdateDelay: time.Millisecond, TimeScale: tt.timeScale})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = sim.Close() })
			fn := tt.spec
			fn.Name, fn.MemorySize, fn.Timeout = "f", 256, 30
			if fn.Environment == nil {
				fn.Environment = cpuBound
			}
			arn, err := sim.AddFunction(fn)
			if err != nil {
				t.Fatal(err)
			}
			lam := lambda.New(lambda.Options{Region: accRegion, BaseEndpoint: aws.String(sim.URL()),
				Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
			proxy := newSimProxy(t, sim)
			if tt.setUp != nil {
				if hook := tt.setUp(t, lam, arn); hook != nil {
					proxy.after(t, "PublishVersion", hook)
				}
			}
			in := tt.input
			in.LambdaARN, in.PowerValues = arn, []int32{128, 512, 1024}
			if in.Num == 0 {
				in.Num = 5
			}
			rep, runErr := engineAt(proxy.URL()).Run(context.Background(), in)
			var diags diag.Diagnostics
			if runErr != nil {
				diags = runErrorDiagnostics(runErr, arn, time.Hour)
			} else {
				diags = runWarnings(rep.Warnings, arn)
			}
			if got := summaries(diags); strings.Join(got, "|") != strings.Join(tt.summaries, "|") {
				t.Fatalf("summaries = %q, want %q\nerror: %v", got, tt.summaries, runErr)
			}
			first := diags[0]
			t.Logf("%s: %s", first.Summary(), first.Detail())
			withPath, hasPath := first.(diag.DiagnosticWithPath)
			switch {
			case tt.attribute == "" && hasPath && !withPath.Path().Equal(path.Empty()):
				t.Errorf("diagnostic is on %s, want the resource", withPath.Path())
			case tt.attribute != "" && (!hasPath || !withPath.Path().Equal(path.Root(tt.attribute))):
				t.Errorf("diagnostic is not on %s", tt.attribute)
			}
			assertInOrder(t, first.Detail(), tt.details)
		})
	}
}
