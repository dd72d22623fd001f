package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// skipWithoutQuery skips a test of list resources: Terraform has them since
// 1.14; OpenTofu has neither list blocks nor terraform query (opentofu#3787).
func skipWithoutQuery(t *testing.T, h *cliHarness) {
	t.Helper()
	switch r := h.version(t); {
	case !r.isTerraform():
		t.Skip("OpenTofu has no list resources or query command (opentofu#3787)")
	case !r.atLeast1(14):
		t.Skipf("list resources and terraform query need Terraform 1.14 or later; this is %s", r)
	}
}

// cliExit runs the harness's CLI in dir and returns its exit code and
// combined output; only a failure to start fails the test.
func cliExit(t *testing.T, h *cliHarness, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(h.cli, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+h.configRC, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	default:
		t.Fatalf("%s %v: %v", h.cli, args, err)
		return 0, ""
	}
}

// storeRuns tunes each function once, each run storing its report under
// s3://reports/runs/, and returns the runs' function ARNs.
func storeRuns(t *testing.T, env *accEnv, h *cliHarness, names ...string) []string {
	t.Helper()
	var config strings.Builder
	config.WriteString(env.providerConfig())
	var arns []string
	for _, name := range names {
		arn := env.function(t, name, cpuBound)
		arns = append(arns, arn)
		fmt.Fprintf(&config, `
resource "awspowertuning_run" %[1]q {
  lambda_arn    = %[2]q
  num           = 5
  power_values  = [256, 512]
  triggers      = { code = "v1" }
  report_s3_uri = "s3://reports/runs/%[1]s.json"
}
`, name, arn)
	}
	var out bytes.Buffer
	if err := h.apply(h.workdir(t, config.String()), &out).Run(); err != nil {
		t.Fatalf("the runs to list failed: %v\n%s", err, out.String())
	}
	return arns
}

// `terraform query` finds the runs a bucket holds reports of, and nothing
// else; the configuration it generates imports them with no change.
func TestAccQueryListsStoredRunsAndGeneratesImportableConfig(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	h := newCLIHarness(t)
	skipWithoutQuery(t, h)
	names := []string{"orders", "payments", "search"}
	storeRuns(t, env, h, names...)
	env.sim.PutObject("reports", "runs/unrelated.json", []byte(`{"hello":"world"}`))
	env.sim.PutObject("reports", "runs/notes.txt", []byte("not a report"))
	env.sim.PutObject("reports", "elsewhere/other.json", []byte(`{"kind":"awspowertuning-report/v1"}`))
	invoked := env.sim.Stats().Invocations

	dir := h.workdir(t, env.providerConfig())
	writeFile(t, filepath.Join(dir, "runs.tfquery.hcl"), `
list "awspowertuning_run" "past" {
  provider = awspowertuning
  config {
    report_s3_prefix = "s3://reports/runs/"
  }
}
`)
	out := string(cliRun(t, h, dir, "query", "-no-color"))
	listed := regexp.MustCompile(`(?m)^list\.awspowertuning_run\.past\s.*$`).FindAllString(out, -1)
	if len(listed) != len(names) {
		t.Fatalf("query listed %d runs, want %d:\n%s", len(listed), len(names), out)
	}
	for i, name := range names {
		display := regexp.MustCompile(regexp.QuoteMeta(name) + ` @ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: (256|512) MB`)
		if !display.MatchString(listed[i]) || !strings.Contains(listed[i], "s3://reports/runs/"+name+".json") {
			t.Errorf("line %d of the query, %q, does not show run %s by its report and optimum", i, listed[i], name)
		}
	}

	cliRun(t, h, dir, "query", "-no-color", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(generated), "\nimport {"); got != len(names) {
		t.Errorf("generated.tf has %d import blocks, want %d:\n%s", got, len(names), generated)
	}
	if !strings.Contains(string(generated), `report_s3_uri = "s3://reports/runs/orders.json"`) {
		t.Errorf("generated.tf does not import orders by its report:\n%s", generated)
	}
	// The queried workspace becomes the one that manages the runs.
	if err := os.Remove(filepath.Join(dir, "runs.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}
	applied := string(cliRun(t, h, dir, "apply", "-auto-approve", "-input=false", "-no-color"))
	if !strings.Contains(applied, fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", len(names))) {
		t.Errorf("the generated configuration did not import all runs with no change:\n%s\n%s", applied, generated)
	}
	if code, plan := cliExit(t, h, dir, "plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after the import exits %d, want 0 (no changes):\n%s\n%s", code, plan, generated)
	}
	if got := env.sim.Stats().Invocations; got != invoked {
		t.Errorf("listing and importing ran %d invocations, want none", got-invoked)
	}
}

// An import block may name a run by its identity (Terraform 1.12 and
// later); a run is imported from its report, so the identity must have one.
func TestAccImportBlockByIdentity(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	h := newCLIHarness(t)
	if r := h.version(t); r.isTerraform() && !r.atLeast1(12) {
		t.Skipf("import blocks with identity need Terraform 1.12 or later; this is %s", r)
	} else if !r.isTerraform() {
		t.Skip("OpenTofu import blocks take an id only: OpenTofu 1.11 refuses an identity argument")
	}
	arns := storeRuns(t, env, h, "orders")
	invoked := env.sim.Stats().Invocations
	config := env.providerConfig() + fmt.Sprintf(`
resource "awspowertuning_run" "orders" {
  lambda_arn    = %q
  num           = 5
  power_values  = [256, 512]
  triggers      = { code = "v1" }
  report_s3_uri = "s3://reports/runs/orders.json"
}
`, arns[0])

	refused := h.workdir(t, config+`
import {
  to       = awspowertuning_run.orders
  identity = {
    function_arn = "`+functionARN("orders")+`"
    tuned_at     = "2026-12-07T10:00:00Z"
  }
}
`)
	if code, out := cliExit(t, h, refused, "plan", "-input=false", "-no-color"); code == 0 || !strings.Contains(out, "Report Location Needed To Import") {
		t.Errorf("an identity without report_s3_uri planned (exit %d), want the error saying a report location is needed:\n%s", code, out)
	}

	dir := h.workdir(t, config+`
import {
  to       = awspowertuning_run.orders
  identity = {
    report_s3_uri = "s3://reports/runs/orders.json"
  }
}
`)
	changes, raw := planToImport(t, h, dir)
	var importing struct {
		Identity map[string]any `json:"identity"`
	}
	if len(changes) == 1 {
		_ = json.Unmarshal(changes[0].Change.Importing, &importing) // an absent or other shape leaves no identity, failing below
	}
	if len(changes) != 1 || !slices.Equal(changes[0].Change.Actions, []string{"no-op"}) ||
		importing.Identity["report_s3_uri"] != "s3://reports/runs/orders.json" {
		t.Fatalf("the plan is not a no-op import by identity:\n%s", raw)
	}
	cliRun(t, h, dir, "apply", "-input=false", "-no-color", "import.tfplan")
	if code, out := cliExit(t, h, dir, "plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after the import exits %d, want 0 (no changes):\n%s", code, out)
	}
	// The state records the whole identity.
	state := cliRun(t, h, dir, "show", "-json")
	for _, want := range []string{`"report_s3_uri":"s3://reports/runs/orders.json"`, `"function_arn":"` + functionARN("orders") + `"`} {
		if !strings.Contains(string(state), want) {
			t.Errorf("state does not hold %s:\n%s", want, state)
		}
	}
	if got := env.sim.Stats().Invocations; got != invoked {
		t.Errorf("the import ran %d invocations, want none", got-invoked)
	}
}
