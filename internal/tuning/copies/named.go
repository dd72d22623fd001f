package copies

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// What another way of running uses of copies (Lambda Managed Instances
// measures a copy per setting): copies it names, configures and deletes
// itself, made, marked, leased and recovered exactly like the copies of a
// memory size.

// NameFor is the name of the run's copy labelled label (a few characters
// that say what the copy measures, such as "4096-2-16"): at most 49
// characters before the label.
func (t *Target) NameFor(label string) string { return t.prefix() + t.env.RunID + "-" + label }

// Create creates the copy name of power MB with adjust's changes to its
// CreateFunction input, and waits until it is Active. Its lease is renewed
// from KeepLease until Cleanup, which deletes it if Delete did not.
func (t *Target) Create(ctx context.Context, name string, power int32, adjust func(*lambda.CreateFunctionInput)) error {
	_, err := t.create(ctx, name, power, "", adjust)
	return err
}

// KeepLease renews the lease of the run's copies until Cleanup, so that a
// later run leaves them alone while this one lives, and deletes them once
// it is killed.
func (t *Target) KeepLease(ctx context.Context) {
	if t.stopBeat == nil {
		t.stopBeat = t.heartbeat(ctx)
	}
}

// Delete deletes a copy made by Create, and its log group, even when ctx
// is cancelled: a deletion once sent must have a known outcome. A failure
// is returned and left to Cleanup, which tries again and reports.
func (t *Target) Delete(ctx context.Context, name string) error {
	send, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.env.SendTimeout)
	defer cancel()
	if err := t.deleteCopy(send, name); err != nil {
		return fmt.Errorf("deleting copy %s of %s: %w", name, t.fn.ARN(), err)
	}
	t.fn.Ledger().CopyDeleted(name)
	t.deleteLogGroups(send, []string{name})
	return nil
}
