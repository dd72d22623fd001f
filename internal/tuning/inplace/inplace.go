// Package inplace tunes the function itself: for each memory size it
// updates $LATEST, publishes a version and points an alias (RAM<size>) at
// it, one size after another since Lambda applies one update at a time,
// while the sizes already configured are invoked. Each size's alias and
// version go as soon as its invocations are over; the core puts $LATEST
// back and holds the function's lock meanwhile. Everything it changes is
// in the ledger, through lambdaops. It imports target, lambdaops, runrecord
// and faults, never another way of running.
package inplace

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// Target tunes the function in place.
type Target struct {
	env   target.Env
	fn    *lambdaops.Function
	chain *chainWaits // when early releases may send their deletions
}

var _ target.Target = (*Target)(nil)

// New is the in-place way of running.
func New(env target.Env) *Target {
	t := &Target{env: env, fn: env.Fn, chain: newChainWaits()}
	env.Fn.PaceUpdatesWith(t.chain)
	return t
}

// ChangesFunction: tuning in place changes $LATEST.
func (t *Target) ChangesFunction() bool { return true }

// Variants: one alias per size, or with only cold starts one per
// invocation, each on its own version.
func (t *Target) Variants() int {
	if t.env.Input.OnlyColdStarts {
		return t.env.Input.InvocationsPerSize()
	}
	return 1
}

// Resolve learns what clean-up needs to tell the run's versions and
// aliases from everyone else's, refuses aliases in the way and a function
// that cannot be invoked: the listings at once, the check on the read.
func (t *Target) Resolve(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return t.checkInvocable(gctx) })
	g.Go(func() error { return t.fn.KnowVersions(gctx) })
	g.Go(func() error { return t.checkAliasesAreOurs(gctx) })
	return g.Wait()
}

// RemoveLeftovers: an interrupted in-place run's leftovers are on the
// function, which the core recovers under its lock.
func (t *Target) RemoveLeftovers(context.Context) error { return nil }

// Cleanup: what tuning in place made is in the ledger, which the core undoes.
func (t *Target) Cleanup(context.Context) []error { return nil }

// aliasName is the alias of a size's variant.
func (t *Target) aliasName(power int32, variant int) string {
	if !t.env.Input.OnlyColdStarts {
		return runrecord.SizeAlias(power, -1)
	}
	return runrecord.SizeAlias(power, variant)
}

// versionDescription marks every version the run publishes with the run id,
// so that recovery deletes exactly those; with only cold starts it differs
// for every variant, so that each really is a new version.
func (t *Target) versionDescription(alias string) string {
	if t.env.Input.OnlyColdStarts {
		return runrecord.ColdStartMark(t.env.RunID, alias)
	}
	return runrecord.Marked(t.env.RunID, alias)
}
