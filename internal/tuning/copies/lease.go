package copies

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// Copies belong to no lock alias: two processes may tune copies of one
// function at once. Each copy carries its run's lease in tags instead
// (runrecord.CopyLease), renewed like the in-place run record, and a later
// run deletes only the copies whose lease ran out.

// lease is the run's lease as of now.
func (t *Target) lease() runrecord.CopyLease {
	return runrecord.CopyLease{RunID: t.env.RunID, Host: lock.Host(), PID: os.Getpid(),
		Expires: t.fn.Waiter().Clock.Now().Add(t.env.Lease)}
}

// arnOf is the unqualified ARN of the copy named name (tag operations take
// ARNs only).
func (t *Target) arnOf(name string) string {
	const marker = ":function:"
	arn := t.fn.ARN()
	return arn[:strings.LastIndex(arn, marker)+len(marker)] + name
}

// heartbeat renews the lease of the run's copies every third of the lease
// until stop is called.
func (t *Target) heartbeat(ctx context.Context) (stop func()) {
	return lock.Beat(t.env.Lease, func() bool {
		t.renewLeases(context.WithoutCancel(ctx))
		return true
	})
}

// renewLeases tags every copy the run has not deleted with a fresh lease.
// A copy not created yet or already deleted is skipped; a failed renewal
// is retried at the next beat.
func (t *Target) renewLeases(ctx context.Context) {
	tags := t.lease().RenewalTags()
	for _, name := range t.fn.Ledger().RemainingCopies() {
		_, err := t.fn.Lambda().TagResource(ctx, &lambda.TagResourceInput{Resource: aws.String(t.arnOf(name)), Tags: tags})
		if err != nil && !faults.IsNotFound(err) {
			t.fn.Events().Note(0, "renewing the lease of copy %s failed, retrying: %v", name, err)
		}
	}
}

// leftover says whether another run's copy may be deleted: its lease ran
// out, its process ended, or it carries none (an older provider version
// made it). A live copy's run is named in the log.
func (t *Target) leftover(ctx context.Context, name, arn string) (bool, error) {
	out, err := t.fn.Lambda().ListTags(ctx, &lambda.ListTagsInput{Resource: aws.String(arn)})
	if faults.IsNotFound(err) {
		return false, nil // deleted meanwhile
	}
	if err != nil {
		return false, &faults.StepError{Operation: "ListTags", Function: name, Err: fmt.Errorf("reading the lease of a copy of %s: %w", t.fn.ARN(), err)}
	}
	lease, noLease := runrecord.ParseCopyLease(out.Tags)
	if noLease != nil {
		return true, nil //nolint:nilerr // a copy without a readable lease is a leftover, not a failure
	}
	events := t.fn.Events()
	if lock.OwnerGone(lease.Host, lease.PID) {
		events.Note(0, "%s is a copy of tuning run %s, whose process (%s) has ended: deleting it although its lease runs until %s",
			name, lease.RunID, lease.Owner(), lease.Expires.Format(time.RFC3339))
		return true, nil
	}
	if now := t.fn.Waiter().Clock.Now(); !lease.Expired(now) {
		if t.liveRuns == nil {
			t.liveRuns = map[string]bool{}
		}
		t.liveRuns[lease.RunID] = true
		events.Note(0, "leaving %s alone: a copy of live tuning run %s (%s), its lease runs until %s",
			name, lease.RunID, lease.Owner(), lease.Expires.Format(time.RFC3339))
		return false, nil
	}
	return true, nil
}
