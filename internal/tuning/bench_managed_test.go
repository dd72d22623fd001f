package tuning

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// BenchmarkManagedInstances4Settings: a run on Lambda Managed Instances of
// an I/O-bound function, 2 memory sizes × 2 concurrencies held 60 s each,
// with 100 ms a control-plane call, 1.5 s for a copy to become Active and
// 1.5 s for its version's environments to start, within the production
// request budgets; invocations (and so loads) take a twentieth of their
// reported time. It reports the wall time against the run's lower bound:
// the copies' creation in parallel, then settings × load_seconds / the
// settings under load at once (as the plan states it), in real time.
func BenchmarkManagedInstances4Settings(b *testing.B) {
	const (
		creation  = 1500 * time.Millisecond
		timeScale = 0.05
		load      = 60
	)
	sim, err := lambdasim.Start(lambdasim.Options{Seed: 1, TimeScale: timeScale, UpdateDelay: creation, PublishDelay: 30 * time.Millisecond,
		ControlPlaneLatency: benchCall, ManagedVersionDelay: creation})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = sim.Close() })
	if _, err := sim.AddCapacityProvider(lambdasim.CapacityProviderDefinition{Name: "fleet", MaxVCpuCount: 400}); err != nil {
		b.Fatal(err)
	}
	arn, err := sim.AddFunction(lambdasim.FunctionSpec{Name: "bench-lmi", MemorySize: 2048, Timeout: 60,
		Environment:      map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200", "SIM_NOISE": "0.05"},
		CapacityProvider: &lambdasim.CapacityProviderSpec{ARN: "fleet", ExecutionEnvironmentMemoryGiBPerVCpu: 2, PerExecutionEnvironmentMaxConcurrency: 16}})
	if err != nil {
		b.Fatal(err)
	}
	in := spec.Input{LambdaARN: arn, Num: 5, Isolation: spec.IsolationCopies, ManagedInstances: &spec.ManagedInstances{
		PowerValues: []int32{2048, 4096}, MemoryPerVCPU: []float64{2}, MaxConcurrencyPerEnvironment: []int{8, 16}, LoadSeconds: load}}
	clients := simClientsWithRates(sim.URL(), 50*time.Millisecond, awsclient.RequestRates{})
	atOnceSaid := regexp.MustCompile(`(\d+) under load at once`)

	b.ResetTimer()
	for range b.N {
		atOnce := 0
		observe := func(ev progress.Event) {
			if m := atOnceSaid.FindStringSubmatch(ev.Message); ev.Kind == progress.ManagedPlanned && m != nil {
				atOnce, _ = strconv.Atoi(m[1])
			}
		}
		start := time.Now()
		rep, err := New(Config{Clients: clients, Seed: 1, Progress: observe}).Run(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start)
		settings := len(rep.Managed.Results)
		if atOnce == 0 {
			b.Fatal("the plan did not say how many settings are under load at once")
		}
		held := time.Duration(float64(load*time.Second) * timeScale)
		bound := creation + time.Duration(settings)*held/time.Duration(atOnce)
		b.ReportMetric(float64(wall)/float64(bound), "wall/lower-bound")
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.Logf("Lambda Managed Instances, %d settings, %d under load at once: wall %v = %.2f × the lower bound %v "+
			"(creation %v + %d × %v held / %d); the rest is each version's start (%v), the ramp and the calls",
			settings, atOnce, wall.Round(time.Millisecond), float64(wall)/float64(bound), bound, creation, settings, held, atOnce, creation)
	}
}
