package tuning

import (
	"context"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Each invocation is held until more than the cap would be in flight (or
// holdFor passes), so only the cap under test can keep the peak down.

func TestE2EMaxConcurrencyCapsTheWholeParallelRun(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	rec := newRecordingClients(env.clients)
	rec.holdAll, rec.holdFor = 18, 40*time.Millisecond
	env.clients = rec
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "capped", Environment: cpuBound(nil)})

	in := spec.Input{Num: 6, PowerValues: []int32{128, 256, 512}, ParallelInvocation: true, MaxConcurrency: 4}
	if _, err := env.runTuning(arn, in); err != nil {
		t.Fatal(err)
	}
	if got := rec.peakTotal(); got != 4 {
		t.Errorf("peak in-flight invocations across power values = %d, want max_concurrency 4", got)
	}
	if got := len(rec.invokesOf(arn)); got != 18 {
		t.Errorf("%d invocations, want 3 × 6", got)
	}
}

func TestE2EMaxConcurrencyOneMakesASerialRunOneAtATime(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	rec := newRecordingClients(env.clients)
	rec.holdAll, rec.holdFor = 3, 20*time.Millisecond
	env.clients = rec
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "reserved", Environment: cpuBound(nil), ReservedConcurrency: ptrTo(int32(1))})

	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 256, 512}, MaxConcurrency: 1}); err != nil {
		t.Fatal(err)
	}
	if got := rec.peakTotal(); got != 1 {
		t.Errorf("peak in-flight invocations = %d, want 1", got)
	}
	if st := env.sim.Stats(); st.Throttled != 0 {
		t.Errorf("%d invocations throttled by reserved concurrency 1, want none", st.Throttled)
	}
}

func TestE2EInvocationBudgetIsSharedByRuns(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	rec := newRecordingClients(env.clients)
	rec.holdAll, rec.holdFor = 8, 40*time.Millisecond
	env.clients = rec
	budget := semaphore.NewWeighted(2)
	arns := []string{
		env.addFunction(lambdasim.FunctionSpec{Name: "one", Environment: cpuBound(nil)}),
		env.addFunction(lambdasim.FunctionSpec{Name: "two", Environment: cpuBound(nil)}),
	}
	var g errgroup.Group
	for _, arn := range arns {
		g.Go(func() error {
			_, err := env.engine(func(c *Config) { c.InvocationBudget = budget }).Run(context.Background(),
				spec.Input{LambdaARN: arn, Num: 6, PowerValues: []int32{128}, ParallelInvocation: true})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if got := rec.peakTotal(); got != 2 {
		t.Errorf("peak in-flight invocations across both runs = %d, want the shared budget 2", got)
	}
	if budget.TryAcquire(2) {
		budget.Release(2)
	} else {
		t.Error("the runs left slots of the shared budget taken")
	}
}

// A power value's alias and version are deleted once its invocations are
// done, while the chain still configures the next power values.
func TestE2EPowerValuesAreReleasedWhileTheChainGoesOn(t *testing.T) {
	env := startSim(t, lambdasim.Options{UpdateDelay: 150 * time.Millisecond})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "released", Environment: cpuBound(nil)})
	before := env.state(arn)
	start := time.Now()
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{256, 512, 1024}}); err != nil {
		t.Fatal(err)
	}
	var firstDelete, lastPublish time.Time
	for _, c := range env.sim.Calls().Since(start) {
		switch c.Operation {
		case "DeleteAlias":
			if firstDelete.IsZero() {
				firstDelete = c.Time
			}
		case "PublishVersion":
			lastPublish = c.Time
		}
	}
	if firstDelete.IsZero() || !firstDelete.Before(lastPublish) {
		t.Errorf("first DeleteAlias at %v, last PublishVersion at %v: want the first power value released before the chain ends",
			firstDelete, lastPublish)
	}
	env.assertRestored(arn, before)
}
