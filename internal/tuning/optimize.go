package tuning

import (
	"context"
	"fmt"
)

// optimizeAlias applies the optimum to auto_optimize_alias after clean-up:
// set $LATEST memory to it, publish, point the alias at that version. The
// version is the user's from then on. The clean-up that follows restores
// $LATEST, and deletes the version if the alias could not be pointed at it.
func (r *run) optimizeAlias(ctx context.Context) error {
	alias := r.in.AutoOptimizeAlias
	r.emit(Event{Phase: "optimize", Power: r.optimum, Message: fmt.Sprintf("pointing alias %s at a version with %d MB", alias, r.optimum)})
	want := latestState{memory: r.optimum, description: r.original.description}
	if err := r.setLatest(ctx, r.optimum, want, false); err != nil {
		return err
	}
	version, err := r.publish(ctx, r.optimum, want.description)
	if err != nil {
		return err
	}
	if op, err := r.createOrUpdateAlias(ctx, alias, version, "", false); err != nil {
		return &StepError{Operation: op, Function: r.arn, Power: r.optimum, Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	r.ledger.forgetVersion(version) // the user's alias uses it now
	return nil
}
