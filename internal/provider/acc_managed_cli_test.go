package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Tuning on Lambda Managed Instances through the real CLI: settings held
// under load on copies on a capacity provider, never the function itself.

// managedEnv is an emulator with the capacity provider "fleet", whose
// invocations run 20 times faster than they report.
func managedEnv(t *testing.T) *accEnv {
	t.Helper()
	env := newAccEnv(t, lambdasim.Options{TimeScale: 0.05})
	if _, err := env.sim.AddCapacityProvider(lambdasim.CapacityProviderDefinition{Name: "fleet", MaxVCpuCount: 400}); err != nil {
		t.Fatal(err)
	}
	return env
}

// lmiFunction is a function on the capacity provider with the SIM_* behaviour.
func (e *accEnv) lmiFunction(t *testing.T, name string, behaviour map[string]string) string {
	t.Helper()
	arn, err := e.sim.AddFunction(lambdasim.FunctionSpec{Name: name, MemorySize: 2048, Timeout: 30, Environment: behaviour,
		CapacityProvider: &lambdasim.CapacityProviderSpec{ARN: "fleet", ExecutionEnvironmentMemoryGiBPerVCpu: 2, PerExecutionEnvironmentMaxConcurrency: 16}})
	if err != nil {
		t.Fatal(err)
	}
	return arn
}

// managedConfig tunes arn on Lambda Managed Instances with the block's
// extra settings, and outputs the outcome.
func managedConfig(env *accEnv, arn, concurrencies, extra string) string {
	return runConfig(env, arn, fmt.Sprintf(`isolation = "copies"
  managed_instances = {
    memory_per_vcpu                 = [2]
    max_concurrency_per_environment = [%s]
    power_values                    = [2048]
    load_seconds                    = 10
    %s
  }`, concurrencies, extra)) + `
output "outcome" {
  value = awspowertuning_run.test.managed_instances_outcome
}
`
}

type managedRow struct {
	Power          int64   `json:"power"`
	MemoryPerVCPU  float64 `json:"memory_per_vcpu"`
	Concurrency    int64   `json:"max_concurrency_per_environment"`
	InFlight       int64   `json:"in_flight_per_environment"`
	PerEnvironment float64 `json:"requests_per_second_per_environment"`
	Failed         bool    `json:"failed"`
	CostPerMillion float64 `json:"cost_per_million"`
}

type managedOutput struct {
	Results             []managedRow `json:"results"`
	Optimum             *managedRow  `json:"optimum"`
	MonthlyCost         *float64     `json:"monthly_cost"`
	OnDemandMonthlyCost *float64     `json:"on_demand_monthly_cost"`
	Comparison          string       `json:"comparison"`
}

// managedOutcome applies config in a new directory and reads the outcome.
func managedOutcome(t *testing.T, h *cliHarness, config string) managedOutput {
	t.Helper()
	dir := h.workdir(t, config)
	var out bytes.Buffer
	if err := h.apply(dir, &out).Run(); err != nil {
		t.Fatalf("apply: %v\n%s", err, out.String())
	}
	var outputs struct {
		Outcome struct{ Value managedOutput } `json:"outcome"`
	}
	if err := json.Unmarshal(cliRun(t, h, dir, "output", "-json"), &outputs); err != nil {
		t.Fatal(err)
	}
	return outputs.Outcome.Value
}

