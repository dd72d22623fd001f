package tuning

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

func TestE2EProgressEvents(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "chatty", Environment: cpuBound(nil)})
	var events recorder
	var inside, overlaps atomic.Int32
	progress := func(ev Event) {
		if inside.Add(1) > 1 {
			overlaps.Add(1)
		}
		events.record(ev)
		inside.Add(-1)
	}
	// A bare function name resolves in the clients' default region.
	rep, err := env.engine(func(c *Config) { c.Progress = progress }).Run(context.Background(),
		Input{LambdaARN: "chatty", Num: 40, PowerValues: []int32{128, 256}, ParallelInvocation: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.FunctionARN != arn {
		t.Errorf("function ARN %q, want %q", rep.FunctionARN, arn)
	}
	if overlaps.Load() != 0 {
		t.Error("the progress callback was called concurrently")
	}
	phases := events.phases()
	if phases[0] != "resolve" || phases[len(phases)-1] != "cleanup" || !slices.Contains(phases, "analyze") {
		t.Errorf("phases %v, want resolve first, analyze, and cleanup last", phases)
	}
	for _, power := range []int32{128, 256} {
		var configured, invokes int
		var lastDone int
		for _, ev := range events.events {
			if ev.Power != power {
				continue
			}
			switch ev.Phase {
			case "configure":
				configured++
			case "invoke":
				invokes++
				lastDone = max(lastDone, ev.Done)
				if ev.Total != 40 {
					t.Errorf("%d MB: invoke event total %d, want 40", power, ev.Total)
				}
			}
		}
		if configured != 1 || invokes == 0 || invokes > 10 || lastDone != 40 {
			t.Errorf("%d MB: %d configure and %d invoke events up to %d/40; want 1, at most 10 milestones, and 40/40",
				power, configured, invokes, lastDone)
		}
	}
}
