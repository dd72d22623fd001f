package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// cliHarness drives the real CLI (Terraform or OpenTofu, TF_ACC_TERRAFORM_PATH)
// against a provider binary built from this tree, through dev_overrides: the
// provider then runs as the CLI's plugin subprocess, which a test can kill.
type cliHarness struct {
	cli       string
	configRC  string // CLI config file with the dev_overrides
	pluginBin string // the provider binary
}

func newCLIHarness(t *testing.T) *cliHarness {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("TF_ACC_TERRAFORM_PATH names the CLI to drive")
	}
	dir := t.TempDir()
	bin := buildProvider(t, filepath.Join(dir, "plugins"))
	rc := filepath.Join(dir, "cli.tfrc")
	writeFile(t, rc, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"awspowertuning/awspowertuning\" = %q\n  }\n  direct {}\n}\n", filepath.Dir(bin)))
	return &cliHarness{cli: cli, configRC: rc, pluginBin: bin}
}

// workdir writes a root module with config and returns its directory.
func (h *cliHarness) workdir(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"),
		"terraform {\n  required_providers {\n    awspowertuning = { source = \"awspowertuning/awspowertuning\" }\n  }\n}\n"+config)
	return dir
}

// apply returns an unstarted `apply` in dir; the run lease is short so a
// killed run is recovered within seconds.
func (h *cliHarness) apply(dir string, out *bytes.Buffer) *exec.Cmd {
	cmd := exec.Command(h.cli, "apply", "-auto-approve", "-input=false", "-no-color")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+h.configRC, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_LOG_PROVIDER=INFO", runLeaseEnv+"=2s")
	cmd.Stdout, cmd.Stderr = out, out
	return cmd
}

func (e *accEnv) hasAlias(function string, match func(string) bool) bool {
	out, err := e.lambda.ListAliases(context.Background(), &lambda.ListAliasesInput{FunctionName: aws.String(function)})
	if err != nil {
		return false
	}
	for _, a := range out.Aliases {
		if match(aws.ToString(a.Name)) {
			return true
		}
	}
	return false
}

func (e *accEnv) description(t *testing.T, function string) string {
	c, err := e.lambda.GetFunctionConfiguration(context.Background(), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(function)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(c.Description)
}

func TestAccRunRecoversAfterTheProviderIsKilledMidConfiguration(t *testing.T) {
	// Updates take 300 ms to settle, so configuring four sizes takes seconds.
	env := newAccEnv(t, lambdasim.Options{UpdateDelay: 300 * time.Millisecond})
	h := newCLIHarness(t)
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "killed", MemorySize: accMemory, Timeout: 30,
		Description: "orders service v7", Environment: cpuBound})
	if err != nil {
		t.Fatal(err)
	}
	dir := h.workdir(t, runConfig(env, arn, "power_values = [256, 512, 1024, 2048]\nonly_cold_starts = true"))

	var first bytes.Buffer
	cmd := h.apply(dir, &first)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	waitFor(t, "the run to configure a memory size", func() (bool, bool) {
		ok := env.hasAlias(arn, runrecord.IsSizeAlias)
		return ok, ok
	})
	provider := waitFor(t, "the provider process", func() (int, bool) { return processOf(h.pluginBin) })
	if err := syscall.Kill(provider, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("apply succeeded although its provider was killed:\n%s", first.String())
	}
	// What a SIGKILL leaves: the record, a cold-start description, RAM aliases.
	if !env.hasAlias(arn, func(n string) bool { return n == "awspowertuning-lock" }) || env.description(t, arn) == "orders service v7" {
		t.Fatalf("the kill left no record or no changed description (%q): nothing to recover", env.description(t, arn))
	}

	var second bytes.Buffer
	if err := h.apply(dir, &second).Run(); err != nil {
		t.Fatalf("the apply after the kill failed: %v\n%s", err, second.String())
	}
	if !strings.Contains(second.String(), "Interrupted Tuning Run Recovered") {
		t.Errorf("the apply after the kill gave no recovery warning:\n%s", second.String())
	}
	if err := env.cleanCheck(arn, accMemory)(nil); err != nil {
		t.Error(err)
	}
	if got := env.description(t, arn); got != "orders service v7" {
		t.Errorf("description after recovery = %q, want %q", got, "orders service v7")
	}
}

func TestAccTwoConcurrentAppliesOnOneFunctionTakeTurns(t *testing.T) {
	// Slow updates keep the first run configuring while the second starts.
	env := newAccEnv(t, lambdasim.Options{UpdateDelay: 500 * time.Millisecond})
	h := newCLIHarness(t)
	arn := env.function(t, "shared", cpuBound)
	config := runConfig(env, arn, "power_values = [256, 512, 1024, 2048]")
	dirs := []string{h.workdir(t, config), h.workdir(t, config)}

	outs := make([]bytes.Buffer, len(dirs))
	cmds := make([]*exec.Cmd, len(dirs))
	for i, dir := range dirs {
		cmds[i] = h.apply(dir, &outs[i])
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = cmds[i].Process.Kill() }()
		if i == 0 {
			waitFor(t, "the first run to take the function", func() (bool, bool) {
				ok := env.hasAlias(arn, func(n string) bool { return n == "awspowertuning-lock" })
				return ok, ok
			})
		}
	}
	var waited bool
	for i, cmd := range cmds {
		err := cmd.Wait()
		out := outs[i].String()
		// Each apply succeeds, or fails saying another run is in progress.
		if err != nil && !strings.Contains(out, "Another Tuning Run In Progress") {
			t.Errorf("apply %d failed:\n%s", i, out)
		}
		waited = waited || strings.Contains(out, "waiting for tuning run")
	}
	if !waited {
		t.Log("the two runs did not overlap this time: neither waited for the other")
	}
	if err := env.cleanCheck(arn, accMemory)(nil); err != nil {
		t.Error(err)
	}
}
