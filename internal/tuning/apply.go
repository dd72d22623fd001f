package tuning

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
)

// applyToAlias applies the optimum to auto_optimize_alias after clean-up:
// set $LATEST memory to it, publish, point the alias at that version. The
// version is the user's from then on. The clean-up that follows restores
// $LATEST, and deletes the version if the alias could not be pointed at it.
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
	if op, err := r.fn.CreateOrUpdateAlias(ctx, alias, version, "", false); err != nil {
		return &faults.StepError{Operation: op, Function: r.fn.ARN(), Power: r.optimum, Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	r.ledger.ForgetVersion(version) // the user's alias uses it now
	return nil
}

// checkReleased refuses, before any change, an auto_optimize_alias whose
// version differs from $LATEST in anything but memory: publishing $LATEST
// would release code or configuration the alias does not serve yet. An
// alias that does not exist yet, or serves $LATEST, is fine.
func (r *run) checkReleased(ctx context.Context) error {
	if !r.in.AppliesToAlias() || r.in.AutoOptimizeAllowUnreleased {
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
	version := aws.ToString(got.FunctionVersion)
	if version == lambdaops.Latest {
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
