package tuning

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// liveRecord puts a fresh record of another run on the function, as a run
// in another process holding it would.
func (env *simEnv) liveRecord(arn string) runrecord.Record {
	env.t.Helper()
	now := time.Now()
	rec := runrecord.Record{RunID: "feedbeef", Host: "ci-7", PID: 99, Version: "0.9.0", Started: now.Add(-time.Minute), Expires: now.Add(time.Hour), Memory: 384}
	if _, err := env.lambda("us-east-1").CreateAlias(context.Background(), &lambda.CreateAliasInput{FunctionName: &arn,
		Name: aws.String(runrecord.LockAlias), FunctionVersion: aws.String(lambdaops.Latest), Description: aws.String(rec.Encode())}); err != nil {
		env.t.Fatal(err)
	}
	return rec
}

func TestE2ELiveRunFailsTheNextAfterLockWaitWithoutTouchingTheFunction(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := setUpUserFunction(env)
	other := env.liveRecord(arn)
	before := env.state(arn)
	var events recorder
	_, err := env.engine(func(c *Config) {
		c.Lock.Wait, c.Lock.Poll, c.Progress = 50*time.Millisecond, 5*time.Millisecond, events.record
	}).Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512}})
	var inProgress *faults.RunInProgressError
	if !errors.As(err, &inProgress) || !errors.Is(err, faults.ErrRunInProgress) {
		t.Fatalf("error = %v, want a RunInProgressError", err)
	}
	if inProgress.RunID != other.RunID || inProgress.Owner != other.Owner() || !inProgress.Started.Equal(other.Started.Truncate(time.Second)) {
		t.Errorf("error names run %s of %s started %s, want %s of %s started %s", inProgress.RunID, inProgress.Owner, inProgress.Started,
			other.RunID, other.Owner(), other.Started)
	}
	env.assertUnchanged(arn, before)
	var logged bool
	for _, ev := range events.events {
		logged = logged || strings.HasPrefix(ev.Message, "waiting for tuning run feedbeef, started ") && strings.Contains(ev.Message, "by ci-7 pid 99")
	}
	if !logged {
		t.Errorf("no progress event says whom the run waits for: %+v", events.events)
	}
}

func TestE2ERunWaitsForALiveRunThenTunes(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := setUpUserFunction(env)
	env.liveRecord(arn)
	before := env.state(arn)
	delete(before.Aliases, runrecord.LockAlias)
	// The other run ends (releases its record) once this one says it waits.
	var release sync.Once
	onEvent := func(ev progress.Event) {
		if strings.HasPrefix(ev.Message, "waiting for tuning run") {
			release.Do(func() {
				go func() {
					_, _ = env.lambda("us-east-1").DeleteAlias(context.Background(), &lambda.DeleteAliasInput{FunctionName: &arn, Name: aws.String(runrecord.LockAlias)})
				}()
			})
		}
	}
	rep, err := env.engine(func(c *Config) { c.Lock.Poll, c.Progress = 5*time.Millisecond, onEvent }).
		Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Recovery != nil {
		t.Errorf("a released record is not an interrupted run: %s", rep.Recovery)
	}
	env.assertUnchanged(arn, before)
}

func TestE2EFailedCleanUpEndsTheLeaseSoTheNextRunRecoversAtOnce(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := setUpUserFunction(env)
	before := env.state(arn)
	refusing := &refusingDeleteFunction{}
	_, err := env.engine(func(c *Config) {
		c.Clients = wrappedClients{env.clients, func(l awsapi.LambdaAPI) awsapi.LambdaAPI { refusing.LambdaAPI = l; return refusing }}
	}).
		Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512}})
	var cleanupErr *faults.CleanupError
	if !errors.As(err, &cleanupErr) || len(cleanupErr.RemainingVersions) != 2 {
		t.Fatalf("error = %v, want a clean-up error leaving the two versions", err)
	}
	// LockWait is far shorter than the lease: only an ended lease lets this run in.
	rep, err := env.engine(func(c *Config) { c.Lock.Wait = time.Millisecond }).
		Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512}})
	if err != nil {
		t.Fatal(err)
	}
	env.assertUnchanged(arn, before)
	if rep.Recovery == nil || rep.Recovery.RunID == "" || len(rep.Recovery.DeletedVersions) != 2 {
		t.Errorf("recovery = %+v, want the failed run's two versions deleted", rep.Recovery)
	}
}

// refusingDeleteFunction fails every version deletion, as a missing
// lambda:DeleteFunction permission would.
type refusingDeleteFunction struct{ awsapi.LambdaAPI }

