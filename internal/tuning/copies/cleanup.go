package copies

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// Done deletes a size's copy (and its log group) as soon as its
// invocations are over: the last copy alone is left for the end of the
// run. A failure is left to Cleanup, which tries again and reports.
func (t *Target) Done(ctx context.Context, size *target.Size) {
	at, ok := size.ReadyAt(0)
	if !ok || ctx.Err() != nil {
		return
	}
	// A deletion once sent is not aborted by the run's cancellation: its
	// outcome would be unknown to clean-up and to the ledger.
	send, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.env.SendTimeout)
	defer cancel()
	if t.deleteCopy(send, at.Function) == nil {
		t.fn.Ledger().CopyDeleted(at.Function)
		t.deleteLogGroups(send, []string{at.Function})
	}
}

// Cleanup deletes every copy the run made (or may have made) with its log
// group, and the staged package, whatever happened; one already gone counts
// as deleted.
func (t *Target) Cleanup(ctx context.Context) []error {
	if t.stopBeat != nil {
		t.stopBeat()
	}
	var (
		mu      sync.Mutex
		errs    []error
		deleted []string
	)
	ledger := t.fn.Ledger()
	if copies := ledger.RemainingCopies(); len(copies) > 0 {
		t.fn.Events().Emit(progress.Event{Kind: progress.Cleanup, Message: fmt.Sprintf("deleting %d copies of the function", len(copies))})
		var g errgroup.Group
		g.SetLimit(maxInCreation)
		for _, name := range copies {
			g.Go(func() error {
				err := t.deleteCopy(ctx, name)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, &faults.StepError{Operation: "DeleteFunction", Function: name, Err: fmt.Errorf("copy of %s: %w", t.fn.ARN(), err)})
					return nil
				}
				ledger.CopyDeleted(name)
				deleted = append(deleted, name)
				return nil
			})
		}
		_ = g.Wait()
		t.deleteLogGroups(ctx, deleted)
	}
	if err := t.deleteStagedCode(ctx); err != nil {
		errs = append(errs, err)
	}
	t.warnLogGroups()
	return errs
}
