// Package lock is a run's hold on a function it changes: the lock alias
// whose description is the durable run record (what to restore, whose run
// it is, until when its lease runs), created atomically before the first
// change, renewed by a heartbeat, taken over from a run whose lease ran out
// or whose process ended, and released once the function is as it should
// be. Recover undoes what an interrupted holder left. What must survive a
// killed process lives in AWS, never only in memory. It imports lambdaops
// for the calls and runrecord for the record's text.
package lock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// Settings say how long a lease lasts and how a run waits for another.
type Settings struct {
	// Lease is how long a record stays live without a heartbeat; the
	// heartbeat renews it every third of it. Default 2 minutes.
	Lease time.Duration
	// Wait bounds how long a run waits for another live run before failing
	// with faults.RunInProgressError. Zero: as long as its context allows.
	Wait time.Duration
	// Poll is how often a waiting run checks the other run's record. Zero:
	// every 5 seconds, or a quarter of the lease if shorter.
	Poll time.Duration
}

// WithDefaults fills in zero fields.
func (s Settings) WithDefaults() Settings {
	if s.Lease <= 0 {
		s.Lease = 2 * time.Minute
	}
	if s.Poll <= 0 {
		s.Poll = min(5*time.Second, s.Lease/4)
	}
	return s
}

// Lock is a run's hold on the lock alias.
type Lock struct {
	fn       *lambdaops.Function
	settings Settings
	jitter   func(time.Duration) time.Duration

	mu       sync.Mutex
	record   runrecord.Record
	revision string // the alias's RevisionId after our last write
	lost     bool   // another run took the lock over
	stop     func() // stops the heartbeat
}

// Host is the host name a run records as its owner's, read once: records,
// copies' leases and the ended-owner check compare the same one.
var Host = sync.OnceValue(func() string {
	host, _ := os.Hostname()
	return host
})

// Claim is what a run writes in the record it acquires with.
type Claim struct {
	RunID, ProviderVersion string
	Original               ledger.LatestState
	SavesDescription       bool // only cold starts: the description is kept in runrecord.DescriptionAlias
}

// Acquired is the outcome of Acquire.
type Acquired struct {
	Lock *Lock
	// Held is the record of an interrupted run that was taken over (its
	// lease ran out, or its process ended): what it must restore. Nil
	// otherwise.
	Held *runrecord.Record
	// Waited says the run waited for another live run: what it read of
	// the function before may be that run's doing.
	Waited bool
}

// Acquire creates the lock alias with the run's record in one call,
// waiting while a live run holds it and taking over one whose lease
// expired. It changes nothing else on the function.
func Acquire(ctx context.Context, fn *lambdaops.Function, s Settings, c Claim, jitter func(time.Duration) time.Duration) (Acquired, error) {
	l := &Lock{fn: fn, settings: s.WithDefaults(), jitter: jitter}
	clock := fn.Waiter().Clock
	now := clock.Now()
	rec := runrecord.Record{
		RunID: c.RunID, Host: Host(), PID: os.Getpid(), Version: c.ProviderVersion,
		Started: now, Expires: now.Add(l.settings.Lease),
		Memory: c.Original.Memory, SavedDescription: c.SavesDescription,
	}
	lam, arn := fn.Lambda(), fn.ARN()
	var waitedFor string
	var waitStart time.Time
	for {
		if err := ctx.Err(); err != nil {
			return Acquired{}, err
		}
		// Once sent, the create is not aborted by cancellation: an aborted
		// request has an unknown outcome, and the alias might stay behind.
		var out *lambda.CreateAliasOutput
		err := fn.Mutate(ctx, func(ctx context.Context) error {
			var err error
			out, err = lam.CreateAlias(ctx, &lambda.CreateAliasInput{
				FunctionName: aws.String(arn), Name: aws.String(runrecord.LockAlias),
				FunctionVersion: aws.String(lambdaops.Latest), Description: aws.String(rec.Encode()),
			})
			return err
		})
		if err == nil {
			l.record, l.revision = rec, aws.ToString(out.RevisionId)
			return Acquired{Lock: l, Waited: waitedFor != ""}, nil
		}
		if !faults.IsAliasExists(err) {
			return Acquired{}, &faults.StepError{Operation: "CreateAlias", Function: arn, Err: fmt.Errorf("creating the run lock alias %s: %w", runrecord.LockAlias, err)}
		}
		got, err := fn.GetAlias(ctx, runrecord.LockAlias)
		if faults.IsNotFound(err) {
			continue // released meanwhile
		}
		if err != nil {
			return Acquired{}, &faults.StepError{Operation: "GetAlias", Function: arn, Err: fmt.Errorf("reading the run lock alias %s: %w", runrecord.LockAlias, err)}
		}
		other, err := runrecord.Decode(aws.ToString(got.Description))
		if err != nil {
			return Acquired{}, &faults.StepError{Operation: "GetAlias", Function: arn, Err: fmt.Errorf("%w: alias %s exists with description %q; delete or rename it",
				faults.ErrAliasNotOurs, runrecord.LockAlias, aws.ToString(got.Description))}
		}
		now := clock.Now()
		// A run whose process ended on this host (a SIGKILL, then a new
		// apply) is recovered at once instead of after its lease.
		if other.Expired(now) || OwnerGone(other.Host, other.PID) {
			ok, err := l.takeOver(ctx, rec, other, aws.ToString(got.RevisionId))
			if err != nil {
				return Acquired{}, err
			}
			if ok {
				return Acquired{Lock: l, Held: &other, Waited: waitedFor != ""}, nil
			}
			continue // another run took it over first
		}
		if waitedFor != other.RunID {
			waitedFor, waitStart = other.RunID, now
			fn.Events().Note(0, "waiting for tuning run %s, started %s by %s", other.RunID, other.Started.Format(time.RFC3339), other.Owner())
		}
		inProgress := &faults.RunInProgressError{Function: arn, RunID: other.RunID, Owner: other.Owner(), Started: other.Started}
		if l.settings.Wait > 0 && !now.Before(waitStart.Add(l.settings.Wait)) {
			inProgress.Waited = l.settings.Wait
			return Acquired{}, inProgress
		}
		if err := clock.Sleep(ctx, jitter(l.settings.Poll)); err != nil {
			inProgress.Err = err
			return Acquired{}, inProgress
		}
	}
}