func (r *refusingDeleteFunction) DeleteFunction(context.Context, *lambda.DeleteFunctionInput, ...func(*lambda.Options)) (*lambda.DeleteFunctionOutput, error) {
	return nil, errors.New("access denied")
}

func TestE2EAutoOptimizeAliasRefusesUnreleasedLatest(t *testing.T) {
	for _, allow := range []bool{false, true} {
		t.Run(map[bool]string{false: "refused", true: "allowed"}[allow], func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "unreleased", MemorySize: 256, Environment: cpuBound(nil)})
			lam := env.lambda("us-east-1")
			ctx := context.Background()
			v, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: aws.String("prod"), FunctionVersion: v.Version}); err != nil {
				t.Fatal(err)
			}
			// A deploy in progress: $LATEST has a new setting prod does not serve.
			if _, err := lam.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: &arn,
				Environment: &types.Environment{Variables: cpuBound(map[string]string{"FEATURE_X": "on"})}, Timeout: aws.Int32(30)}); err != nil {
				t.Fatal(err)
			}
			waitSettled(t, lam, arn)
			before := env.state(arn)
			calls := &dyingLambda{} // never dies: counts the changes
			rep, err := env.engine(func(c *Config) { c.Clients = calls.clients(env.clients) }).Run(ctx, spec.Input{LambdaARN: arn, Num: 5,
				PowerValues: []int32{128, 1024}, AutoOptimize: true, AutoOptimizeAlias: "prod", AutoOptimizeAllowUnreleased: allow})
			if !allow {
				var unreleased *faults.UnreleasedCodeError
				if !errors.As(err, &unreleased) {
					t.Fatalf("error = %v, want an UnreleasedCodeError", err)
				}
				if unreleased.Alias != "prod" || unreleased.Version != aws.ToString(v.Version) || strings.Join(unreleased.Differences, ",") != "Timeout,Environment" {
					t.Errorf("error = %+v, want alias prod, version %s, Timeout and Environment differing", unreleased, aws.ToString(v.Version))
				}
				if calls.count() != 0 {
					t.Errorf("changes %v were sent before refusing, want none", calls.mutations)
				}
				env.assertUnchanged(arn, before)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c, err := lam.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: &arn, Qualifier: aws.String("prod")})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToInt32(c.MemorySize) != rep.OptimalPower || aws.ToInt32(c.Timeout) != 30 {
				t.Errorf("prod runs %d MB, timeout %d, want the optimum %d MB of $LATEST (timeout 30)", aws.ToInt32(c.MemorySize), aws.ToInt32(c.Timeout), rep.OptimalPower)
			}
		})
	}
}

// waitSettled waits until a test's own update of the function is done.
func waitSettled(t *testing.T, lam awsapi.LambdaAPI, arn string) {
	t.Helper()
	for range 1000 {
		c, err := lam.GetFunctionConfiguration(context.Background(), &lambda.GetFunctionConfigurationInput{FunctionName: &arn})
		if err != nil {
			t.Fatal(err)
		}
		if c.LastUpdateStatus == types.LastUpdateStatusSuccessful {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the test's update never finished")
}

func TestE2EHeartbeatKeepsTheLeaseFreshWhileTheRunLives(t *testing.T) {
	// Five updates of 400 ms each outlast a lease of one second: only
	// renewals keep the record live until clean-up.
	env := startSim(t, lambdasim.Options{UpdateDelay: 400 * time.Millisecond})
	arn := setUpUserFunction(env)
	var mu sync.Mutex
	var atCleanup *runrecord.Record
	onEvent := func(ev progress.Event) {
		if ev.Kind != progress.Cleanup {
			return
		}
		got, err := env.lambda("us-east-1").GetAlias(context.Background(), &lambda.GetAliasInput{FunctionName: &arn, Name: aws.String(runrecord.LockAlias)})
		if err != nil {
			return
		}
		rec, err := runrecord.Decode(aws.ToString(got.Description))
		mu.Lock()
		defer mu.Unlock()
		if err == nil && atCleanup == nil {
			atCleanup = &rec
		}
	}
	if _, err := env.engine(func(c *Config) {
		c.Lock.Lease, c.Progress = time.Second, onEvent
		c.Waits.Min, c.Waits.Max = 20*time.Millisecond, 50*time.Millisecond
	}).Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512, 1024, 2048}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if atCleanup == nil {
		t.Fatal("the record could not be read at clean-up")
	}
	if lease := atCleanup.Expires.Sub(atCleanup.Started); lease <= 2*time.Second {
		t.Errorf("at clean-up the record expires %s after the run started: it was not renewed", lease)
	}
}
