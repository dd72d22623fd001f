package lambdaops

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// staleRetries bounds how often a change is read again and resent when
// $LATEST keeps changing under it.
const staleRetries = 3

// SetLatest sets $LATEST memory (and description; nil keeps the original
// one), unless it is known to be so already, and waits until the update is
// done. restore marks the update that puts $LATEST back.
//
// The update carries the RevisionId the run last saw. When someone else
// changed the function since, Lambda refuses it: the run reads the function
// again (othersChanged) and sends the update anew, keeping what they set.
// The first change so also covers a change between the run's one read and
// its lock.
func (f *Function) SetLatest(ctx context.Context, memory int32, description *string, restore bool) error {
	original := f.Original()
	for attempt := 0; ; attempt++ {
		err := f.setLatest(ctx, memory, description, restore)
		if !errors.Is(err, errStale) {
			return err
		}
		if attempt == staleRetries {
			return f.stepError("UpdateFunctionConfiguration", memory, err)
		}
		if err := f.othersChanged(ctx, "UpdateFunctionConfiguration"); err != nil {
			return err
		}
		if restore && memory == original.Memory {
			memory = f.Original().Memory // what is restored may be theirs now
		}
		original = f.Original()
	}
}

func (f *Function) setLatest(ctx context.Context, memory int32, description *string, restore bool) error {
	want := f.Original()
	want.Memory = memory
	if description != nil {
		want.Description = *description
	}
	cur, known := f.ledger.Latest()
	if known && cur == want {
		return nil
	}
	// Only what changes is sent, so a concurrent edit of the other field by
	// someone else is not overwritten.
	in := &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(f.ARN()), RevisionId: f.lastRevision()}
	if !known || cur.Memory != want.Memory {
		in.MemorySize = aws.Int32(want.Memory)
	}
	if !known || cur.Description != want.Description {
		in.Description = aws.String(want.Description)
	}

	f.ledger.Updating(want)
	f.events.Emit(progress.Event{Kind: progress.UpdateSent, Power: memory, Restore: restore})
	sent := f.wait.Clock.Now()
	var out *lambda.UpdateFunctionConfigurationOutput
	err := f.Mutate(ctx, func(ctx context.Context) error {
		var err error
		out, err = f.lam.UpdateFunctionConfiguration(ctx, in)
		return err
	})
	if err != nil {
		if _, refused := faults.MemoryRefused(err); refused && known {
			f.ledger.SetCurrent(cur) // refused whole: $LATEST is as it was
		}
		if faults.IsPreconditionFailed(err) {
			f.ledger.SetCurrent(cur) // refused whole
			return fmt.Errorf("%w: %w", errStale, err)
		}
		return f.stepError("UpdateFunctionConfiguration", memory, err)
	}
	f.mu.Lock()
	f.changed = true
	f.mu.Unlock()
	pace := f.pacer()
	pace.Sent()
	if out.LastUpdateStatus == types.LastUpdateStatusSuccessful {
		f.ledger.SetCurrent(want)
		f.seeRevision(aws.ToString(out.RevisionId))
	} else {
		pace.Waiting(true)
		_, err := f.WaitUpdated(ctx, sent)
		pace.Waiting(false)
		if err != nil {
			return f.stepError("UpdateFunctionConfiguration", memory, err)
		}
	}
	f.events.Emit(progress.Event{Kind: progress.UpdateSettled, Power: memory, Restore: restore})
	return nil
}

// lastRevision is the RevisionId the run last saw of $LATEST (nil when
// the read had none, as some emulators send).
func (f *Function) lastRevision() *string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.revision == "" {
		return nil
	}
	return aws.String(f.revision)
}

func (f *Function) seeRevision(revision string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revision = revision
}

func (f *Function) recordKeeper() Keeper {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keeper
}

// WaitUpdated polls $LATEST with GetFunction (its own 100 requests/s
// quota, apart from the 15/s the updates themselves share) until its last
// update is Successful and the function is no longer Pending. ours is when
// the run's own update was sent, or zero for an update someone else made:
// only the run's own teach the latency model and may be slept through.
func (f *Function) WaitUpdated(ctx context.Context, ours time.Time) (ledger.LatestState, error) {
	state, _, err := f.waitSettled(ctx, ours)
	return state, err
}

