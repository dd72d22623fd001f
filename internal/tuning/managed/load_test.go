package managed

import (
	"context"
	"errors"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

// TestAHeldLoadMeasuresThroughputFromReportedDurations: eight callers of an
// invocation that takes 250 ms hold 10 s: 320 requests in 10 s of their
// own time, whatever the process waited for real.
func TestAHeldLoadMeasuresThroughputFromReportedDurations(t *testing.T) {
	clk := tuningtest.NewClock(time.Unix(0, 0))
	var first atomic.Int64
	first.Store(-1)
	l, err := hold(context.Background(), clk, 8, 10*time.Second, 40, func(_ context.Context, i int) (answer, error) {
		first.CompareAndSwap(-1, int64(i))
		return answer{outcome: succeeded, durationMs: 250}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.succeeded != 320 || l.seconds != 10 || math.Abs(l.throughput()-32) > 1e-9 || len(l.latencies) != 320 {
		t.Errorf("level %+v, want 320 requests in 10 s", l)
	}
	if n := first.Load(); n < 40 || n >= 48 {
		t.Errorf("the first invocation was numbered %d, want from 40 on", n)
	}
}

// TestAThrottledCallerBacksOff: a throttle carries no duration; the caller
// waits throttlePause on the run's clock, which counts as its time.
func TestAThrottledCallerBacksOff(t *testing.T) {
	clk := tuningtest.NewClock(time.Unix(0, 0))
	l, err := hold(context.Background(), clk, 1, time.Second, 0, func(context.Context, int) (answer, error) {
		return answer{outcome: throttled}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.throttles != 10 || l.succeeded != 0 || len(clk.Sleeps()) != 10 {
		t.Errorf("level %+v after %d sleeps, want 10 throttles 100 ms apart", l, len(clk.Sleeps()))
	}
}

func TestALoadStopsAtTheFirstFailureOfTheCall(t *testing.T) {
	clk := tuningtest.NewClock(time.Unix(0, 0))
	gone := errors.New("copy deleted")
	var calls atomic.Int32
	_, err := hold(context.Background(), clk, 4, time.Hour, 0, func(ctx context.Context, _ int) (answer, error) {
		if calls.Add(1) > 20 {
			return answer{}, gone
		}
		return answer{outcome: functionError, durationMs: 1}, ctx.Err()
	})
	if !errors.Is(err, gone) {
		t.Fatalf("error = %v, want the call's", err)
	}
}