// takeOver replaces an expired record with ours, atomically: UpdateAlias
// with the RevisionId we read fails if anyone wrote the alias since. Our
// record carries what the interrupted run must restore until recovery is
// done.
func (l *Lock) takeOver(ctx context.Context, rec, expired runrecord.Record, revision string) (bool, error) {
	rec.Memory, rec.SavedDescription = expired.Memory, expired.SavedDescription
	out, err := l.fn.Lambda().UpdateAlias(ctx, &lambda.UpdateAliasInput{
		FunctionName: aws.String(l.fn.ARN()), Name: aws.String(runrecord.LockAlias),
		Description: aws.String(rec.Encode()), RevisionId: aws.String(revision),
	})
	if faults.IsPreconditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, &faults.StepError{Operation: "UpdateAlias", Function: l.fn.ARN(), Err: fmt.Errorf("taking over the expired run lock alias %s of run %s: %w", runrecord.LockAlias, expired.RunID, err)}
	}
	l.record, l.revision = rec, aws.ToString(out.RevisionId)
	return true, nil
}

// Record is the record as last written.
func (l *Lock) Record() runrecord.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.record
}

// Rewrite records what to restore anew: the original state turned out
// other than first read (after waiting for another run, or recovering one).
func (l *Lock) Rewrite(ctx context.Context, original ledger.LatestState) error {
	err := l.write(ctx, func(rec *runrecord.Record) { rec.Memory = original.Memory })
	if err != nil {
		return &faults.StepError{Operation: "UpdateAlias", Function: l.fn.ARN(),
			Err: fmt.Errorf("writing the run record to alias %s: %w", runrecord.LockAlias, err)}
	}
	if l.Record().SavedDescription {
		if err := l.fn.UpdateAlias(ctx, runrecord.DescriptionAlias, lambdaops.Latest, original.Description, false); err != nil {
			return &faults.StepError{Operation: "UpdateAlias", Function: l.fn.ARN(),
				Err: fmt.Errorf("keeping the original description in alias %s: %w", runrecord.DescriptionAlias, err)}
		}
	}
	return nil
}

// RecordMove says, before the run moves the user's alias to the optimum,
// which alias and which version it served: a recovery tells the move.
func (l *Lock) RecordMove(ctx context.Context, alias, from string) error {
	err := l.write(ctx, func(rec *runrecord.Record) { rec.Moving = from + ":" + alias })
	if err != nil {
		return &faults.StepError{Operation: "UpdateAlias", Function: l.fn.ARN(),
			Err: fmt.Errorf("writing the run record to alias %s: %w", runrecord.LockAlias, err)}
	}
	return nil
}

