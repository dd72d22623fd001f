package provider

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// slowCopiesEnv is an emulator whose copies become Active quickly and whose
// every invocation takes invocation, so a run with copies is mid-execution
// for seconds: long enough to interrupt it, or to look at its copies.
func slowCopiesEnv(t *testing.T, invocation time.Duration) *accEnv {
	t.Helper()
	env := newAccEnv(t, lambdasim.Options{UpdateDelay: 100 * time.Millisecond})
	env.sim.InjectFault(lambdasim.Fault{Operation: "Invoke", Delay: invocation})
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
		if name := aws.ToString(f.FunctionName); strings.HasPrefix(name, copies.NamePrefix(arn)) {
			names = append(names, name)
		}
	}
	return names
}

// waitForCopiesInvoked polls the call log until a copy of arn has been
// invoked and copies exist: the run is executing.
func (e *accEnv) waitForCopiesInvoked(t *testing.T, apply *backgroundApply, arn string) {
	t.Helper()
	waitFor(t, "copies to be invoked", func() (bool, bool) {
		apply.running(t, "copies were invoked")
		for _, c := range e.sim.Calls() {
			if c.Operation == "Invoke" && strings.HasPrefix(c.Function, copies.NamePrefix(arn)) {
				ok := len(e.copies(t, arn)) > 0
				return ok, ok
			}
		}
		return false, false
	})
}

// backgroundApply is an apply the test watches while it runs.
type backgroundApply struct {
	out  bytes.Buffer
	cmd  *exec.Cmd
	done chan struct{} // closed when the CLI has exited
	err  error         // the CLI's exit, once done
}

// startApply starts apply in dir; the CLI is killed if the test ends first.
func (h *cliHarness) startApply(t *testing.T, dir string, environ ...string) *backgroundApply {
	t.Helper()
	a := &backgroundApply{done: make(chan struct{})}
	a.cmd = h.apply(dir, &a.out)
	a.cmd.Env = append(a.cmd.Env, environ...) // later values win
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { a.err = a.cmd.Wait(); close(a.done) }()
	t.Cleanup(func() { _ = a.cmd.Process.Kill(); <-a.done })
	return a
}

// killProvider SIGKILLs the provider process the apply runs; the apply
// must then fail.
func (a *backgroundApply) killProvider(t *testing.T, h *cliHarness) {
	t.Helper()
	provider := waitFor(t, "the provider process", func() (int, bool) { return processOf(h.pluginBin) })
	if err := syscall.Kill(provider, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if out, err := a.wait(); err == nil {
		t.Fatalf("apply succeeded although its provider was killed:\n%s", out)
	}
}

// wait waits for the CLI to exit and returns how it exited and what it printed.
func (a *backgroundApply) wait() (string, error) { <-a.done; return a.out.String(), a.err }

// running fails the test if the CLI has exited: what the test waits for
// will not happen any more.
func (a *backgroundApply) running(t *testing.T, what string) {
	t.Helper()
	select {
	case <-a.done:
		t.Fatalf("apply exited (%v) before %s:\n%s", a.err, what, a.out.String())
	default:
	}
}

const interruptedCopiesConfig = `power_values = [128, 512, 1024]
  isolation    = "copies"`

func TestAccRun_copiesAreDeletedWhenTheCLIIsInterrupted(t *testing.T) {
	env := slowCopiesEnv(t, time.Second)
	h := newCLIHarness(t)
	arn := env.function(t, "interrupted", cpuBound)
	apply := h.startApply(t, h.workdir(t, runConfig(env, arn, interruptedCopiesConfig)))
	env.waitForCopiesInvoked(t, apply, arn)
	// Ctrl-C: the CLI asks the provider to stop (StopProvider), which
	// cancels the run's context; clean-up runs on a context of its own.
	if err := apply.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	out, err := apply.wait()
	if err == nil {
		t.Fatalf("apply succeeded although it was interrupted:\n%s", out)
	}
	// The diagnostic wraps lines: compare with spaces for line breaks.
	said := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Tuning Run Interrupted", "Terraform was interrupted", copiesDeleted} {
		if !strings.Contains(said, want) {
			t.Errorf("the interrupted apply does not say %q:\n%s", want, out)
		}
	}
	if err := env.untouchedCheck("interrupted", "interrupted")(nil); err != nil {
		t.Errorf("%v\n%s", err, out)
	}
}

