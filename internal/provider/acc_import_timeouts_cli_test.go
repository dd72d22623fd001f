package provider

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// planExitCode runs `plan -detailed-exitcode` in dir and returns its exit
// code (0: no changes, 2: changes) and what it printed.
func planExitCode(t *testing.T, h *cliHarness, dir string) (int, string) {
	t.Helper()
	cmd := exec.Command(h.cli, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+h.configRC, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	default:
		t.Fatalf("%s plan: %v\n%s", h.cli, err, out.String())
		return -1, ""
	}
}

// A run whose configuration has a timeouts block, imported with `import`
// from the report it stored, plans no change against that configuration:
// the report records the block, and the import restores it.
func TestAccImportWithTimeoutsPlansNoChange(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	h := newCLIHarness(t)
	arn := env.function(t, "imported-timeouts", cpuBound)
	config := runConfig(env, arn, `triggers = { code = "v1" }
  power_values  = [256, 512]
  report_s3_uri = "s3://reports/imported-timeouts.json"

  timeouts {
    create = "10m"
  }`)
	var out bytes.Buffer
	if err := h.apply(h.workdir(t, config), &out).Run(); err != nil {
		t.Fatalf("the run to import failed: %v\n%s", err, out.String())
	}
	invoked := env.sim.Stats().Invocations

	t.Run("terraform import", func(t *testing.T) {
		dir := h.workdir(t, config)
		cliRun(t, h, dir, "import", "-input=false", "-no-color", "awspowertuning_run.test", "s3://reports/imported-timeouts.json")
		if code, plan := planExitCode(t, h, dir); code != 0 {
			t.Errorf("plan -detailed-exitcode after the import exited %d, want 0 (no changes):\n%s", code, plan)
		}
	})

	t.Run("import block", func(t *testing.T) {
		dir := h.workdir(t, config+`
import {
  to = awspowertuning_run.test
  id = "s3://reports/imported-timeouts.json"
}
`)
		changes, raw := planToImport(t, h, dir)
		if len(changes) != 1 || !slices.Equal(changes[0].Change.Actions, []string{"no-op"}) ||
			len(changes[0].Change.Importing) == 0 {
			t.Errorf("the import block plans %s, want a no-op import", raw)
		}
	})

	// Another value in the configuration is a change in place, as for a
	// created run: nothing runs again, and the report is written again with
	// the new value, which the next import restores.
	t.Run("another timeout", func(t *testing.T) {
		changed := strings.Replace(config, `create = "10m"`, `create = "20m"`, 1)
		dir := h.workdir(t, changed)
		cliRun(t, h, dir, "import", "-input=false", "-no-color", "awspowertuning_run.test", "s3://reports/imported-timeouts.json")
		if code, plan := planExitCode(t, h, dir); code != 2 {
			t.Errorf("plan -detailed-exitcode with another timeout exited %d, want 2 (a change in place):\n%s", code, plan)
		}
		cliRun(t, h, dir, "apply", "-auto-approve", "-input=false", "-no-color")
		again := h.workdir(t, changed)
		cliRun(t, h, again, "import", "-input=false", "-no-color", "awspowertuning_run.test", "s3://reports/imported-timeouts.json")
		if code, plan := planExitCode(t, h, again); code != 0 {
			t.Errorf("plan -detailed-exitcode after importing the rewritten report exited %d, want 0:\n%s", code, plan)
		}
	})

	if got := env.sim.Stats().Invocations; got != invoked {
		t.Errorf("the imports ran %d more invocations, want none", got-invoked)
	}
}
