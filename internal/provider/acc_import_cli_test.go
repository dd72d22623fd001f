package provider

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// cliRun runs the harness's CLI in dir with args and returns its standard
// output; standard error goes with it into the failure message.
func cliRun(t *testing.T, h *cliHarness, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(h.cli, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+h.configRC, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s%s", h.cli, args, err, stdout.String(), stderr.String())
	}
	return stdout.Bytes()
}

// An import block against the documented configuration (triggers and all)
// plans a no-op import, under Terraform and OpenTofu alike: no replacement,
// no second billed run. The plugin-testing harness cannot drive an import
// block under OpenTofu, so this drives the CLI itself.
func TestAccImportBlockWithTriggersPlansNoChange(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	h := newCLIHarness(t)
	arn := env.function(t, "imported", cpuBound)
	config := runConfig(env, arn, `triggers = { code = "v1" }
  power_values  = [256, 512]
  report_s3_uri = "s3://reports/imported.json"`)
	var out bytes.Buffer
	if err := h.apply(h.workdir(t, config), &out).Run(); err != nil {
		t.Fatalf("the run to import failed: %v\n%s", err, out.String())
	}
	invoked := env.sim.Stats().Invocations

	dir := h.workdir(t, config+`
import {
  to = awspowertuning_run.test
  id = "s3://reports/imported.json"
}
`)
	changes, raw := planToImport(t, h, dir)
	if len(changes) != 1 {
		t.Fatalf("plan has %d resource changes, want the import alone:\n%s", len(changes), raw)
	}
	change := changes[0].Change
	if !slices.Equal(change.Actions, []string{"no-op"}) || len(change.Importing) == 0 {
		t.Errorf("%s plans %v (importing %s), want a no-op import", changes[0].Address, change.Actions, change.Importing)
	}
	cliRun(t, h, dir, "apply", "-input=false", "-no-color", "import.tfplan")
	if got := env.sim.Stats().Invocations; got != invoked {
		t.Errorf("the import ran %d more invocations, want none", got-invoked)
	}
}

// plannedChange is one resource change of a saved plan, as show -json has it.
type plannedChange struct {
	Address string `json:"address"`
	Change  struct {
		Actions   []string        `json:"actions"`
		Importing json.RawMessage `json:"importing"`
	} `json:"change"`
}

// planToImport saves the plan of dir as import.tfplan (for a later
// apply) and returns its resource changes and show -json's text.
func planToImport(t *testing.T, h *cliHarness, dir string) ([]plannedChange, []byte) {
	t.Helper()
	cliRun(t, h, dir, "plan", "-input=false", "-no-color", "-out=import.tfplan")
	raw := cliRun(t, h, dir, "show", "-json", "import.tfplan")
	var plan struct {
		ResourceChanges []plannedChange `json:"resource_changes"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatalf("show -json: %v\n%s", err, raw)
	}
	return plan.ResourceChanges, raw
}
