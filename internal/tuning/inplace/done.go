package inplace

import (
	"context"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// Done deletes a size's aliases and the versions behind them as soon as its
// invocations are over, while the chain still configures the others:
// clean-up at the end then has little left, which matters within the
// control-plane request budget (a dozen deletions take over a second). The
// deletions go out while the chain waits for an update, so that they do not
// delay its calls. A failure is left to clean-up, which tries again and
// reports.
func (t *Target) Done(ctx context.Context, size *target.Size) {
	if t.chain.quiet(ctx) != nil {
		return
	}
	// A deletion once sent is not aborted by the run's cancellation: its
	// outcome would be unknown to clean-up and to the ledger.
	send, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.env.SendTimeout)
	defer cancel()
	for variant := range size.Variants() {
		at, ok := size.ReadyAt(variant)
		if !ok || ctx.Err() != nil {
			return
		}
		if err := t.fn.DeleteAlias(send, at.Qualifier); err != nil {
			continue // its version stays referenced: clean-up decides
		}
		if ctx.Err() == nil && t.fn.Ledger().HasVersion(at.Version) {
			_ = t.fn.DeleteVersion(send, at.Version)
		}
	}
}
