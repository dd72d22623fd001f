// Package waiter is the engine's one way of waiting for Lambda: retrying a
// call the function is too busy to take, and polling a change (an update, a
// copy's creation) until it settles. Delays follow one pure schedule (Delay,
// after smithy-go's ComputeDelay: a minimum growing ×1.5 to a maximum), and
// a poll learns how long each kind of change takes, so that the next one
// sleeps through most of it instead of backing off past its end. It imports
// clock and faults only: what it waits for is the caller's Check.
package waiter

import (
	"context"
	"fmt"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
)

// Settings bound the waits. Zero fields take the defaults.
type Settings struct {
	// Min is the poll interval near a change's expected end, and the first
	// retry delay. Default 50 ms: a settled change is noticed about 25 ms
	// late on average.
	Min time.Duration
	// Max caps the growing delays. Default 2 s.
	Max time.Duration
	// Timeout bounds how long a busy function or a change is waited for.
	// Default 5 minutes (VPC updates and SnapStart versions take minutes).
	Timeout time.Duration
}

// WithDefaults fills in zero fields.
func (s Settings) WithDefaults() Settings {
	if s.Min <= 0 {
		s.Min = 50 * time.Millisecond
	}
	if s.Max <= 0 {
		s.Max = 2 * time.Second
	}
	s.Max = max(s.Max, s.Min)
	if s.Timeout <= 0 {
		s.Timeout = 5 * time.Minute
	}
	return s
}

// Delay is the wait before attempt n (1-based) of a retry or backed-off
// poll: minDelay, then ×1.5 per attempt, capped at maxDelay.
func Delay(attempt int, minDelay, maxDelay time.Duration) time.Duration {
	d := minDelay
	for i := 1; i < attempt && d < maxDelay; i++ {
		d = d * 3 / 2
	}
	return min(d, maxDelay)
}

// Waiter waits on one clock.
type Waiter struct {
	Settings
	Clock clock.Clock
	// Jitter spreads a poll interval so concurrent waiters do not poll in
	// step; nil: none.
	Jitter func(time.Duration) time.Duration
	// Latencies is what waits learn and use; nil: nothing is learned.
	Latencies *Latencies
}

func (w *Waiter) jitter(d time.Duration) time.Duration {
	if w.Jitter == nil {
		return d
	}
	return w.Jitter(d)
}

// Retry calls call until it returns nil or an error retryable refuses,
// waiting Delay in between, for at most Timeout; then the error wraps
// faults.ErrFunctionBusy. Throttling is the SDK's to retry, not this.
func (w *Waiter) Retry(ctx context.Context, retryable func(error) bool, call func(context.Context) error) error {
	deadline := w.Clock.Now().Add(w.Timeout)
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		if err == nil || !retryable(err) {
			return err
		}
		if !w.Clock.Now().Before(deadline) {
			return fmt.Errorf("%w for more than %s: %w", faults.ErrFunctionBusy, w.Timeout, err)
		}
		if serr := w.Clock.Sleep(ctx, w.jitter(Delay(attempt, w.Min, w.Max))); serr != nil {
			return fmt.Errorf("%w (while waiting out: %w)", serr, err)
		}
	}
}

// Expect describes a change to poll for.
type Expect struct {
	// Key names the kind of change whose latency is learned ("": none).
	Key string
	// Since is when the change began (the request was sent).
	Since time.Time
	// Ours says the run made the change just now: only its own changes
	// teach the model and may be slept through.
	Ours bool
	// FirstPoll is the wait before the first poll when nothing is learned
	// (0: Min). Lambda updates mostly settle within 1–5 s, so an update's
	// first poll waits 500 ms.
	FirstPoll time.Duration
}

// Check looks at the change once: done, or still busy (in words, for the
// timeout's error: "the update is still InProgress"). Polls may overlap, so
// a Check must be safe for concurrent use.
type Check func(ctx context.Context) (done bool, busy string, err error)

// maxPollsInFlight bounds the polls sent before earlier ones answered.
const maxPollsInFlight = 4

// poll is one Check's answer and when it was sent.
type poll struct {
	sent time.Time
	done bool
	busy string
	err  error
}

// Poll calls check until it reports done or fails, for at most Timeout
// from exp.Since; after that the error wraps faults.ErrFunctionBusy. A poll
// goes out on the schedule whether or not the previous one has answered
// (at most maxPollsInFlight at once): with calls that take a hundred
// milliseconds, waiting for each answer before the next poll would notice
// a settled change a whole call late.
func (w *Waiter) Poll(ctx context.Context, exp Expect, check Check) error {
	sched := w.schedule(ctx, exp)
	defer sched.end()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // polls still out are not waited for
	answers := make(chan poll, maxPollsInFlight)
	deadline := exp.Since.Add(w.Timeout)
	var lastBusy time.Time
	inFlight := 0
	timer := make(chan error, 1)
	arm := func() {
		d, exact := sched.next(w.Clock.Now())
		if !exact {
			d = w.jitter(d)
		}
		go func() { timer <- w.Clock.Sleep(ctx, d) }()
	}
	arm()
	for {
		select {
		case err := <-timer:
			if err != nil {
				return err
			}
			sent := w.Clock.Now()
			inFlight++
			go func() {
				done, busy, err := check(ctx)
				answers <- poll{sent: sent, done: done, busy: busy, err: err}
			}()
			if inFlight < maxPollsInFlight {
				arm()
			}
		case a := <-answers:
			if inFlight == maxPollsInFlight {
				arm() // the timer was not armed while every slot was taken
			}
			inFlight--
			switch {
			case a.err != nil && ctx.Err() == nil:
				return a.err
			case a.err != nil:
				return ctx.Err()
			case a.done:
				if exp.Ours && exp.Key != "" && w.Latencies != nil {
					w.Latencies.record(exp.Key, sample(exp.Since, lastBusy, a.sent))
				}
				return nil
			}
			lastBusy = later(lastBusy, a.sent)
			if !w.Clock.Now().Before(deadline) {
				return fmt.Errorf("%w: %s after %s", faults.ErrFunctionBusy, a.busy, w.Timeout)
			}
		}
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
