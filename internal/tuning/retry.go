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

// waitUpdated polls $LATEST until its last update is Successful (and the
// function is no longer Pending), for at most Config.ConflictTimeout. It
// sleeps before the first poll: it is called right after an update.
func (r *run) waitUpdated(ctx context.Context) (latestState, error) {
	deadline := r.s.clock.Now().Add(r.s.conflictTimeout)
	wait := r.newInterval()
	for {
		if err := r.s.clock.Sleep(ctx, wait.step()); err != nil {
			return latestState{}, err
		}
		c, err := r.lam.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{
			FunctionName: aws.String(r.arn),
			Qualifier:    aws.String(latestQualifier),
		})
		if err != nil {
			return latestState{}, fmt.Errorf("polling the update status: %w", err)
		}
		state := latestState{memory: aws.ToInt32(c.MemorySize), description: aws.ToString(c.Description)}
		r.ledger.saw(state.memory)
		switch {
		case c.LastUpdateStatus == types.LastUpdateStatusFailed:
			return state, fmt.Errorf("%w: %s (%s)", ErrUpdateFailed,
				aws.ToString(c.LastUpdateStatusReason), c.LastUpdateStatusReasonCode)
		case c.LastUpdateStatus == types.LastUpdateStatusSuccessful && c.State != types.StatePending:
			r.ledger.setCurrent(state)
			return state, nil
		}
		if !r.s.clock.Now().Before(deadline) {
			return state, fmt.Errorf("%w: the update is still %s after %s", ErrFunctionBusy, c.LastUpdateStatus, r.s.conflictTimeout)
		}
	}
}