func TestAccManagedInstancesIOBoundServesMorePerVCPUThanCPUBound(t *testing.T) {
	env := managedEnv(t)
	h := newCLIHarness(t)
	kinds := []struct {
		name          string
		cpuMs, ioMs   float64
		concurrencies string
	}{
		{"io-bound", 10, 200, "4, 16"},
		{"cpu-bound", 200, 0, "1, 4"},
	}
	perVCPU := map[string]float64{}
	for _, k := range kinds {
		arn := env.lmiFunction(t, k.name, map[string]string{"SIM_CPU_MS": fmt.Sprint(k.cpuMs), "SIM_IO_MS": fmt.Sprint(k.ioMs)})
		before, err := env.state(t.Context(), arn)
		if err != nil {
			t.Fatal(err)
		}
		outcome := managedOutcome(t, h, managedConfig(env, arn, k.concurrencies, ""))
		if outcome.Optimum == nil || len(outcome.Results) != 2 {
			t.Fatalf("%s: outcome %+v, want two settings and an optimum", k.name, outcome)
		}
		for _, r := range outcome.Results {
			want := lambdasim.PredictedThroughput(lambdasim.ManagedLoad{MemoryMB: int32(r.Power), MemoryGiBPerVCpu: r.MemoryPerVCPU,
				Concurrency: int(r.InFlight), CPUMs: k.cpuMs, IOMs: k.ioMs})
			if r.Failed || math.Abs(r.PerEnvironment-want) > 0.1*want {
				t.Errorf("%s at %d in flight: %.2f requests/s per environment (failed %v), want within 10 %% of the model's %.2f",
					k.name, r.InFlight, r.PerEnvironment, r.Failed, want)
			}
		}
		vcpus := float64(outcome.Optimum.Power) / 1024 / outcome.Optimum.MemoryPerVCPU
		perVCPU[k.name] = outcome.Optimum.PerEnvironment / vcpus
		after, err := env.state(t.Context(), arn)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("%s after the run = %+v, want it as before, %+v", k.name, after, before)
		}
		if left := env.copies(t, arn); len(left) != 0 {
			t.Errorf("%s: copies left %v", k.name, left)
		}
	}
	if perVCPU["io-bound"] < 8*perVCPU["cpu-bound"] {
		t.Errorf("the I/O-bound optimum serves %.1f requests/s per vCPU, the CPU-bound one %.1f: want at least 8 times as many",
			perVCPU["io-bound"], perVCPU["cpu-bound"])
	}
}

