package copies

import (
	"context"
	"fmt"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// Cleanup deletes every copy the run made (or may have made) with its log
// group, and the staged package, whatever happened; one already gone counts
// as deleted.
func (t *Target) Cleanup(ctx context.Context) []error {
	if t.stopBeat != nil {
		t.stopBeat()
	}
	var errs []error
	ledger := t.fn.Ledger()
	if copies := ledger.RemainingCopies(); len(copies) > 0 {
		t.fn.Events().Emit(progress.Event{Kind: progress.Cleanup, Message: fmt.Sprintf("deleting %d copies of the function", len(copies))})
		var deleted []string
		for _, name := range copies {
			if err := t.deleteCopy(ctx, name); err != nil {
				errs = append(errs, &faults.StepError{Operation: "DeleteFunction", Function: name, Err: fmt.Errorf("copy of %s: %w", t.fn.ARN(), err)})
				continue
			}
			ledger.CopyDeleted(name)
			deleted = append(deleted, name)
		}
		t.deleteLogGroups(ctx, deleted)
	}
	if err := t.deleteStagedCode(ctx); err != nil {
		errs = append(errs, err)
	}
	return errs
}
