package tuning

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// Copies belong to no lock alias: two processes may tune copies of one
// function at once. Each copy carries its run's lease in tags instead
// (runrecord.CopyLease), renewed like the in-place run record, and a later
// run deletes only the copies whose lease ran out.

// copyLease is the run's lease as of now.
func (r *run) copyLease() runrecord.CopyLease {
	return runrecord.CopyLease{RunID: r.runID, Host: thisHost(), PID: os.Getpid(), Expires: r.s.clock.Now().Add(r.s.leaseDuration)}
}

// copyARN is the unqualified ARN of the copy named name (tag operations
// take ARNs only).
func (r *run) copyARN(name string) string {
	const marker = ":function:"
	return r.arn[:strings.LastIndex(r.arn, marker)+len(marker)] + name
}

// copyHeartbeat renews the lease of the run's copies every third of the
// lease until stop is called.
func (r *run) copyHeartbeat(ctx context.Context) (stop func()) {
	return leaseBeat(r.s.leaseDuration, func() bool {
		r.renewCopyLeases(context.WithoutCancel(ctx))
		return true
	})
}

// renewCopyLeases tags every copy the run has not deleted with a fresh
// lease. A copy not created yet or already deleted is skipped; a failed
// renewal is retried at the next beat.
func (r *run) renewCopyLeases(ctx context.Context) {
	tags := r.copyLease().RenewalTags()
	for _, name := range r.ledger.remainingCopies() {
		_, err := r.lam.TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(r.copyARN(name)), Tags: tags})
		if err != nil && !isNotFound(err) {
			r.emit(Event{Phase: "invoke", Message: fmt.Sprintf("renewing the lease of copy %s failed, retrying: %v", name, err)})
		}
	}
}

// leftoverCopy says whether another run's copy may be deleted: its lease
// ran out, or it carries none (an older provider version made it). A live
// copy's run is named in the log.
func (r *run) leftoverCopy(ctx context.Context, name, arn string) (bool, error) {
	out, err := r.lam.ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String(arn)})
	if isNotFound(err) {
		return false, nil // deleted meanwhile
	}
	if err != nil {
		return false, &StepError{Operation: "ListTags", Function: name, Err: fmt.Errorf("reading the lease of a copy of %s: %w", r.arn, err)}
	}
	lease, noLease := runrecord.ParseCopyLease(out.Tags)
	if noLease != nil {
		return true, nil //nolint:nilerr // a copy without a readable lease is a leftover, not a failure
	}
	if ownerGone(lease.Host, lease.PID) {
		r.emit(Event{Phase: "resolve", Message: fmt.Sprintf("%s is a copy of tuning run %s, whose process (%s) has ended: deleting it although its lease runs until %s",
			name, lease.RunID, lease.Owner(), lease.Expires.Format(time.RFC3339))})
		return true, nil
	}
	if now := r.s.clock.Now(); !lease.Expired(now) {
		if r.liveCopyRuns == nil {
			r.liveCopyRuns = map[string]bool{}
		}
		r.liveCopyRuns[lease.RunID] = true
		r.emit(Event{Phase: "resolve", Message: fmt.Sprintf("leaving %s alone: a copy of live tuning run %s (%s), its lease runs until %s",
			name, lease.RunID, lease.Owner(), lease.Expires.Format(time.RFC3339))})
		return false, nil
	}
	return true, nil
}
