package tuning

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// endedProcess is the pid of a process of this host that has exited (and
// been reaped), as a SIGKILLed provider's is.
func endedProcess(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("no process to end: %v", err)
	}
	return cmd.Process.Pid
}

// liveProcess is the pid of a process of this host that runs until the test ends.
func liveProcess(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("sleep", "600")
	if err := cmd.Start(); err != nil {
		t.Skipf("no process to keep: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd.Process.Pid
}

// addOwnedLeftoverCopy plants a copy whose live lease names this host and pid.
func (env *simEnv) addOwnedLeftoverCopy(arn, runID string, pid int) string {
	env.t.Helper()
	host, err := os.Hostname()
	if err != nil {
		env.t.Skipf("no host name: %v", err)
	}
	name := copies.NamePrefix(arn) + runID + "-256"
	lease := runrecord.CopyLease{RunID: runID, Host: host, PID: pid, Expires: time.Now().Add(time.Hour)}
	env.addFunction(lambdasim.FunctionSpec{Name: name, Tags: lease.Tags()})
	return name
}

// A copy whose run's process has ended on this host is deleted at once,
// though its lease runs for an hour; one whose process lives is left.
func TestE2ECopiesOfAnEndedProcessAreRemovedAtOnce(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	ended := env.addOwnedLeftoverCopy(arn, "0dead000", endedProcess(t))
	live := env.addOwnedLeftoverCopy(arn, "0a11fe00", liveProcess(t))
	var events recorder
	if _, err := env.engine(func(c *Config) { c.Progress = events.record }).Run(context.Background(), copiesInput(arn)); err != nil {
		t.Fatal(err)
	}
	if env.functionExists(ended) {
		t.Errorf("%s, a copy of an ended process, was not deleted", ended)
	}
	if !env.functionExists(live) {
		t.Errorf("%s, a copy of a live process, was deleted", live)
	}
	said := false
	for _, ev := range events.events {
		said = said || strings.Contains(ev.Message, ended+" is a copy of tuning run 0dead000, whose process")
	}
	if !said {
		t.Error("the run did not say why it deleted a copy whose lease had not expired")
	}
}

// An in-place run record whose process has ended on this host is recovered
// at once, though its lease runs for an hour.
func TestE2ERecordOfAnEndedProcessIsRecoveredAtOnce(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := setUpUserFunction(env)
	host, err := os.Hostname()
	if err != nil {
		t.Skipf("no host name: %v", err)
	}
	before := env.state(arn)
	now := time.Now()
	rec := runrecord.Record{RunID: "0dead111", Host: host, PID: endedProcess(t), Version: "0.9.0",
		Started: now.Add(-time.Minute), Expires: now.Add(time.Hour), Memory: before.Memory}
	if _, err := env.lambda("us-east-1").CreateAlias(context.Background(), &lambda.CreateAliasInput{FunctionName: &arn,
		Name: aws.String(runrecord.LockAlias), FunctionVersion: aws.String(lambdaops.Latest), Description: aws.String(rec.Encode())}); err != nil {
		t.Fatal(err)
	}
	// LockWait far shorter than the lease: only the ended process lets this run in.
	rep, err := env.engine(func(c *Config) { c.Lock.Wait, c.Lock.Poll = time.Millisecond, time.Millisecond }).
		Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512}})
	if err != nil {
		t.Fatalf("run after an ended process's record: %v", err)
	}
	if rep.Recovery == nil || rep.Recovery.RunID != "0dead111" {
		t.Errorf("recovery = %+v, want the ended run 0dead111 recovered", rep.Recovery)
	}
	env.assertUnchanged(arn, before)
}