func TestAccManagedInstancesComparedWithOnDemand(t *testing.T) {
	env := managedEnv(t)
	h := newCLIHarness(t)
	arn := env.lmiFunction(t, "orders", map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"})
	outcome := managedOutcome(t, h, strings.Replace(managedConfig(env, arn, "4, 16", `requests_per_second = 200
    compare_on_demand   = true`), `isolation = "copies"`, "isolation = \"copies\"\n  power_values = [128, 512]", 1))
	if outcome.MonthlyCost == nil || outcome.OnDemandMonthlyCost == nil {
		t.Fatalf("outcome %+v, want both monthly costs", outcome)
	}
	managed, onDemand := *outcome.MonthlyCost, *outcome.OnDemandMonthlyCost
	for _, cost := range []float64{managed, onDemand} {
		if !strings.Contains(outcome.Comparison, fmt.Sprintf("%.2f", cost)) {
			t.Errorf("comparison %q does not name %.2f", outcome.Comparison, cost)
		}
	}
	cheaper := "On-demand Lambda costs"
	if managed < onDemand {
		cheaper = "Lambda Managed Instances cost"
	}
	if !strings.HasPrefix(outcome.Comparison, cheaper) {
		t.Errorf("comparison %q, want it to start with %q (managed %.2f, on-demand %.2f a month)", outcome.Comparison, cheaper, managed, onDemand)
	}
	if left := env.copies(t, arn); len(left) != 0 {
		t.Errorf("copies left %v", left)
	}
}

func TestAccManagedInstancesLeaveNothingBehind(t *testing.T) {
	env := managedEnv(t)
	h := newCLIHarness(t)
	t.Run("a function error", func(t *testing.T) {
		arn := env.lmiFunction(t, "failing", map[string]string{"SIM_CPU_MS": "10", "SIM_ERROR_RATE": "1", "SIM_ERROR_TYPE": "Boom"})
		before, err := env.state(t.Context(), arn)
		if err != nil {
			t.Fatal(err)
		}
		out := applyExpectingFailure(t, h, managedConfig(env, arn, "4", ""))
		if !strings.Contains(out, "Error:") || !strings.Contains(out, "Boom") {
			t.Errorf("no error diagnostic naming the function's error:\n%s", out)
		}
		if after, _ := env.state(t.Context(), arn); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("function after the failed run = %+v, want it as before, %+v", after, before)
		}
		if left := env.copies(t, arn); len(left) != 0 {
			t.Errorf("copies left %v after the failure:\n%s", left, out)
		}
	})
	t.Run("Ctrl-C", func(t *testing.T) {
		arn := env.lmiFunction(t, "io-steady", map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"})
		apply := h.startApply(t, h.workdir(t, managedConfig(env, arn, "4, 16", "")))
		waitFor(t, "a copy on the capacity provider", func() (bool, bool) {
			apply.running(t, "a copy existed")
			return true, len(env.copies(t, arn)) > 0
		})
		if err := apply.cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		if out, err := apply.wait(); err == nil {
			t.Fatalf("apply succeeded although it was interrupted:\n%s", out)
		}
		if left := env.copies(t, arn); len(left) != 0 {
			t.Errorf("copies left %v after Ctrl-C", left)
		}
	})
	t.Run("SIGKILL, then another apply", func(t *testing.T) {
		arn := env.lmiFunction(t, "killed", map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"})
		before, err := env.state(t.Context(), arn)
		if err != nil {
			t.Fatal(err)
		}
		dir := h.workdir(t, managedConfig(env, arn, "4, 16", ""))
		apply := h.startApply(t, dir, runLeaseEnv+"=10m")
		waitFor(t, "a copy on the capacity provider", func() (bool, bool) {
			apply.running(t, "a copy existed")
			return true, len(env.copies(t, arn)) > 0
		})
		apply.killProvider(t, h)
		left := env.copies(t, arn)
		if len(left) == 0 {
			t.Fatal("the kill left no copy: it did not happen mid-run")
		}
		var second bytes.Buffer
		if err := h.apply(dir, &second).Run(); err != nil {
			t.Fatalf("the apply after the kill failed: %v\n%s", err, second.String())
		}
		if now := env.copies(t, arn); len(now) != 0 {
			t.Errorf("copies left %v after the next apply (the kill left %v)", now, left)
		}
		for _, name := range left {
			if !strings.Contains(second.String(), name) {
				t.Errorf("the apply after the kill does not name %s, a copy the killed run left:\n%s", name, second.String())
			}
		}
		after, err := env.state(t.Context(), arn)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("function after the runs = %+v, want it as before, %+v", after, before)
		}
	})
}

// The action says, in its first lines and before any copy exists, how many
// copies a tuning on Lambda Managed Instances makes, for how long, and the
// instance hours; it ends with the setting chosen.
func TestAccTuneActionOnManagedInstancesStatesItsPlanFirst(t *testing.T) {
	env := managedEnv(t)
	skipWithoutActions(t)
	h := newCLIHarness(t)
	arn := env.lmiFunction(t, "acted", map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"})
	dir := h.workdir(t, env.providerConfig()+fmt.Sprintf(`
action "awspowertuning_tune" "x" {
  config {
    lambda_arn = %q
    num        = 5
    isolation  = "copies"
    managed_instances = {
      memory_per_vcpu                 = [2]
      max_concurrency_per_environment = [4, 16]
      power_values                    = [2048]
      load_seconds                    = 10
    }
  }
}
`, arn))
	out, err := h.command(dir, "apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.awspowertuning_tune.x").CombinedOutput()
	if err != nil {
		t.Fatalf("apply -invoke: %v\n%s", err, out)
	}
	said := string(out)
	planned := strings.Index(said, "Lambda Managed Instances: 2 copies")
	created := strings.Index(said, "copy created")
	if planned < 0 || !strings.Contains(said[planned:], "instance-hours") {
		t.Errorf("no line stating the copies and their instance hours:\n%s", said)
	}
	if created >= 0 && created < planned {
		t.Errorf("a copy was created before the plan was stated:\n%s", said)
	}
	if !strings.Contains(said, "optimal Lambda Managed Instances setting for "+arn) {
		t.Errorf("no closing sentence with the setting chosen:\n%s", said)
	}
	if left := env.copies(t, arn); len(left) != 0 {
		t.Errorf("copies left %v", left)
	}
}
