package managed

import (
	"cmp"
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
)

// A load is a closed loop: callers each invoke the copy's version back to
// back for a while. Each caller keeps its own time, the sum of what its
// invocations took: the duration Lambda reports for an answered one (the
// environment was busy for exactly that long, whatever the network between
// the run and Lambda added), the time it waited for any other. A load's
// length is its longest caller's time, so its throughput is measured from
// durations, not from how long the process happened to wait.

// outcome is what one invocation came to.
type outcome int

const (
	succeeded outcome = iota
	functionError
	throttled
)

// answer is one invocation's outcome and the duration Lambda reported
// (0 when the answer had none).
type answer struct {
	outcome    outcome
	durationMs float64
	failure    string // a function error's type and message
}

// invokeFunc makes invocation i; an error (neither a function error nor a
// throttle) stops the load.
type invokeFunc func(ctx context.Context, i int) (answer, error)

// throttlePause is how long a throttled caller waits before it invokes
// again: Lambda refused it because every environment was full, and
// invoking again at once would only be refused again.
const throttlePause = 100 * time.Millisecond

// level is what one load measured.
type level struct {
	callers   int
	seconds   float64 // the longest caller's time
	succeeded int
	errors    int
	throttles int
	latencies []float64 // of the invocations that succeeded, ms
	failure   string    // the first function error, to say why a level failed
}

// throughput is successful requests per second.
func (l level) throughput() float64 {
	if l.seconds <= 0 {
		return 0
	}
	return float64(l.succeeded) / l.seconds
}

// hold runs callers callers, each until its own time reaches d, and
// counts what they got. Invocations are numbered across callers from
// first on, for their payloads.
func hold(ctx context.Context, clk clock.Clock, callers int, d time.Duration, first int, invoke invokeFunc) (level, error) {
	var (
		mu  sync.Mutex
		out = level{callers: callers}
		seq = first
	)
	next := func() int {
		mu.Lock()
		defer mu.Unlock()
		seq++
		return seq - 1
	}
	g, gctx := errgroup.WithContext(ctx)
	for range callers {
		g.Go(func() error {
			var own time.Duration
			var mine level
			for own < d {
				start := clk.Now()
				a, err := invoke(gctx, next())
				if err != nil {
					return err
				}
				took := time.Duration(a.durationMs * float64(time.Millisecond))
				if took <= 0 {
					took = clk.Now().Sub(start)
				}
				switch a.outcome {
				case succeeded:
					mine.succeeded++
					mine.latencies = append(mine.latencies, a.durationMs)
				case functionError:
					mine.errors++
					mine.failure = cmp.Or(mine.failure, a.failure)
				case throttled:
					mine.throttles++
					if err := clk.Sleep(gctx, throttlePause); err != nil {
						return err
					}
					took = max(took, throttlePause)
				}
				// A caller's time always moves on, so that a load ends
				// even when answers carry no duration.
				own += max(took, time.Microsecond)
			}
			mu.Lock()
			defer mu.Unlock()
			out.succeeded += mine.succeeded
			out.errors += mine.errors
			out.throttles += mine.throttles
			out.failure = cmp.Or(out.failure, mine.failure)
			out.latencies = append(out.latencies, mine.latencies...)
			out.seconds = max(out.seconds, own.Seconds())
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return level{}, err
	}
	return out, nil
}
