package inplace

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// Prepare is the serial chain of updates to $LATEST: for each size in
// ascending order (and each cold-start variant), update, wait, publish.
// Pointing the alias at the new version does not touch $LATEST, so it runs
// beside the next update, and the size's invocations start the moment their
// alias is ready.
func (t *Target) Prepare(ctx context.Context, sizes []*target.Size) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return t.configure(gctx, g, sizes) })
	return g.Wait() // the first failure: the chain's, or an alias's
}

func (t *Target) configure(ctx context.Context, g *errgroup.Group, sizes []*target.Size) error {
	defer t.chain.finish()
	if err := t.fn.KnowVersions(ctx); err != nil {
		return err
	}
	for _, size := range sizes {
		for variant := range size.Variants() {
			alias := t.aliasName(size.Power, variant)
			var description *string
			if t.env.Input.OnlyColdStarts {
				d := t.versionDescription(alias)
				description = &d
			}
			version, err := t.fn.Configure(ctx, size.Power, description, t.versionDescription(alias))
			if err != nil {
				if reason, ok := t.skippable(size.Power, err); ok {
					size.Skip(reason)
					break
				}
				return err
			}
			g.Go(func() error {
				// After the next update has gone out: that one is on the
				// chain, the alias only on its own size's path.
				if err := t.chain.quiet(ctx); err != nil {
					return err
				}
				if err := t.pointAlias(ctx, size.Power, alias, version); err != nil {
					return err
				}
				size.Ready(variant, target.Invocable{Function: t.fn.ARN(), Qualifier: alias, Label: "alias " + alias, Version: version})
				return nil
			})
		}
	}
	if t.env.RestoreEarly {
		// Failing here is not fatal: clean-up restores again and reports.
		_ = t.fn.RestoreLatest(ctx, t.fn.Original().Memory)
	}
	return nil
}

// skippable says whether a size whose update failed with err is skipped
// (skip_failed_power_values) rather than failing the run, and why: only
// when Lambda refused its memory size.
func (t *Target) skippable(power int32, err error) (reason string, ok bool) {
	msg, refused := faults.MemoryRefused(err)
	if !t.env.Input.SkipFailedPowerValues || !refused {
		return "", false
	}
	return fmt.Sprintf("UpdateFunctionConfiguration refused %d MB, above the account's memory quota: %s", power, msg), true
}
