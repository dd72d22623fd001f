package tuning

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// release deletes a power value's aliases and the versions behind them as
// soon as its invocations are done, while the chain still configures the
// others: clean-up at the end then has little left, which matters within
// the control-plane request budget (a dozen deletions take over a second).
// The deletions go out while the chain waits for an update, so that they do
// not delay its calls. A failure is left to clean-up, which tries again and
// reports.
func (pe *powerExec) release(ctx context.Context) {
	r := pe.r
	if r.chain.quiet(ctx) != nil {
		return
	}
	// A deletion once sent is not aborted by the run's cancellation: its
	// outcome would be unknown to clean-up and to the ledger.
	send, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.s.cleanupTimeout)
	defer cancel()
	for variant, alias := range pe.aliases {
		version, ok := pe.versionOf(variant)
		if !ok || ctx.Err() != nil {
			return
		}
		if err := r.deleteAlias(send, alias); err != nil {
			continue // its version stays referenced: clean-up decides
		}
		if ctx.Err() == nil && r.ledger.hasVersion(version) {
			_ = r.deleteVersion(send, version)
		}
	}
}

// versionOf is the version a ready variant's alias points to.
func (pe *powerExec) versionOf(variant int) (string, bool) {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	v, ok := pe.versions[variant]
	return v, ok
}

// deleteVersion deletes one of the run's versions and forgets it. A version
// an alias still points to is refused by Lambda and kept for clean-up,
// which tells the run's aliases from anyone else's.
func (r *run) deleteVersion(ctx context.Context, version string) error {
	err := r.whileBusy(ctx, func(ctx context.Context) error {
		_, err := r.lam.DeleteFunction(ctx, &lambda.DeleteFunctionInput{
			FunctionName: aws.String(r.arn),
			Qualifier:    aws.String(version),
		})
		return err
	})
	if err == nil || isNotFound(err) {
		r.ledger.forgetVersion(version)
		return nil
	}
	return err
}
