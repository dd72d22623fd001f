package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// reattachWait is how long the test state machine's execution stays
// RUNNING: long enough for a second apply to start on a loaded machine.
const reattachWait = 20

// processDeadline bounds each wait for a process or an execution to appear.
const processDeadline = 2 * time.Minute

// The provider dies (SIGKILL) while it waits for the execution; the next
// apply finds the execution still RUNNING under its name, starts no second
// one, and records the first one's result. terraform-plugin-testing runs
// the provider in-process, so this test builds it and drives the CLI itself.
func TestAccRun_stateMachineReattachesAfterTheProviderIsKilled(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	if runtime.GOOS != "linux" {
		t.Skip("finds the provider process through /proc")
	}
	s := newAccSFN(t)
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH names the CLI to drive")
	}
	env.function(t, "long-run", cpuBound)
	const region = "us-west-2"
	machine := s.stateMachine(t, region, "slowTuning", succeeding(reattachWait))

	dir := t.TempDir()
	provider := buildProvider(t, filepath.Join(dir, "plugins"))
	cliConfig := filepath.Join(dir, "cli.tfrc")
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides { "hashicorp/awspowertuning" = %q }
  direct {}
}
`, filepath.Dir(provider)))
	workdir := filepath.Join(dir, "config")
	writeFile(t, filepath.Join(workdir, "main.tf"), `terraform {
  required_providers {
    awspowertuning = { source = "hashicorp/awspowertuning" }
  }
}
`+stateMachineRun(s, env, "long-run", machine, ""))
	apply := func() *exec.Cmd {
		cmd := exec.Command(cli, "apply", "-auto-approve", "-input=false", "-no-color")
		cmd.Dir = workdir
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
		return cmd
	}

	var firstOut bytes.Buffer
	first := apply()
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = first.Process.Kill() }()
	started := waitFor(t, "the first execution to run", func() (string, bool) {
		executions, err := s.executions(region, machine)
		if err != nil || len(executions) == 0 {
			return "", false
		}
		return aws.ToString(executions[0].ExecutionArn), executions[0].Status == types.ExecutionStatusRunning
	})
	pid := waitFor(t, "the provider process", func() (int, bool) { return processOf(provider) })
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := first.Wait(); err == nil {
		t.Fatalf("the first apply succeeded although its provider was killed:\n%s", firstOut.String())
	}

	second, err := apply().CombinedOutput()
	if err != nil {
		t.Fatalf("second apply: %v\n%s", err, second)
	}
	executions, err := s.executions(region, machine)
	if err != nil {
		t.Fatal(err)
	}
	if len(executions) != 1 {
		t.Fatalf("%d executions after the second apply, want the first one only", len(executions))
	}
	if executions[0].Status != types.ExecutionStatusSucceeded {
		t.Errorf("the execution is %s, want SUCCEEDED", executions[0].Status)
	}
	attributes := runAttributes(t, filepath.Join(workdir, "terraform.tfstate"))
	if attributes["execution_arn"] != started {
		t.Errorf("execution_arn %v, want the first execution %s", attributes["execution_arn"], started)
	}
	if attributes["optimal_power"] != 512.0 || attributes["state_machine_cost"] != 0.00045 {
		t.Errorf("optimal_power %v, state_machine_cost %v; want the execution's 512 and 0.00045",
			attributes["optimal_power"], attributes["state_machine_cost"])
	}
}

// buildProvider builds the provider binary into dir.
func buildProvider(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "terraform-provider-awspowertuning")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	return bin
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// processOf finds the running process of the binary at path.
func processOf(path string) (int, bool) {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == path {
			return pid, true
		}
	}
	return 0, false
}

// waitFor polls check until it says done, within processDeadline.
func waitFor[T any](t *testing.T, what string, check func() (T, bool)) T {
	t.Helper()
	deadline := time.Now().Add(processDeadline)
	for {
		if v, ok := check(); ok {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", processDeadline, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runAttributes reads awspowertuning_run.test's attributes from a state file.
func runAttributes(t *testing.T, stateFile string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &state); err != nil {
		t.Fatal(err)
	}
	for _, r := range state.Resources {
		if r.Type == "awspowertuning_run" && len(r.Instances) == 1 {
			return r.Instances[0].Attributes
		}
	}
	t.Fatalf("no awspowertuning_run in %s", data)
	return nil
}
