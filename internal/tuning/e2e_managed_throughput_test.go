package tuning

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// TestE2EManagedIOBoundServesFarMorePerVCPUThanCPUBound: on one capacity
// provider, an I/O-bound function (10 ms of CPU, 200 ms waiting) keeps many
// invocations in flight on a vCPU, a CPU-bound one (200 ms of CPU) cannot:
// the optimum of the first serves at least 8× the second's requests per
// vCPU, and every setting's measured throughput is the emulator's model's
// within 10 %.
func TestE2EManagedIOBoundServesFarMorePerVCPUThanCPUBound(t *testing.T) {
	// Each invocation is held a fifth of its duration for real: long
	// enough for the callers of a CPU-bound load to stay in flight
	// together however busy the machine is with other tests.
	env := startManagedSim(t, lambdasim.Options{TimeScale: 0.2})
	// The CPU-bound function is offered concurrencies its vCPUs nearly
	// serve at once: far past them, the emulator's durations depend on how
	// simultaneous the callers' requests really are, which a machine busy
	// with other tests under the race detector blurs by more than 10 %.
	functions := map[string]struct {
		vars          map[string]string
		concurrencies []int
	}{
		"io-bound":  {map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"}, []int{4, 16}},
		"cpu-bound": {map[string]string{"SIM_CPU_MS": "200"}, []int{1, 4}},
	}
	optimumPerVCPU := map[string]float64{}
	for name, f := range functions {
		vars := f.vars
		arn := env.lmiFunction(name, vars)
		var events recorder
		rep, err := env.runManaged(context.Background(), managedInput(arn, []int32{2048, 4096}, f.concurrencies...), func(c *Config) { c.Progress = events.record })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m := rep.Managed
		if m == nil || m.Optimum == nil || len(m.Results) != 4 {
			t.Fatalf("%s: managed outcome %+v, want 4 settings and an optimum", name, m)
		}
		cpu, _ := strconv.ParseFloat(vars["SIM_CPU_MS"], 64)
		io, _ := strconv.ParseFloat(vars["SIM_IO_MS"], 64)
		for _, r := range m.Results {
			if r.Failed || r.InFlightPerEnvironment == 0 {
				t.Errorf("%s %s: failed or no level held: %+v", name, r.ManagedSetting, r)
				continue
			}
			predicted := lambdasim.PredictedThroughput(lambdasim.ManagedLoad{MemoryMB: r.Power, MemoryGiBPerVCpu: r.MemoryPerVCPU,
				Concurrency: r.InFlightPerEnvironment, CPUMs: cpu, IOMs: io})
			t.Logf("%s %s: held %d in flight per environment, %.2f requests/s per environment, predicted %.2f (%+.1f %%)",
				name, r.ManagedSetting, r.InFlightPerEnvironment, r.RequestsPerSecondPerEnvironment, predicted,
				100*(r.RequestsPerSecondPerEnvironment/predicted-1))
			if math.Abs(r.RequestsPerSecondPerEnvironment-predicted) > 0.1*predicted {
				t.Errorf("%s %s: measured %.2f requests/s per environment, the model predicts %.2f", name, r.ManagedSetting,
					r.RequestsPerSecondPerEnvironment, predicted)
			}
		}
		optimumPerVCPU[name] = perVCPU(*m.Optimum)
		t.Logf("%s: optimum %s, %.2f requests/s per vCPU, %.4f USD per million on %s", name, m.Optimum.ManagedSetting,
			optimumPerVCPU[name], m.Optimum.CostPerMillion, m.Optimum.Instance)
		if rep.OptimalPower != m.Optimum.Power || m.LoadInstanceHours <= 0 || m.PricesDate == "" {
			t.Errorf("%s: optimal power %d, instance hours %g, prices date %q", name, rep.OptimalPower, m.LoadInstanceHours, m.PricesDate)
		}
		assertManagedEvents(t, &events, 4)
	}
	if ratio := optimumPerVCPU["io-bound"] / optimumPerVCPU["cpu-bound"]; ratio < 8 {
		t.Errorf("the I/O-bound optimum serves %.1f× the CPU-bound one's requests per vCPU, want at least 8×", ratio)
	} else {
		t.Logf("I/O-bound / CPU-bound requests per vCPU at their optimum: %.1f×", ratio)
	}
}

// assertManagedEvents checks the plan comes before any copy, and that each
// setting's copy is told created, active, ramped, held and deleted.
func assertManagedEvents(t *testing.T, events *recorder, settings int) {
	t.Helper()
	events.mu.Lock()
	defer events.mu.Unlock()
	planned, counts := -1, map[string]int{}
	for i, ev := range events.events {
		if ev.Kind == progress.ManagedPlanned {
			planned = i
		}
		for _, word := range []string{"created", "active", "ramp:", "held", "copy deleted", "per million requests"} {
			if ev.Kind == progress.Note && containsWord(ev.Message, word) {
				if planned < 0 {
					t.Errorf("%q came before the plan", ev.String())
				}
				counts[word]++
			}
		}
	}
	if planned < 0 {
		t.Fatal("no plan event")
	}
	for _, word := range []string{"created", "active", "held", "copy deleted", "per million requests"} {
		if counts[word] != settings {
			t.Errorf("%d progress lines say %q, want one per setting (%d)", counts[word], word, settings)
		}
	}
	if counts["ramp:"] < settings {
		t.Errorf("%d ramp lines, want at least one per setting", counts["ramp:"])
	}
}
