package tuning

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func TestE2EProgressEvents(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "chatty", Environment: cpuBound(nil)})
	var events recorder
	var inside, overlaps atomic.Int32
	onEvent := func(ev progress.Event) {
		if inside.Add(1) > 1 {
			overlaps.Add(1)
		}
		events.record(ev)
		inside.Add(-1)
	}
	// A bare function name resolves in the clients' default region.
	rep, err := env.engine(func(c *Config) { c.Progress = onEvent }).Run(context.Background(),
		spec.Input{LambdaARN: "chatty", Num: 40, PowerValues: []int32{128, 256}, ParallelInvocation: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.FunctionARN != arn {
		t.Errorf("function ARN %q, want %q", rep.FunctionARN, arn)
	}
	if overlaps.Load() != 0 {
		t.Error("the progress callback was called concurrently")
	}
	kinds := events.kinds()
	if kinds[0] != progress.RunStarted || kinds[len(kinds)-1] != progress.RunEnded || !slices.Contains(kinds, progress.Result) ||
		!slices.Contains(kinds, progress.Cleanup) || slices.Index(kinds, progress.Result) > slices.Index(kinds, progress.Cleanup) {
		t.Errorf("events %v, want the run's start first, the result, then clean-up, and its end last", kinds)
	}
	if plan := events.events[0].Plan; plan == nil || !slices.Equal(plan.Sizes, []int32{128, 256}) || plan.Num != 40 || plan.Invocations != 80 {
		t.Errorf("first event's plan %+v, want 2 sizes × 40 = 80 invocations", plan)
	}
	for _, power := range []int32{128, 256} {
		var configured, invokes int
		var lastDone int
		for _, ev := range events.events {
			if ev.Power != power {
				continue
			}
			switch ev.Kind {
			case progress.SizeReady:
				configured++
			case progress.Invoked:
				invokes++
				lastDone = max(lastDone, ev.Done)
				if ev.Total != 40 || ev.AverageMs <= 0 {
					t.Errorf("%d MB: invoke event total %d, average %.1f ms; want 40 and a running average", power, ev.Total, ev.AverageMs)
				}
			}
		}
		if configured != 1 || invokes != 40 || lastDone != 40 {
			t.Errorf("%d MB: %d configure and %d invoke events up to %d/40; want 1, one per invocation, and 40/40",
				power, configured, invokes, lastDone)
		}
	}
}
