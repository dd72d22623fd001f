package lambdaops

import (
	"context"
	"fmt"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// Undo undoes what the ledger says the run did to the function: aliases
// first (a version an alias points to cannot be deleted), then the versions
// the run created, then $LATEST, set back to the original state with memory
// (the original's, or the optimum). Each failure is returned; the ledger
// keeps what is left.
func (f *Function) Undo(ctx context.Context, memory int32) []error {
	aliases, versions := f.ledger.Remaining()
	if len(aliases)+len(versions) > 0 {
		f.events.Emit(progress.Event{Kind: progress.Cleanup,
			Message: fmt.Sprintf("deleting %d aliases and the versions the run published", len(aliases))})
	}
	var errs []error
	for _, alias := range aliases {
		if err := f.DeleteAlias(ctx, alias); err != nil {
			errs = append(errs, err)
		}
	}
	if err := f.settleUnsurePublishes(ctx); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, f.deleteVersions(ctx)...)
	if err := f.RestoreLatest(ctx, memory); err != nil {
		errs = append(errs, err)
	}
	return errs
}
