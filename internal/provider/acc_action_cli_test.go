package provider

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Actions through the real CLI: `terraform apply -invoke` and an
// action_trigger. Terraform runs actions from 1.14 on; OpenTofu not at all.

// skipWithoutActions skips a test when the CLI it drives cannot run actions.
func skipWithoutActions(t *testing.T) {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH names the CLI to drive")
	}
	switch v := versionOf(t, cli); {
	case !v.isTerraform():
		t.Skipf("%s has no actions (opentofu/opentofu#3309), so awspowertuning_tune cannot run under it", v)
	case !v.atLeast1(14):
		t.Skipf("%s runs no actions: they came with Terraform 1.14", v)
	}
}

// command is the CLI with args in dir, set up as h.apply sets it up.
func (h *cliHarness) command(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(h.cli, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+h.configRC, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", runLeaseEnv+"=2s")
	return cmd
}

// seenLine is a line the CLI printed, with how many invocations the
// emulator had run when it was read.
type seenLine struct {
	text        string
	invocations int
}

// runWatching runs cmd and reads its output line by line as it is printed.
func runWatching(t *testing.T, env *accEnv, cmd *exec.Cmd) []seenLine {
	t.Helper()
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen []seenLine
	var all strings.Builder
	scanner := bufio.NewScanner(pipe)
	for scanner.Scan() {
		seen = append(seen, seenLine{scanner.Text(), env.sim.Stats().Invocations})
		all.WriteString(scanner.Text() + "\n")
	}
	_, _ = io.Copy(io.Discard, pipe)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %v\n%s%s", cmd.Args, err, all.String(), stderr.String())
	}
	return seen
}

func actionConfig(env *accEnv, arn, arguments string) string {
	return env.providerConfig() + fmt.Sprintf(`
action "awspowertuning_tune" "x" {
  config {
    lambda_arn   = %q
    num          = 10
    power_values = [256, 512, 1024]
    %s
  }
}
`, arn, arguments)
}

// `terraform apply -invoke` shows progress lines naming each memory size
// while the run goes on, leaves the function as it found it, and stores the
// report the data source then reads.
func TestAccTuneActionInvokedShowsProgressAndStoresTheReport(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	skipWithoutActions(t)
	h := newCLIHarness(t)
	arn := env.function(t, "deployed", cpuBound)
	before, err := env.state(context.Background(), arn)
	if err != nil {
		t.Fatal(err)
	}
	// Serial invocations 100 ms apart: the run lasts seconds, so lines
	// printed as they come arrive before its last invocation.
	dir := h.workdir(t, actionConfig(env, arn, `sleep_between_runs_ms = 100
    report_s3_uri = "s3://reports/invoked.json"`))
	seen := runWatching(t, env, h.command(dir, "apply", "-auto-approve", "-input=false", "-no-color",
		"-invoke=action.awspowertuning_tune.x"))

	const total = 30
	if got := env.sim.Stats().Invocations; got != total {
		t.Fatalf("the action made %d invocations, want %d", got, total)
	}
	var printed strings.Builder
	for _, l := range seen {
		fmt.Fprintf(&printed, "[%2d invocations] %s\n", l.invocations, l.text)
	}
	for _, size := range []int{256, 512, 1024} {
		count := regexp.MustCompile(strconv.Itoa(size) + ` MB: \d+/10 invocations`)
		early := false
		for _, l := range seen {
			early = early || (count.MatchString(l.text) && l.invocations < total)
		}
		if !early {
			t.Errorf("no count of %d MB's invocations printed while the run went on:\n%s", size, printed.String())
		}
	}
	optimum := regexp.MustCompile(`optimal memory size for ` + regexp.QuoteMeta(arn) + `: (\d+) MB`).FindStringSubmatch(printed.String())
	if optimum == nil {
		t.Fatalf("no result line:\n%s", printed.String())
	}
	after, err := env.state(context.Background(), arn)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("function after the action %+v, want it as found, %+v", after, before)
	}

	// What the action found, read back by a later apply.
	dir = h.workdir(t, env.providerConfig()+`
data "awspowertuning_report" "r" {
  s3_uri = "s3://reports/invoked.json"
}
output "optimal_power" {
  value = data.awspowertuning_report.r.optimal_power
}
`)
	var out bytes.Buffer
	if err := h.apply(dir, &out).Run(); err != nil {
		t.Fatalf("reading the report: %v\n%s", err, out.String())
	}
	if got := strings.TrimSpace(string(cliRun(t, h, dir, "output", "-raw", "optimal_power"))); got != optimum[1] {
		t.Errorf("the data source read optimal_power %s, want the action's %s", got, optimum[1])
	}
}

// An action_trigger on after_update runs the action when the resource
// changes, and not when it is created or left alone.
func TestAccTuneActionRunsAfterUpdateOnly(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	skipWithoutActions(t)
	h := newCLIHarness(t)
	arn := env.function(t, "released", cpuBound)
	dir := h.workdir(t, actionConfig(env, arn, "")+`
variable "release" {
  type = string
}

resource "terraform_data" "deploy" {
  input = var.release
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.awspowertuning_tune.x]
    }
  }
}
`)
	steps := []struct {
		release string
		runs    bool
	}{
		{"v1", false}, // created
		{"v1", false}, // unchanged
		{"v2", true},  // updated
		{"v2", false}, // unchanged again
	}
	for i, step := range steps {
		invoked := env.sim.Stats().Invocations
		cmd := h.command(dir, "apply", "-auto-approve", "-input=false", "-no-color", "-var", "release="+step.release)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("apply %d (release %s): %v\n%s", i+1, step.release, err, out.String())
		}
		want := 0
		if step.runs {
			want = 30
		}
		if got := env.sim.Stats().Invocations - invoked; got != want {
			t.Errorf("apply %d (release %s): %d invocations, want %d\n%s", i+1, step.release, got, want, out.String())
		}
	}
	if err := env.cleanCheck(arn, accMemory)(nil); err != nil {
		t.Error(err)
	}
}
