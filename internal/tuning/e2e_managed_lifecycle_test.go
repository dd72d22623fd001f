package tuning

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// The function is never changed and no copy outlives a run on Lambda
// Managed Instances, however it ends (runManaged checks both).

func TestE2EManagedFunctionErrorsFailTheRunAndLeaveNothing(t *testing.T) {
	env := startManagedSim(t, lambdasim.Options{})
	arn := env.lmiFunction("broken", map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "50", "SIM_ERROR_RATE": "1"})
	_, err := env.runManaged(context.Background(), managedInput(arn, []int32{2048}, 4, 8))
	if !errors.Is(err, faults.ErrNoSuccessfulPowerValue) || !strings.Contains(err.Error(), "no invocation succeeded") {
		t.Fatalf("error = %v, want no setting measured because no invocation succeeded", err)
	}
	if MadeCopies(err) != true {
		t.Error("the failed run does not say it made copies")
	}
}

func TestE2EManagedCancelledMidLoadLeavesNothing(t *testing.T) {
	env := startManagedSim(t, lambdasim.Options{})
	arn := env.lmiFunction("cancelled", map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ramped := false
	_, err := env.runManaged(ctx, managedInput(arn, []int32{2048, 4096}, 8), func(c *Config) {
		c.Progress = func(ev progress.Event) {
			if ev.Kind == progress.Note && strings.Contains(ev.Message, "ramp:") {
				ramped = true
				cancel()
			}
		}
	})
	if !errors.Is(err, context.Canceled) || !ramped {
		t.Fatalf("error = %v (ramped %v), want the cancellation once a load had begun", err, ramped)
	}
}

func TestE2EManagedCopiesOfAKilledRunAreDeletedByTheNext(t *testing.T) {
	env := startManagedSim(t, lambdasim.Options{})
	arn := env.lmiFunction("killed", map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"})
	in := managedInput(arn, []int32{2048, 4096}, 8)
	before := env.state(arn)

	// The process dies once the first version is published: from then on
	// no call reaches Lambda, neither the load nor any clean-up.
	dying := &dyingLambda{limit: 1}
	_, crashErr := env.engine(func(c *Config) { c.Clients = dying.clients(env.clients) }).Run(context.Background(), in)
	if crashErr == nil || dying.lastMutation() != "PublishVersion" {
		t.Fatalf("the killed run: error %v after %q, want it to die after publishing", crashErr, dying.lastMutation())
	}
	left := env.copiesOf(arn)
	if len(left) == 0 {
		t.Fatal("the killed run left no copy: the test kills nothing")
	}

	rep, err := env.runManaged(context.Background(), in, func(c *Config) { c.Clock = laterClock{by: time.Hour} })
	if err != nil {
		t.Fatalf("the run after the kill: %v", err)
	}
	env.assertRestored(arn, before)
	warned := strings.Join(rep.Warnings, "\n")
	for _, name := range left {
		if !strings.Contains(warned, name) {
			t.Errorf("the recovery warning does not name %s: %q", name, warned)
		}
	}
}

// copiesOf are the names of the function's copies that exist now.
func (env *simEnv) copiesOf(arn string) []string {
	env.t.Helper()
	out, err := env.lambda("us-east-1").ListFunctions(context.Background(), &lambda.ListFunctionsInput{})
	if err != nil {
		env.t.Fatalf("ListFunctions: %v", err)
	}
	var names []string
	for _, f := range out.Functions {
		if name := aws.ToString(f.FunctionName); strings.HasPrefix(name, copies.NamePrefix(arn)) {
			names = append(names, name)
		}
	}
	return names
}
