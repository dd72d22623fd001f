package provider

import (
	"bytes"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
)

// slowCopiesEnv is an emulator whose copies become Active quickly and whose
// every invocation takes a second, so a run with copies is mid-execution
// for seconds: long enough to interrupt it while its copies exist.
func slowCopiesEnv(t *testing.T) *accEnv {
	t.Helper()
	env := newAccEnv(t, lambdasim.Options{UpdateDelay: 100 * time.Millisecond})
	env.sim.InjectFault(lambdasim.Fault{Operation: "Invoke", Delay: time.Second})
	return env
}

// copies lists the functions whose names mark them as copies of arn.
func (e *accEnv) copies(t *testing.T, arn string) []string {
	t.Helper()
	out, err := e.lambda.ListFunctions(context.Background(), &lambda.ListFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range out.Functions {
		if name := aws.ToString(f.FunctionName); strings.HasPrefix(name, tuning.CopyNamePrefix(arn)) {
			names = append(names, name)
		}
	}
	return names
}

// waitForCopiesInvoked polls the call log until a copy of arn has been
// invoked (so copies exist and the run is executing) and returns the copies.
func (e *accEnv) waitForCopiesInvoked(t *testing.T, arn string) []string {
	t.Helper()
	return waitFor(t, "copies to be invoked", func() ([]string, bool) {
		for _, c := range e.sim.Calls() {
			if c.Operation == "Invoke" && strings.HasPrefix(c.Function, tuning.CopyNamePrefix(arn)) {
				names := e.copies(t, arn)
				return names, len(names) > 0
			}
		}
		return nil, false
	})
}

const interruptedCopiesConfig = `power_values = [128, 512, 1024]
  isolation    = "copies"`

func TestAccRun_copiesAreDeletedWhenTheCLIIsInterrupted(t *testing.T) {
	env := slowCopiesEnv(t)
	h := newCLIHarness(t)
	arn := env.function(t, "interrupted", cpuBound)
	dir := h.workdir(t, runConfig(env, arn, interruptedCopiesConfig))

	var out bytes.Buffer
	cmd := h.apply(dir, &out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	env.waitForCopiesInvoked(t, arn)
	// Ctrl-C: the CLI asks the provider to stop (StopProvider), which
	// cancels the run's context.
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("apply succeeded although it was interrupted:\n%s", out.String())
	}
	// The diagnostic wraps lines: compare with spaces for line breaks.
	said := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{"Tuning Run Interrupted", "Terraform was interrupted", copiesDeleted} {
		if !strings.Contains(said, want) {
			t.Errorf("the interrupted apply does not say %q:\n%s", want, out.String())
		}
	}
	if err := env.untouchedCheck("interrupted", "interrupted")(nil); err != nil {
		t.Errorf("%v\n%s", err, out.String())
	}
}

func TestAccRun_copiesAKilledProviderLeftAreDeletedByTheNextRun(t *testing.T) {
	env := slowCopiesEnv(t)
	h := newCLIHarness(t)
	arn := env.function(t, "killed-copies", cpuBound)
	dir := h.workdir(t, runConfig(env, arn, interruptedCopiesConfig))

	var first bytes.Buffer
	cmd := h.apply(dir, &first)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	env.waitForCopiesInvoked(t, arn)
	provider := waitFor(t, "the provider process", func() (int, bool) { return processOf(h.pluginBin) })
	if err := syscall.Kill(provider, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("apply succeeded although its provider was killed:\n%s", first.String())
	}
	// A SIGKILL gives the run no chance to clean up: its copies remain.
	left := env.copies(t, arn)
	if len(left) == 0 {
		t.Fatalf("the kill left no copy: it did not happen mid-run\n%s", first.String())
	}

	env.sim.ClearFaults() // the next run need not be slow
	var second bytes.Buffer
	if err := h.apply(dir, &second).Run(); err != nil {
		t.Fatalf("the apply after the kill failed: %v\n%s", err, second.String())
	}
	if err := env.untouchedCheck("killed-copies", "killed-copies")(nil); err != nil {
		t.Errorf("%v (the kill left %v)\n%s", err, left, second.String())
	}
	for _, name := range left {
		if !strings.Contains(second.String(), "deleting "+name) {
			t.Errorf("the apply after the kill does not say it deleted %s, a copy the killed run left:\n%s", name, second.String())
		}
	}
}