func TestAccRun_copiesAKilledProviderLeftAreDeletedByTheNextRun(t *testing.T) {
	env := slowCopiesEnv(t, time.Second)
	h := newCLIHarness(t)
	arn := env.function(t, "killed-copies", cpuBound)
	dir := h.workdir(t, runConfig(env, arn, interruptedCopiesConfig))
	apply := h.startApply(t, dir, runLeaseEnv+"=10m")
	env.waitForCopiesInvoked(t, apply, arn)
	apply.killProvider(t, h)
	// A SIGKILL gives the run no chance to clean up: its copies remain.
	left := env.copies(t, arn)
	if len(left) == 0 {
		t.Fatal("the kill left no copy: it did not happen mid-run")
	}

	// The copies' leases run for ten minutes, so only the ended provider
	// process (on this host) tells the next run that they are leftovers.
	for _, name := range left {
		tags, err := env.lambda.ListTags(context.Background(), &lambda.ListTagsInput{Resource: aws.String(functionARN(name))})
		if err != nil {
			t.Fatal(err)
		}
		if lease, err := runrecord.ParseCopyLease(tags.Tags); err != nil || lease.Expired(time.Now()) {
			t.Fatalf("copy %s has no live lease (%+v, %v): the test would not show that an ended process is recognised", name, lease, err)
		}
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

func TestAccRun_copiesOfAnAliasRunTheAliasCode(t *testing.T) {
	env := slowCopiesEnv(t, 500*time.Millisecond)
	h := newCLIHarness(t)
	arn := env.function(t, "aliased", cpuBound)
	ctx := context.Background()
	v1, err := env.lambda.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.lambda.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String(arn), Name: aws.String("live"), FunctionVersion: v1.Version}); err != nil {
		t.Fatal(err)
	}
	latest, err := env.lambda.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String(arn),
		ZipFile: lambdasim.ZipPackage("index.js", "exports.handler = async () => 2")})
	if err != nil {
		t.Fatal(err)
	}
	aliasCode, latestCode := aws.ToString(v1.CodeSha256), aws.ToString(latest.CodeSha256)
	if aliasCode == latestCode {
		t.Fatal("test setup: $LATEST still has version 1's code")
	}
	since := time.Now()
	dir := h.workdir(t, runConfig(env, arn+":live", `power_values = [128, 512]
  isolation    = "copies"`))
	apply := h.startApply(t, dir)
	// Copies live until every invocation is done (5 × 0.5 s each): the
	// code of both can be read while they exist.
	code := waitFor(t, "both copies to exist", func() (map[string]string, bool) {
		apply.running(t, "both copies existed")
		names := env.copies(t, arn)
		if len(names) < 2 {
			return nil, false
		}
		code := map[string]string{}
		for _, name := range names {
			f, err := env.lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
			if err != nil {
				return nil, false
			}
			code[name] = aws.ToString(f.Configuration.CodeSha256)
		}
		return code, true
	})
	if out, err := apply.wait(); err != nil {
		t.Fatalf("apply failed: %v\n%s", err, out)
	}
	for name, sha := range code {
		if sha != aliasCode {
			t.Errorf("copy %s has code %s, want the alias's %s (not $LATEST's %s)", name, sha, aliasCode, latestCode)
		}
	}
	if got := runAttributes(t, filepath.Join(dir, "terraform.tfstate"))["function_code_sha256"]; got != aliasCode {
		t.Errorf("function_code_sha256 = %v, want the alias's %s", got, aliasCode)
	}
	if err := env.untouchedSince(since, "aliased", "aliased")(nil); err != nil {
		t.Error(err)
	}
}

// copyRuns is the run IDs of the copies of arn that exist now.
func (e *accEnv) copyRuns(t *testing.T, arn string) map[string]bool {
	t.Helper()
	runs := map[string]bool{}
	for _, name := range e.copies(t, arn) {
		// <prefix><run id>-<memory>[-<architecture>]
		id, _, _ := strings.Cut(strings.TrimPrefix(name, copies.NamePrefix(arn)), "-")
		runs[id] = true
	}
	return runs
}

