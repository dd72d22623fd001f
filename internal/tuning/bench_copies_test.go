package tuning

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// BenchmarkCopiesSerial6Num20: copies of 6 power values × num 20 serial,
// with a 1.5 s creation latency and 100 ms a call, within the production
// request budgets, against in-place tuning of the same work in the same
// run. The target is wall ≤ 1.15 × (creation latency + the longest power
// value's execution + the four calls any run with copies waits for: the
// function's read, the listing of leftover copies, the poll that sees a
// copy Active and the deletion of the last copy).
func BenchmarkCopiesSerial6Num20(b *testing.B) {
	const creation = 1500 * time.Millisecond
	sim, arn := startBenchSim(b, creation)
	in := spec.Input{LambdaARN: arn, Num: 20, PowerValues: []int32{128, 256, 512, 1024, 1536, 3008}}
	clients := simClientsWithRates(sim.URL(), 50*time.Millisecond, awsclient.RequestRates{})

	b.ResetTimer()
	for range b.N {
		copies := in
		copies.Isolation = spec.IsolationCopies
		tl := newTimeline(creation, benchCall)
		if _, err := New(Config{Clients: clients, Seed: 1, Progress: tl.observe}).Run(context.Background(), copies); err != nil {
			b.Fatal(err)
		}
		wall, longest := tl.wall(), tl.longestExecution()
		target := creation + longest + 4*benchCall

		inPlace := newTimeline(creation, benchCall)
		if _, err := New(Config{Clients: clients, Seed: 1, Progress: inPlace.observe}).Run(context.Background(), in); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(wall)/float64(target), "copies-wall/target")
		b.ReportMetric(wall.Seconds(), "copies-wall-s")
		b.ReportMetric(inPlace.wall().Seconds(), "in-place-wall-s")
		b.Logf("copies: wall %v = %.2f × (creation %v + longest execution %v + 4 calls; target ≤ 1.15); in place, same work: wall %v",
			wall.Round(time.Millisecond), float64(wall)/float64(target), creation, longest.Round(time.Millisecond),
			inPlace.wall().Round(time.Millisecond))
	}
}

// longestExecution is the longest time from a power value's first
// invocation to the end of its last.
func (t *timeline) longestExecution() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var d []time.Duration
	for p, start := range t.execStart {
		d = append(d, t.execEnd[p].Sub(start))
	}
	return slices.Max(d)
}