func (f *Function) waitSettled(ctx context.Context, ours time.Time) (ledger.LatestState, string, error) {
	since := ours
	if since.IsZero() {
		since = f.wait.Clock.Now()
	}
	// Polls overlap, and Poll does not wait for those still out when one
	// sees the update settle: only answers that arrive before it returns
	// count, and the ledger learns the settled state once, afterwards (a
	// late answer would record a state the run has since changed).
	var mu sync.Mutex
	var state ledger.LatestState
	var revision string
	returned := false
	exp := waiter.Expect{Key: "update " + f.region + "/" + f.ARN(), Since: since, Ours: !ours.IsZero(), FirstPoll: 10 * f.wait.Min}
	err := f.wait.Poll(ctx, exp, func(ctx context.Context) (bool, string, error) {
		out, err := f.lam.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(f.ARN()), Qualifier: aws.String(Latest)})
		if err == nil && out.Configuration == nil {
			err = errNoConfiguration
		}
		if err != nil {
			return false, "", fmt.Errorf("polling the update status with GetFunction: %w", err)
		}
		c := out.Configuration
		mu.Lock()
		defer mu.Unlock()
		if returned {
			return false, "", nil
		}
		seen := stateOf(c)
		f.ledger.Saw(seen.Memory)
		switch {
		case c.LastUpdateStatus == types.LastUpdateStatusFailed:
			return false, "", fmt.Errorf("%w: %s (%s)", faults.ErrUpdateFailed, aws.ToString(c.LastUpdateStatusReason), c.LastUpdateStatusReasonCode)
		case c.LastUpdateStatus == types.LastUpdateStatusSuccessful && c.State != types.StatePending:
			state, revision = seen, aws.ToString(c.RevisionId)
			return true, "", nil
		}
		return false, "the update is still " + string(c.LastUpdateStatus), nil
	})
	mu.Lock()
	defer mu.Unlock()
	returned = true
	if err == nil {
		f.ledger.SetCurrent(state)
		f.seeRevision(revision)
	}
	return state, revision, err
}

// settledLatest reads $LATEST, waiting out an update still in progress.
func (f *Function) settledLatest(ctx context.Context) (ledger.LatestState, string, error) {
	out, err := f.lam.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(f.ARN()), Qualifier: aws.String(Latest)})
	if err == nil && out.Configuration == nil {
		err = errNoConfiguration
	}
	if err != nil {
		return ledger.LatestState{}, "", err
	}
	c := out.Configuration
	if c.LastUpdateStatus == types.LastUpdateStatusInProgress || c.State == types.StatePending {
		return f.waitSettled(ctx, time.Time{})
	}
	f.seeRevision(aws.ToString(c.RevisionId))
	return stateOf(c), aws.ToString(c.RevisionId), nil
}

// SettledLatest is $LATEST as it is now, once no update is in progress.
func (f *Function) SettledLatest(ctx context.Context) (ledger.LatestState, error) {
	s, _, err := f.settledLatest(ctx)
	return s, err
}

// PutLatest sends what differs between now and want and waits for the
// update to finish (recovery: the change is an interrupted run's undoing).
func (f *Function) PutLatest(ctx context.Context, now, want ledger.LatestState) error {
	in := &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(f.ARN()), RevisionId: f.lastRevision()}
	if now.Memory != want.Memory {
		in.MemorySize = aws.Int32(want.Memory)
	}
	if now.Description != want.Description {
		in.Description = aws.String(want.Description)
	}
	sent := f.wait.Clock.Now()
	if err := f.Mutate(ctx, func(ctx context.Context) error {
		_, err := f.lam.UpdateFunctionConfiguration(ctx, in)
		return err
	}); err != nil {
		return err
	}
	_, err := f.WaitUpdated(ctx, sent)
	return err
}

// RestoreLatest puts $LATEST back to the original state with memory (the
// original's, or the optimum with auto_optimize and no alias) and waits for
// the update to finish. Unless the ledger knows $LATEST is so already, it
// reads the real configuration first: the run's last update may have been
// interrupted.
func (f *Function) RestoreLatest(ctx context.Context, memory int32) error {
	original := f.Original()
	want := original
	want.Memory = memory
	if !f.ledger.WasTouched() && want == original {
		return nil
	}
	cur, known := f.ledger.Latest()
	if known && cur == want {
		return nil
	}
	if known || !f.ledger.WasTouched() {
		// What the ledger knows stands (the last update settled, or none
		// was sent and the first change carries the RevisionId read).
		return f.SetLatest(ctx, want.Memory, nil, true)
	}
	// The run's last update failed or was interrupted: look first.
	now, err := f.SettledLatest(ctx)
	if err != nil {
		return f.stepError("GetFunction", 0, err)
	}
	f.ledger.Saw(now.Memory)
	f.ledger.SetCurrent(now)
	if now == want {
		return nil
	}
	if want.Memory != original.Memory {
		f.events.Note(want.Memory, "setting $LATEST memory to the optimum, %d MB", want.Memory)
	}
	return f.SetLatest(ctx, want.Memory, nil, true)
}
