package lock

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// Recover undoes what an interrupted run left while this run holds the
// lock: it deletes the aliases runs created for memory sizes and the
// versions they published (never one an alias of the user's points to) and
// restores $LATEST to the interrupted run's recorded original. held is nil
// when leftovers were seen without a record; a recovery that then finds
// nothing is nil. It returns $LATEST as it left it.
func Recover(ctx context.Context, fn *lambdaops.Function, held *runrecord.Record) (*ledger.Recovery, ledger.LatestState, error) {
	rc := &ledger.Recovery{}
	if held != nil {
		rc.RunID, rc.Owner, rc.Started = held.RunID, held.Owner(), held.Started
	}
	fn.Events().Note(0, "recovering an interrupted tuning run %s", rc.RunID)
	fail := func(op string, err error, power int32) (*ledger.Recovery, ledger.LatestState, error) {
		return rc, ledger.LatestState{}, recoveryError(ctx, fn, rc, held, &faults.StepError{Operation: op, Function: fn.ARN(), Power: power, Err: err})
	}

	now, err := fn.SettledLatest(ctx)
	if err != nil {
		return fail("GetFunction", err, 0)
	}
	rc.MemoryFound, rc.MemoryRestored = now.Memory, now.Memory

	left, err := leftBehind(ctx, fn)
	if err != nil {
		return fail("ListAliases", err, 0)
	}
	if held != nil {
		if move := left.move(*held); move != "" {
			rc.AliasMoves = append(rc.AliasMoves, move)
		}
	}
	for _, name := range left.aliases {
		if err := fn.DeleteAlias(ctx, name); err != nil {
			return fail("DeleteAlias", errors.Unwrap(err), 0)
		}
		rc.DeletedAliases = append(rc.DeletedAliases, name)
	}
	if err := deleteMarkedVersions(ctx, fn, rc, left.userTargets); err != nil {
		return fail("DeleteFunction", err, 0)
	}

	want := now
	if held != nil && held.Memory != 0 {
		want.Memory = held.Memory
	} else if len(rc.DeletedAliases)+len(rc.DeletedVersions) > 0 {
		rc.Unrestored = append(rc.Unrestored, fmt.Sprintf("No record says what $LATEST memory was before that run: it is left at %d MB.", now.Memory))
	}
	if left.savedDescription != nil {
		want.Description = *left.savedDescription
	} else if runrecord.IsMarked(now.Description) {
		rc.Unrestored = append(rc.Unrestored, fmt.Sprintf("$LATEST description %q was set by that run, but no record keeps the original: set it back by hand.", now.Description))
	}
	if want != now {
		if err := fn.PutLatest(ctx, now, want); err != nil {
			return fail("UpdateFunctionConfiguration", err, want.Memory)
		}
		rc.MemoryRestored, rc.DescriptionRestored = want.Memory, want.Description != now.Description
	}
	if left.savedDescription != nil {
		if err := fn.DeleteAlias(ctx, runrecord.DescriptionAlias); err != nil {
			return fail("DeleteAlias", errors.Unwrap(err), 0)
		}
	}
	if held == nil && !rc.FoundAnything() {
		return nil, want, nil // another run's work, finished since it was seen
	}
	fn.Events().Note(0, "%s", rc.String())
	return rc, want, nil
}

// leftovers are what interrupted runs left among the aliases.
type leftovers struct {
	aliases          []string          // created for memory sizes
	userTargets      map[string]string // versions other aliases route to (the user's)
	userVersions     map[string]string // each user alias's version
	savedDescription *string           // the original description a run kept
}

// move tells what became of the user's alias the interrupted run was
// moving to its optimum, if it was moving one: moved (kept, as
// auto_optimize_alias asked), or not yet.
func (left leftovers) move(held runrecord.Record) string {
	alias, from, ok := held.MovingAlias()
	if !ok {
		return ""
	}
	now, exists := left.userVersions[alias]
	switch {
	case !exists:
		return fmt.Sprintf("alias %s, which that run was moving to its optimum, no longer exists", alias)
	case now != from:
		return fmt.Sprintf("alias %s had been moved from version %s to version %s, that run's optimum (kept, as auto_optimize_alias asked)", alias, from, now)
	}
	return fmt.Sprintf("alias %s was still on version %s (that run had not moved it to its optimum)", alias, from)
}

func leftBehind(ctx context.Context, fn *lambdaops.Function) (leftovers, error) {
	aliases, err := fn.Aliases(ctx)
	if err != nil {
		return leftovers{}, err
	}
	left := leftovers{userVersions: map[string]string{}}
	var users = aliases[:0:0]
	for _, a := range aliases {
		name, desc := aws.ToString(a.Name), aws.ToString(a.Description)
		switch {
		case name == runrecord.LockAlias:
		case name == runrecord.DescriptionAlias:
			left.savedDescription = &desc
		case runrecord.IsSizeAlias(name) && runrecord.IsMarked(desc):
			left.aliases = append(left.aliases, name)
		default:
			users = append(users, a)
			left.userVersions[name] = aws.ToString(a.FunctionVersion)
		}
	}
	left.userTargets = lambdaops.Targets(users)
	return left, nil
}

// deleteMarkedVersions deletes the versions runs published, except those a
// user's alias routes to.
func deleteMarkedVersions(ctx context.Context, fn *lambdaops.Function, rc *ledger.Recovery, userTargets map[string]string) error {
	marked, err := markedVersions(ctx, fn)
	if err != nil {
		return fmt.Errorf("ListVersionsByFunction: %w", err)
	}
	for _, v := range marked {
		if _, ok := userTargets[v]; ok {
			rc.KeptVersions = append(rc.KeptVersions, v)
			continue
		}
		kept, err := fn.DeleteMarkedVersion(ctx, v)
		switch {
		case err != nil:
			return fmt.Errorf("version %s: %w", v, err)
		case kept:
			rc.KeptVersions = append(rc.KeptVersions, v)
		default:
			rc.DeletedVersions = append(rc.DeletedVersions, v)
		}
	}
	return nil
}

// markedVersions are the versions a run published (marked by their description).
func markedVersions(ctx context.Context, fn *lambdaops.Function) ([]string, error) {
	versions, err := fn.Versions(ctx)
	if err != nil {
		return nil, err
	}
	var marked []string
	for _, v := range versions {
		if version := aws.ToString(v.Version); version != lambdaops.Latest && runrecord.IsMarked(aws.ToString(v.Description)) {
			marked = append(marked, version)
		}
	}
	return marked, nil
}

// recoveryError says what recovery could not finish, as a CleanupError so
// the report carries the commands that finish it by hand.
func recoveryError(ctx context.Context, fn *lambdaops.Function, rc *ledger.Recovery, held *runrecord.Record, err error) error {
	ce := &faults.CleanupError{Function: fn.ARN(), Recovering: cmp.Or(rc.RunID, "(no record)"), Err: err}
	if held != nil {
		ce.OriginalMemory = held.Memory
	}
	ce.LatestMemory = rc.MemoryFound
	if left, lerr := leftBehind(ctx, fn); lerr == nil {
		ce.RemainingAliases = left.aliases
	}
	if versions, lerr := markedVersions(ctx, fn); lerr == nil {
		ce.RemainingVersions = versions
	}
	return ce
}
