package tuning

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"golang.org/x/sync/errgroup"
)

// configureAll is the serial chain of updates to $LATEST: for each power
// value in ascending order (and each cold-start variant), update, wait,
// publish. Pointing the alias at the new version does not touch $LATEST, so
// it runs beside the next update, and the power value's executions start
// the moment their alias is ready.
func (r *run) configureAll(ctx context.Context, g *errgroup.Group, execs []*powerExec) error {
	defer r.chain.finish()
	for _, pe := range execs {
		for variant := range pe.aliases {
			want := latestState{memory: pe.power, description: r.original.description}
			if r.in.OnlyColdStarts {
				want.description = r.coldStartDescription(pe.aliases[variant])
			}
			if err := r.setLatest(ctx, pe.power, want, false); err != nil {
				if reason, ok := r.skippable(pe.power, err); ok {
					pe.skip(reason)
					break
				}
				return err
			}
			version, err := r.publish(ctx, pe.power, r.versionDescription(pe.aliases[variant]))
			if err != nil {
				return err
			}
			g.Go(func() error {
				// After the next update has gone out: that one is on the
				// chain, the alias only on its own power value's path.
				if err := r.chain.quiet(ctx); err != nil {
					return err
				}
				if err := r.pointAlias(ctx, pe.power, pe.aliases[variant], version); err != nil {
					return err
				}
				pe.markReady(variant, version)
				return nil
			})
		}
	}
	if r.restoresEarly() {
		// Failing here is not fatal: clean-up restores again and reports.
		_ = r.restoreLatest(ctx)
	}
	return nil
}

// skippable says whether a power value whose update failed with err is
// skipped (skip_failed_power_values) rather than failing the run, and why:
// only when Lambda refused its memory size.
func (r *run) skippable(power int32, err error) (reason string, ok bool) {
	msg, refused := memoryRefused(err)
	if !r.in.SkipFailedPowerValues || !refused {
		return "", false
	}
	return fmt.Sprintf("UpdateFunctionConfiguration refused %d MB, above the account's memory quota: %s", power, msg), true
}

// memoryRefused is Lambda's 400 ValidationException for a memorySize it does
// not accept, with its message. Validate keeps power values within Lambda's
// 128..10240 MB, so at a power value it means the account's quota is lower
// (3008 MB on some accounts). Lambda applied nothing of that update.
func memoryRefused(err error) (message string, ok bool) {
	code, msg, isAPI := apiError(err)
	if !isAPI || code != "ValidationException" || !strings.Contains(strings.ToLower(msg), "'memorysize'") {
		return "", false
	}
	return msg, true
}

// coldStartDescription differs for every variant and every run, so each
// PublishVersion really creates a version, whose first invocation is cold.
func (r *run) coldStartDescription(alias string) string {
	return fmt.Sprintf("%s %s cold start %s", runAliasDescription, r.runID, alias)
}

// versionDescription marks every version the run publishes for a power
// value with the run id, so that recovery deletes exactly those.
func (r *run) versionDescription(alias string) string {
	if r.in.OnlyColdStarts {
		return r.coldStartDescription(alias)
	}
	return fmt.Sprintf("%s %s %s", runAliasDescription, r.runID, alias)
}

// setLatest updates $LATEST to want, unless it is known to be so already,
// and waits until the update is done. restore marks the update that puts
// $LATEST back, for the observer.
func (r *run) setLatest(ctx context.Context, power int32, want latestState, restore bool) error {
	cur, known := r.ledger.latest()
	if known && cur == want {
		return nil
	}
	// Only what changes is sent, so a concurrent edit of the other field by
	// someone else is not overwritten.
	in := &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(r.arn)}
	if !known || cur.memory != want.memory {
		in.MemorySize = aws.Int32(want.memory)
	}
	if !known || cur.description != want.description {
		in.Description = aws.String(want.description)
	}

	r.ledger.updating()
	r.observer.send(MilestoneUpdateSent, power, restore)
	sent := r.s.clock.Now()
	var out *lambda.UpdateFunctionConfigurationOutput
	err := r.mutate(ctx, func(ctx context.Context) error {
		var err error
		out, err = r.lam.UpdateFunctionConfiguration(ctx, in)
		return err
	})
	if err != nil {
		if _, refused := memoryRefused(err); refused && known {
			r.ledger.setCurrent(cur) // refused whole: $LATEST is as it was
		}
		return &StepError{Operation: "UpdateFunctionConfiguration", Function: r.arn, Power: power, Err: err}
	}
	r.chain.updateSent()
	if out.LastUpdateStatus == types.LastUpdateStatusSuccessful {
		r.ledger.setCurrent(want)
	} else {
		r.chain.set(true)
		_, err := r.waitUpdated(ctx, sent)
		r.chain.set(false)
		if err != nil {
			return &StepError{Operation: "UpdateFunctionConfiguration", Function: r.arn, Power: power, Err: err}
		}
	}
	r.observer.send(MilestoneUpdateSettled, power, restore)
	return nil
}

