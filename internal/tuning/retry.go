package tuning

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// interval yields growing waits: first, then ×1.5 each time up to a cap.
// Lambda updates take about 1–5 s, so polling starts near 100 ms and backs
// off, instead of the SDK waiters' fixed multi-second delays.
type interval struct{ next, max time.Duration }

func (r *run) newInterval() *interval {
	return &interval{next: r.s.pollInterval, max: r.s.maxPollInterval}
}

func (i *interval) step() time.Duration {
	d := i.next
	i.next = min(i.next*3/2, i.max)
	return d
}

// whileBusy calls call until it no longer fails because the function is
// busy (409 "update in progress", a Pending function or version), waiting
// in between on the run's clock, for at most Config.ConflictTimeout. Other
// errors, throttling included (the SDK retries those), return at once.
func (r *run) whileBusy(ctx context.Context, call func(context.Context) error) error {
	deadline := r.s.clock.Now().Add(r.s.conflictTimeout)
	wait := r.newInterval()
	for {
		err := call(ctx)
		if err == nil || !isBusy(err) {
			return err
		}
		if !r.s.clock.Now().Before(deadline) {
			return fmt.Errorf("%w for more than %s: %w", ErrFunctionBusy, r.s.conflictTimeout, err)
		}
		if serr := r.s.clock.Sleep(ctx, r.jittered(wait.step())); serr != nil {
			return fmt.Errorf("%w (while waiting out: %w)", serr, err)
		}
	}
}

// mutate sends a call that changes the function, waiting out busy answers
// like whileBusy. Once sent, a call is not aborted by the run's cancellation
// (only by Config.CleanupTimeout): an aborted request has an unknown outcome
// and may still be applied after clean-up has looked, leaving $LATEST changed
// or an alias behind. Cancellation stops the run between calls instead.
func (r *run) mutate(ctx context.Context, call func(context.Context) error) error {
	return r.whileBusy(ctx, func(ctx context.Context) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.s.cleanupTimeout)
		defer cancel()
		return call(sendCtx)
	})
}

// waitUpdated polls $LATEST with GetFunction (its own 100 requests/s
// quota, apart from the 15/s the updates themselves share) until its last
// update is Successful and the function is no longer Pending, for at most
// Config.ConflictTimeout. ours is the time our own update was sent, or zero
// for an update someone else made: only ours teach the latency model, and
// only ours can be slept through.
func (r *run) waitUpdated(ctx context.Context, ours time.Time) (latestState, error) {
	start := ours
	if start.IsZero() {
		start = r.s.clock.Now()
	}
	expected, learned := r.s.latencies.expected(r.latencyKey())
	sched := newPollSchedule(start, expected, learned, !ours.IsZero(), r.s.pollInterval, r.s.maxPollInterval)
	deadline := start.Add(r.s.conflictTimeout)
	var lastBusy time.Time
	for {
		d, exact := sched.wait(r.s.clock.Now())
		if !exact {
			d = r.jittered(d)
		}
		if err := r.s.clock.Sleep(ctx, d); err != nil {
			return latestState{}, err
		}
		polled := r.s.clock.Now()
		out, err := r.lam.GetFunction(ctx, &lambda.GetFunctionInput{
			FunctionName: aws.String(r.arn),
			Qualifier:    aws.String(latestQualifier),
		})
		if err != nil {
			return latestState{}, fmt.Errorf("polling the update status with GetFunction: %w", err)
		}
		c := out.Configuration
		if c == nil {
			return latestState{}, fmt.Errorf("polling the update status with GetFunction: the answer has no configuration")
		}
		state := latestState{memory: aws.ToInt32(c.MemorySize), description: aws.ToString(c.Description)}
		r.ledger.saw(state.memory)
		switch {
		case c.LastUpdateStatus == types.LastUpdateStatusFailed:
			return state, fmt.Errorf("%w: %s (%s)", ErrUpdateFailed,
				aws.ToString(c.LastUpdateStatusReason), c.LastUpdateStatusReasonCode)
		case c.LastUpdateStatus == types.LastUpdateStatusSuccessful && c.State != types.StatePending:
			if !ours.IsZero() {
				r.s.latencies.record(r.latencyKey(), latencySample(ours, lastBusy, polled))
			}
			r.ledger.setCurrent(state)
			return state, nil
		}
		lastBusy = polled
		if !r.s.clock.Now().Before(deadline) {
			return state, fmt.Errorf("%w: the update is still %s after %s", ErrFunctionBusy, c.LastUpdateStatus, r.s.conflictTimeout)
		}
	}
}

// latencyKey names the function in the latency model.
func (r *run) latencyKey() string { return r.region + "/" + r.arn }
