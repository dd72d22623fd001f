package tuning

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// managedTimeScale makes the emulator hold each invocation for a
// twentieth of its duration for real: a load's callers are then truly in
// flight together, as the model's CPU sharing needs, while a 10 s load
// takes half a second.
const managedTimeScale = 0.05

// startManagedSim is an emulator with the capacity provider "fleet"
// (x86_64, 400 vCPUs) whose versions take a little while to start.
func startManagedSim(t *testing.T, opts lambdasim.Options) *simEnv {
	t.Helper()
	if opts.TimeScale == 0 {
		opts.TimeScale = managedTimeScale
	}
	if opts.ManagedVersionDelay == 0 {
		opts.ManagedVersionDelay = 20 * time.Millisecond
	}
	env := startSim(t, opts)
	if _, err := env.sim.AddCapacityProvider(lambdasim.CapacityProviderDefinition{Name: "fleet", MaxVCpuCount: 400}); err != nil {
		t.Fatal(err)
	}
	return env
}

// lmiFunction is a function on the capacity provider "fleet".
func (env *simEnv) lmiFunction(name string, vars map[string]string) string {
	return env.addFunction(lambdasim.FunctionSpec{Name: name, MemorySize: 2048, Environment: vars,
		CapacityProvider: &lambdasim.CapacityProviderSpec{ARN: "fleet", ExecutionEnvironmentMemoryGiBPerVCpu: 2, PerExecutionEnvironmentMaxConcurrency: 8}})
}

// managedInput asks for memory × 2 GiB per vCPU × concurrencies, held 10 s.
func managedInput(arn string, powers []int32, concurrencies ...int) spec.Input {
	return spec.Input{LambdaARN: arn, Num: 5, Isolation: spec.IsolationCopies, ManagedInstances: &spec.ManagedInstances{
		PowerValues: powers, MemoryPerVCPU: []float64{2}, MaxConcurrencyPerEnvironment: concurrencies, LoadSeconds: 10}}
}

// runManaged runs in and checks the function is exactly as before and no
// copy is left, whatever the outcome.
func (env *simEnv) runManaged(ctx context.Context, in spec.Input, mods ...func(*Config)) (*report.Report, error) {
	env.t.Helper()
	_, name, _ := spec.ParseFunctionARN(in.LambdaARN)
	check := env.beforeRun(name)
	rep, err := env.engine(mods...).Run(ctx, in)
	env.assertUntouched(check)
	return rep, err
}

// perVCPU is what one vCPU of the setting serves per second.
func perVCPU(r analysis.ManagedResult) float64 { return r.RequestsPerSecondPerEnvironment / r.VCPUs() }

func containsWord(s, word string) bool { return strings.Contains(s, word) }