// publish publishes $LATEST and records the version if the run created it.
// PublishVersion returns the newest existing version when nothing changed
// since it was published; that one may be the user's and is never recorded.
func (r *run) publish(ctx context.Context, power int32, description string) (string, error) {
	var out *lambda.PublishVersionOutput
	err := r.mutate(ctx, func(ctx context.Context) error {
		var err error
		out, err = r.lam.PublishVersion(ctx, &lambda.PublishVersionInput{
			FunctionName: aws.String(r.arn),
			Description:  aws.String(description),
		})
		return err
	})
	if err != nil {
		// The request may have reached Lambda: clean-up checks for a version.
		r.ledger.addUnsure(unsurePublish{power: power, description: description})
		return "", &StepError{Operation: "PublishVersion", Function: r.arn, Power: power, Err: err}
	}
	version := aws.ToString(out.Version)
	r.observer.observe(MilestoneVersionPublished, power)
	if versionNumber(version) > r.maxPreVersion {
		r.ledger.addVersion(version)
	}
	if got := aws.ToInt32(out.MemorySize); got != power {
		return "", &StepError{Operation: "PublishVersion", Function: r.arn, Power: power,
			Err: fmt.Errorf("version %s has %d MB, not %d MB: $LATEST was changed by someone else during the run", version, got, power)}
	}
	return version, nil
}

// runAliasDescription starts the description of every alias a run creates
// and every version it publishes ("awspowertuning run <runID>"), so that a
// later run can tell a leftover of an interrupted run, which it deletes,
// from a user's alias that only has a name like RAM512.
const runAliasDescription = "awspowertuning run"

func (r *run) aliasDescription() string { return runAliasDescription + " " + r.runID }

func isRunAlias(description string) bool { return strings.HasPrefix(description, runAliasDescription) }

// pointAlias creates the run's alias on version. An alias of that name that
// exists already is taken over only if a run created it (resolve checked,
// but one may have appeared since): clean-up deletes it with the others.
func (r *run) pointAlias(ctx context.Context, power int32, alias, version string) error {
	r.ledger.addAlias(alias)
	op, err := "CreateAlias", r.createAlias(ctx, alias, version, r.aliasDescription())
	if isAliasExists(err) {
		op, err = r.takeOverLeftover(ctx, power, alias, version)
	}
	if err != nil {
		return &StepError{Operation: op, Function: r.arn, Power: power, Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	return nil
}

// takeOverLeftover points an existing alias at version if a run created it,
// and returns the operation that failed. Any other alias is left alone and
// out of clean-up.
func (r *run) takeOverLeftover(ctx context.Context, power int32, alias, version string) (string, error) {
	got, err := r.lam.GetAlias(ctx, &lambda.GetAliasInput{FunctionName: aws.String(r.arn), Name: aws.String(alias)})
	if err != nil {
		r.ledger.aliasDeleted(alias) // whose it is is unknown: not ours to delete
		return "GetAlias", err
	}
	if !isRunAlias(aws.ToString(got.Description)) {
		r.ledger.aliasDeleted(alias) // someone else's: clean-up leaves it
		return "CreateAlias", foreignAliasesError([]foreignAlias{{name: alias, version: aws.ToString(got.FunctionVersion), power: power}})
	}
	return "UpdateAlias", r.updateAlias(ctx, alias, version, r.aliasDescription(), true)
}

// createOrUpdateAlias points alias at version, creating it if needed, and
// returns the operation that failed. clearRouting drops any weighted
// routing to another version.
func (r *run) createOrUpdateAlias(ctx context.Context, alias, version, description string, clearRouting bool) (string, error) {
	err := r.createAlias(ctx, alias, version, description)
	if err == nil || !isAliasExists(err) {
		return "CreateAlias", err
	}
	return "UpdateAlias", r.updateAlias(ctx, alias, version, description, clearRouting)
}

func (r *run) createAlias(ctx context.Context, alias, version, description string) error {
	return r.mutate(ctx, func(ctx context.Context) error {
		_, err := r.lam.CreateAlias(ctx, &lambda.CreateAliasInput{
			FunctionName:    aws.String(r.arn),
			Name:            aws.String(alias),
			FunctionVersion: aws.String(version),
			Description:     optional(description),
		})
		return err
	})
}

// updateAlias points an existing alias at version; clearRouting drops any
// weighted routing to another version (the run's aliases must run one
// version only).
func (r *run) updateAlias(ctx context.Context, alias, version, description string, clearRouting bool) error {
	in := &lambda.UpdateAliasInput{
		FunctionName:    aws.String(r.arn),
		Name:            aws.String(alias),
		FunctionVersion: aws.String(version),
		Description:     optional(description),
	}
	if clearRouting {
		in.RoutingConfig = &types.AliasRoutingConfiguration{}
	}
	return r.mutate(ctx, func(ctx context.Context) error {
		_, err := r.lam.UpdateAlias(ctx, in)
		return err
	})
}

// optional is nil for "", so that a field is left as it is.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
