package tuning

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// runLock is the run's hold on the lock alias (runrecord.LockAlias): the
// durable record that outlives the process, kept fresh by a heartbeat.
type runLock struct {
	mu       sync.Mutex
	record   runrecord.Record
	revision string // the alias's RevisionId after our last write
	stop     func() // stops the heartbeat
	lost     error  // why the heartbeat gave up the lock, if it did
}

// thisHost is the host name a run records as its owner's, read once: the
// record, the copies' leases and the ended-owner check compare the same one.
var thisHost = sync.OnceValue(func() string {
	host, _ := os.Hostname()
	return host
})

// newRecord is this run's record before it knows what it will restore.
func (r *run) newRecord() runrecord.Record {
	now := r.s.clock.Now()
	return runrecord.Record{
		RunID: r.runID, Host: thisHost(), PID: os.Getpid(), Version: r.e.cfg.ProviderVersion,
		Started: now, Expires: now.Add(r.s.leaseDuration),
		Memory: r.original.memory, SavedDescription: r.in.OnlyColdStarts,
	}
}

// acquire creates the lock alias, waiting while a live run holds it and
// taking over one whose lease expired (held is then that run's record, to
// recover). It changes nothing else on the function.
func (r *run) acquire(ctx context.Context) (held *runrecord.Record, err error) {
	rec := r.newRecord()
	var waitedFor string
	var waitStart time.Time
	for {
		out, err := r.lam.CreateAlias(ctx, &lambda.CreateAliasInput{
			FunctionName: aws.String(r.arn), Name: aws.String(runrecord.LockAlias),
			FunctionVersion: aws.String(latestQualifier), Description: aws.String(rec.Encode()),
		})
		if err == nil {
			r.lock = &runLock{record: rec, revision: aws.ToString(out.RevisionId)}
			return nil, nil
		}
		if !isAliasExists(err) {
			return nil, &StepError{Operation: "CreateAlias", Function: r.arn, Err: fmt.Errorf("creating the run lock alias %s: %w", runrecord.LockAlias, err)}
		}
		got, err := r.lam.GetAlias(ctx, &lambda.GetAliasInput{FunctionName: aws.String(r.arn), Name: aws.String(runrecord.LockAlias)})
		if isNotFound(err) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, &StepError{Operation: "GetAlias", Function: r.arn, Err: fmt.Errorf("reading the run lock alias %s: %w", runrecord.LockAlias, err)}
		}
		other, err := runrecord.Decode(aws.ToString(got.Description))
		if err != nil {
			return nil, &StepError{Operation: "GetAlias", Function: r.arn, Err: fmt.Errorf("%w: alias %s exists with description %q; delete or rename it",
				ErrAliasNotOurs, runrecord.LockAlias, aws.ToString(got.Description))}
		}
		now := r.s.clock.Now()
		// A run whose process ended on this host (a SIGKILL, then a new
		// apply) is recovered at once instead of after its lease.
		if other.Expired(now) || ownerGone(other.Host, other.PID) {
			if ok, err := r.takeOver(ctx, rec, other, aws.ToString(got.RevisionId)); err != nil || ok {
				return &other, err
			}
			continue // another run took it over first
		}
		if waitedFor != other.RunID {
			waitedFor, waitStart = other.RunID, now
			r.emit(Event{Phase: "resolve", Message: fmt.Sprintf("waiting for tuning run %s, started %s by %s",
				other.RunID, other.Started.Format(time.RFC3339), other.Owner())})
		}
		inProgress := &RunInProgressError{Function: r.arn, RunID: other.RunID, Owner: other.Owner(), Started: other.Started}
		if r.s.lockWait > 0 && !now.Before(waitStart.Add(r.s.lockWait)) {
			inProgress.Waited = r.s.lockWait
			return nil, inProgress
		}
		if err := r.s.clock.Sleep(ctx, r.jittered(r.s.lockPoll)); err != nil {
			inProgress.Err = err
			return nil, inProgress
		}
	}
}

// takeOver replaces an expired record with ours, atomically: UpdateAlias
// with the RevisionId we read fails if anyone wrote the alias since. Our
// record carries what the interrupted run must restore until recovery is done.
func (r *run) takeOver(ctx context.Context, rec, expired runrecord.Record, revision string) (bool, error) {
	rec.Memory, rec.SavedDescription = expired.Memory, expired.SavedDescription
	out, err := r.lam.UpdateAlias(ctx, &lambda.UpdateAliasInput{
		FunctionName: aws.String(r.arn), Name: aws.String(runrecord.LockAlias),
		Description: aws.String(rec.Encode()), RevisionId: aws.String(revision),
	})
	if ErrorCode(err) == "PreconditionFailedException" {
		return false, nil
	}
	if err != nil {
		return false, &StepError{Operation: "UpdateAlias", Function: r.arn, Err: fmt.Errorf("taking over the expired run lock alias %s of run %s: %w", runrecord.LockAlias, expired.RunID, err)}
	}
	r.lock = &runLock{record: rec, revision: aws.ToString(out.RevisionId)}
	return true, nil
}