// Two Terraform processes tune copies of one function at once: each sees
// the other's copies as live and leaves them alone, both succeed, and the
// function ends as it was, with no copy left.
func TestAccRun_copiesOfTwoConcurrentAppliesLeaveEachOtherAlone(t *testing.T) {
	env := slowCopiesEnv(t, 2*time.Second)
	h := newCLIHarness(t)
	arn := env.function(t, "shared-copies", cpuBound)
	config := runConfig(env, arn, interruptedCopiesConfig)
	first := h.startApply(t, h.workdir(t, config))
	env.waitForCopiesInvoked(t, first, arn)
	second := h.startApply(t, h.workdir(t, config))
	waitFor(t, "copies of both runs at once", func() (bool, bool) {
		first.running(t, "the second run's copies existed beside the first's")
		ok := len(env.copyRuns(t, arn)) == 2
		return ok, ok
	})
	for i, apply := range []*backgroundApply{first, second} {
		if out, err := apply.wait(); err != nil {
			t.Errorf("apply %d failed: %v\n%s", i+1, err, out)
		}
	}
	out, _ := second.wait()
	if !strings.Contains(out, "leaving "+copies.NamePrefix(arn)) || !strings.Contains(out, "a copy of live tuning run") {
		t.Errorf("the second apply does not say it left the first run's copies alone:\n%s", out)
	}
	if err := env.untouchedCheck("shared-copies", "shared-copies")(nil); err != nil {
		t.Error(err)
	}
}

// copyLogGroups lists the log groups of copies of arn that exist now.
func (e *accEnv) copyLogGroups(arn string) []string {
	var groups []string
	for _, g := range e.sim.LogGroups(accRegion) {
		if strings.HasPrefix(g, "/aws/lambda/"+copies.NamePrefix(arn)) {
			groups = append(groups, g)
		}
	}
	return groups
}

// A run killed between deleting a copy and deleting its log group leaves a
// group whose copy is gone: the next run finds it by its name and deletes
// it with the rest, and one warning lists them all.
func TestAccRun_copiesKilledAfterTheirFirstDeletionLeaveNoLogGroupBehind(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{UpdateDelay: 100 * time.Millisecond})
	h := newCLIHarness(t)
	arn := env.function(t, "killed-deleting", cpuBound)
	// Every DeleteLogGroup is held for minutes: the run stops right after
	// it deleted its first copy, before that copy's log group goes.
	env.sim.InjectFault(lambdasim.Fault{Operation: "DeleteLogGroup", Delay: 10 * time.Minute})
	dir := h.workdir(t, runConfig(env, arn, interruptedCopiesConfig))
	apply := h.startApply(t, dir, runLeaseEnv+"=10m")
	waitFor(t, "the first copy's log group to be deleted", func() (bool, bool) {
		apply.running(t, "the first copy was deleted")
		ops := env.sim.Calls().Operations()
		return ops["DeleteLogGroup"] > 0, ops["DeleteLogGroup"] > 0
	})
	apply.killProvider(t, h)
	// Copies not invoked yet have no log group.
	groups, left := env.copyLogGroups(arn), env.copies(t, arn)
	orphaned := slices.ContainsFunc(groups, func(g string) bool { return !slices.Contains(left, strings.TrimPrefix(g, "/aws/lambda/")) })
	if !orphaned {
		t.Fatalf("the kill left log groups %v and copies %v: want the log group of a copy already deleted", groups, left)
	}

	env.sim.ClearFaults()
	var second bytes.Buffer
	if err := h.apply(dir, &second).Run(); err != nil {
		t.Fatalf("the apply after the kill failed: %v\n%s", err, second.String())
	}
	if remain := env.copyLogGroups(arn); len(remain) > 0 {
		t.Errorf("log groups %v remain after the next run (the kill left %v)\n%s", remain, groups, second.String())
	}
	if err := env.untouchedCheck("killed-deleting", "killed-deleting")(nil); err != nil {
		t.Errorf("%v (the kill left %v)\n%s", err, left, second.String())
	}
	said := words(second.String())
	if n := strings.Count(said, "Warning: Interrupted Tuning Run Recovered"); n != 1 {
		t.Errorf("%d warnings Interrupted Tuning Run Recovered, want one telling the whole recovery:\n%s", n, second.String())
	}
	i := strings.Index(said, "Recovered what interrupted tuning runs left of copies of "+arn)
	if i < 0 {
		t.Fatalf("the apply after the kill does not warn of what it recovered:\n%s", second.String())
	}
	warning, _, _ := strings.Cut(said[i:], "The function itself was not touched")
	for _, g := range groups {
		if !strings.Contains(warning, g) {
			t.Errorf("the recovery warning does not name log group %s: %s", g, warning)
		}
	}
	for _, name := range left {
		if !strings.Contains(warning, name) {
			t.Errorf("the recovery warning does not name copy %s: %s", name, warning)
		}
	}
}
