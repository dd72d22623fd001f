package tuning

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// applyToAlias applies the optimum to auto_optimize_alias after clean-up:
// set $LATEST memory to it, publish, point the alias at that version (if
// the alias is still as resolve read it). The version is the user's from
// then on. The clean-up that follows restores $LATEST, and deletes the
// version if the alias could not be pointed at it.
func (r *run) applyToAlias(ctx context.Context) error {
	alias := r.in.AutoOptimizeAlias
	r.events.Note(r.optimum, "pointing alias %s at a version with %d MB", alias, r.optimum)
	if err := r.fn.KnowVersions(ctx); err != nil {
		return err
	}
	version, err := r.fn.Configure(ctx, r.optimum, nil, r.fn.Original().Description)
	if err != nil {
		return err
	}
	seen := r.aliasSeen
	if seen != nil {
		if err := r.lock.RecordMove(ctx, alias, aws.ToString(seen.FunctionVersion)); err != nil {
			return err
		}
	}
	clearRouting := r.in.AutoOptimizeAliasRouting == spec.AliasRoutingClear
	if op, err := r.fn.MoveAlias(ctx, alias, version, revisionOf(seen), clearRouting); err != nil {
		if faults.IsPreconditionFailed(err) {
			err = fmt.Errorf("someone changed the alias during the run, so it was left as they made it: %w", err)
		}
		return &faults.StepError{Operation: op, Function: r.fn.ARN(), Power: r.optimum, Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	r.ledger.ForgetVersion(version) // the user's alias uses it now
	return nil
}

// revisionOf is the alias's RevisionId, or "" when it did not exist.
func revisionOf(a *lambda.GetAliasOutput) string {
	if a == nil {
		return ""
	}
	return aws.ToString(a.RevisionId)
}

// checkReleased refuses, before any change, an auto_optimize_alias the
// optimum must not move: one with weighted routing, unless
// auto_optimize_alias_routing says what becomes of it, and one whose
// version differs from $LATEST in anything but memory (publishing $LATEST
// would release code or configuration the alias does not serve yet),
// unless auto_optimize_allow_unreleased. An alias that does not exist yet,
// or serves $LATEST, is fine. What it read is what the move is conditional on.
func (r *run) checkReleased(ctx context.Context) error {
	if !r.in.AppliesToAlias() {
		return nil
	}
	alias := r.in.AutoOptimizeAlias
	got, err := r.fn.GetAlias(ctx, alias)
	if faults.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return &faults.StepError{Operation: "GetAlias", Function: r.fn.ARN(), Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	r.aliasSeen = got
	version := aws.ToString(got.FunctionVersion)
	if rc := got.RoutingConfig; rc != nil && len(rc.AdditionalVersionWeights) > 0 && r.in.AutoOptimizeAliasRouting == "" {
		return &faults.WeightedAliasError{Alias: alias, Version: version, Weights: rc.AdditionalVersionWeights}
	}
	if version == lambdaops.Latest || r.in.AutoOptimizeAllowUnreleased {
		return nil
	}
	served, err := r.fn.Lambda().GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: aws.String(r.fn.ARN()), Qualifier: aws.String(version),
	})
	if err == nil && served.Configuration == nil {
		err = errors.New("the answer has no configuration")
	}
	if err != nil {
		return &faults.StepError{Operation: "GetFunction", Function: r.fn.ARN(), Err: fmt.Errorf("version %s of alias %s: %w", version, alias, err)}
	}
	latest, err := r.fn.Await(ctx)
	if err != nil {
		return err
	}
	if diffs := lambdaops.ConfigDifferences(served.Configuration, latest.Configuration); len(diffs) > 0 {
		return &faults.UnreleasedCodeError{Alias: alias, Version: version, Differences: diffs}
	}
	return nil
}