// writeRecord updates our record (with a fresh lease) if we still hold it.
func (r *run) writeRecord(ctx context.Context, change func(*runrecord.Record)) error {
	l := r.lock
	l.mu.Lock()
	defer l.mu.Unlock()
	rec := l.record
	change(&rec)
	rec.Expires = r.s.clock.Now().Add(r.s.leaseDuration)
	out, err := r.lam.UpdateAlias(ctx, &lambda.UpdateAliasInput{
		FunctionName: aws.String(r.arn), Name: aws.String(runrecord.LockAlias),
		Description: aws.String(rec.Encode()), RevisionId: aws.String(l.revision),
	})
	if ErrorCode(err) == "PreconditionFailedException" || isNotFound(err) {
		return fmt.Errorf("%w: %w", ErrLockLost, err)
	}
	if err != nil {
		return err
	}
	l.record, l.revision = rec, aws.ToString(out.RevisionId)
	return nil
}

// heartbeat renews the lease until stopped. A lost lock (another run took
// it over) cancels the run: it no longer owns the function.
func (r *run) heartbeat(ctx context.Context, cancel context.CancelCauseFunc) {
	r.lock.stop = leaseBeat(r.s.leaseDuration, func() bool {
		err := r.writeRecord(context.WithoutCancel(ctx), func(*runrecord.Record) {})
		if errors.Is(err, ErrLockLost) {
			r.lock.mu.Lock()
			r.lock.lost = err
			r.lock.mu.Unlock()
			cancel(err)
			return false
		}
		if err != nil {
			r.emit(Event{Phase: "configure", Message: "renewing the run lease failed, retrying: " + err.Error()})
		}
		return true
	})
}

// release deletes the record once the function is restored. It checks the
// record is still ours first (DeleteAlias takes no RevisionId).
func (r *run) release(ctx context.Context) {
	r.lock.stop()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.s.cleanupTimeout)
	defer cancel()
	got, err := r.lam.GetAlias(ctx, &lambda.GetAliasInput{FunctionName: aws.String(r.arn), Name: aws.String(runrecord.LockAlias)})
	if err != nil {
		r.emit(Event{Phase: "cleanup", Message: "could not read the run lock to release it (it expires by itself): " + err.Error()})
		return
	}
	if rec, err := runrecord.Decode(aws.ToString(got.Description)); err != nil || rec.RunID != r.runID {
		return // not ours any more
	}
	if r.lock.record.SavedDescription {
		if err := r.deleteAlias(ctx, runrecord.DescriptionAlias); err != nil {
			r.emit(Event{Phase: "cleanup", Message: "could not delete " + runrecord.DescriptionAlias + ": " + err.Error()})
			return
		}
	}
	if err := r.deleteAlias(ctx, runrecord.LockAlias); err != nil {
		r.emit(Event{Phase: "cleanup", Message: "could not release the run lock (it expires by itself): " + err.Error()})
	}
}

// abandon ends the lease at once after a clean-up that failed, so that the
// next run recovers what is left without waiting for the lease to run out.
func (r *run) abandon(ctx context.Context) {
	r.lock.stop()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.s.cleanupTimeout)
	defer cancel()
	l := r.lock
	l.mu.Lock()
	defer l.mu.Unlock()
	rec := l.record
	rec.Expires = r.s.clock.Now()
	_, _ = r.lam.UpdateAlias(ctx, &lambda.UpdateAliasInput{
		FunctionName: aws.String(r.arn), Name: aws.String(runrecord.LockAlias),
		Description: aws.String(rec.Encode()), RevisionId: aws.String(l.revision),
	})
}

// saveDescription keeps the original description in its own alias before
// only_cold_starts changes it.
func (r *run) saveDescription(ctx context.Context) error {
	if !r.in.OnlyColdStarts {
		return nil
	}
	err := r.mutate(ctx, func(ctx context.Context) error {
		_, err := r.lam.CreateAlias(ctx, &lambda.CreateAliasInput{
			FunctionName: aws.String(r.arn), Name: aws.String(runrecord.DescriptionAlias),
			FunctionVersion: aws.String(latestQualifier), Description: aws.String(r.original.description),
		})
		return err
	})
	if err != nil {
		return &StepError{Operation: "CreateAlias", Function: r.arn, Err: fmt.Errorf("saving the original description in alias %s: %w", runrecord.DescriptionAlias, err)}
	}
	return nil
}