// write updates our record (with a fresh lease) if we still hold it.
func (l *Lock) write(ctx context.Context, change func(*runrecord.Record)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	rec := l.record
	change(&rec)
	rec.Expires = l.fn.Waiter().Clock.Now().Add(l.settings.Lease)
	out, err := l.fn.Lambda().UpdateAlias(ctx, &lambda.UpdateAliasInput{
		FunctionName: aws.String(l.fn.ARN()), Name: aws.String(runrecord.LockAlias),
		Description: aws.String(rec.Encode()), RevisionId: aws.String(l.revision),
	})
	if faults.IsPreconditionFailed(err) || faults.IsNotFound(err) {
		l.lost = true
		return fmt.Errorf("%w: %w", faults.ErrLockLost, err)
	}
	if err != nil {
		return err
	}
	l.record, l.revision = rec, aws.ToString(out.RevisionId)
	return nil
}

// Heartbeat renews the lease until Release or Abandon. A lost lock (another
// run took it over) cancels the run: it no longer owns the function.
func (l *Lock) Heartbeat(ctx context.Context, cancel context.CancelCauseFunc) {
	l.stop = Beat(l.settings.Lease, func() bool {
		err := l.write(context.WithoutCancel(ctx), func(*runrecord.Record) {})
		if errors.Is(err, faults.ErrLockLost) {
			cancel(err)
			return false
		}
		if err != nil {
			l.fn.Events().Note(0, "renewing the run lease failed, retrying: %v", err)
		}
		return true
	})
}

func (l *Lock) stopBeat() {
	if l.stop != nil {
		l.stop()
	}
}

// SaveDescription keeps the original description in its own alias before
// only_cold_starts changes it.
func (l *Lock) SaveDescription(ctx context.Context) error {
	if !l.Record().SavedDescription {
		return nil
	}
	err := l.fn.CreateAlias(ctx, runrecord.DescriptionAlias, lambdaops.Latest, l.fn.Original().Description)
	if err != nil {
		return &faults.StepError{Operation: "CreateAlias", Function: l.fn.ARN(), Err: fmt.Errorf("saving the original description in alias %s: %w", runrecord.DescriptionAlias, err)}
	}
	return nil
}

// Release deletes the record once the function is restored. DeleteAlias
// takes no RevisionId, so unless the lease is fresh (written within half a
// lease: no other run may take it over before it expires) it checks the
// record is still ours first.
func (l *Lock) Release(ctx context.Context, timeout time.Duration) {
	l.stopBeat()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	events := l.fn.Events()
	if !l.fresh() {
		got, err := l.fn.GetAlias(ctx, runrecord.LockAlias)
		if err != nil {
			events.Note(0, "could not read the run lock to release it (it expires by itself): %v", err)
			return
		}
		if rec, err := runrecord.Decode(aws.ToString(got.Description)); err != nil || rec.RunID != l.Record().RunID {
			return // not ours any more
		}
	}
	if l.Record().SavedDescription {
		if err := l.fn.DeleteAlias(ctx, runrecord.DescriptionAlias); err != nil {
			events.Note(0, "could not delete %s: %v", runrecord.DescriptionAlias, err)
			return
		}
	}
	if err := l.fn.DeleteAlias(ctx, runrecord.LockAlias); err != nil {
		events.Note(0, "could not release the run lock (it expires by itself): %v", err)
	}
}

// fresh says the lease is still ours beyond doubt: never lost, and written
// less than half a lease ago.
func (l *Lock) fresh() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.lost && l.fn.Waiter().Clock.Now().Before(l.record.Expires.Add(-l.settings.Lease/2))
}

// Abandon ends the lease at once after a clean-up that failed, so that the
// next run recovers what is left without waiting for the lease to run out.
func (l *Lock) Abandon(ctx context.Context, timeout time.Duration) {
	l.stopBeat()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	l.mu.Lock()
	defer l.mu.Unlock()
	rec := l.record
	rec.Expires = l.fn.Waiter().Clock.Now()
	_, _ = l.fn.Lambda().UpdateAlias(ctx, &lambda.UpdateAliasInput{
		FunctionName: aws.String(l.fn.ARN()), Name: aws.String(runrecord.LockAlias),
		Description: aws.String(rec.Encode()), RevisionId: aws.String(l.revision),
	})
}
