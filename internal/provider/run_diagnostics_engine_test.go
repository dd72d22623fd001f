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
