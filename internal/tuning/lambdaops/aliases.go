package lambdaops

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
)

// CreateAlias creates alias on version.
func (f *Function) CreateAlias(ctx context.Context, alias, version, description string) error {
	return f.Mutate(ctx, func(ctx context.Context) error {
		_, err := f.lam.CreateAlias(ctx, &lambda.CreateAliasInput{
			FunctionName:    aws.String(f.ARN()),
			Name:            aws.String(alias),
			FunctionVersion: aws.String(version),
			Description:     optional(description),
		})
		return err
	})
}

// UpdateAlias points an existing alias at version; clearRouting drops any
// weighted routing to another version (the run's aliases must run one
// version only).
func (f *Function) UpdateAlias(ctx context.Context, alias, version, description string, clearRouting bool) error {
	in := &lambda.UpdateAliasInput{
		FunctionName:    aws.String(f.ARN()),
		Name:            aws.String(alias),
		FunctionVersion: aws.String(version),
		Description:     optional(description),
	}
	if clearRouting {
		in.RoutingConfig = &types.AliasRoutingConfiguration{}
	}
	return f.Mutate(ctx, func(ctx context.Context) error {
		_, err := f.lam.UpdateAlias(ctx, in)
		return err
	})
}

// MoveAlias points the user's alias at version, if it is still as the run
// read it (revision; "" when it did not exist, then it is created).
// clearRouting drops its weighted routing; otherwise the other versions
// keep their weights.
func (f *Function) MoveAlias(ctx context.Context, alias, version, revision string, clearRouting bool) (string, error) {
	if revision == "" {
		return "CreateAlias", f.CreateAlias(ctx, alias, version, "")
	}
	in := &lambda.UpdateAliasInput{FunctionName: aws.String(f.ARN()), Name: aws.String(alias),
		FunctionVersion: aws.String(version), RevisionId: aws.String(revision)}
	if clearRouting {
		in.RoutingConfig = &types.AliasRoutingConfiguration{}
	}
	return "UpdateAlias", f.Mutate(ctx, func(ctx context.Context) error {
		_, err := f.lam.UpdateAlias(ctx, in)
		return err
	})
}

// CreateOrUpdateAlias points alias at version, creating it if needed, and
// returns the operation that failed.
func (f *Function) CreateOrUpdateAlias(ctx context.Context, alias, version, description string, clearRouting bool) (string, error) {
	err := f.CreateAlias(ctx, alias, version, description)
	if err == nil || !faults.IsAliasExists(err) {
		return "CreateAlias", err
	}
	return "UpdateAlias", f.UpdateAlias(ctx, alias, version, description, clearRouting)
}

// GetAlias reads one alias.
func (f *Function) GetAlias(ctx context.Context, alias string) (*lambda.GetAliasOutput, error) {
	return f.lam.GetAlias(ctx, &lambda.GetAliasInput{FunctionName: aws.String(f.ARN()), Name: aws.String(alias)})
}

// DeleteAlias deletes alias (one already gone counts as deleted) and
// forgets it.
func (f *Function) DeleteAlias(ctx context.Context, alias string) error {
	_, err := f.lam.DeleteAlias(ctx, &lambda.DeleteAliasInput{FunctionName: aws.String(f.ARN()), Name: aws.String(alias)})
	if err != nil && !faults.IsNotFound(err) {
		return f.stepError("DeleteAlias", 0, fmt.Errorf("alias %s: %w", alias, err))
	}
	f.ledger.AliasDeleted(alias)
	return nil
}

// Aliases lists every alias of the function.
func (f *Function) Aliases(ctx context.Context) ([]types.AliasConfiguration, error) {
	var all []types.AliasConfiguration
	pages := lambda.NewListAliasesPaginator(f.lam, &lambda.ListAliasesInput{FunctionName: aws.String(f.ARN())})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Aliases...)
	}
	return all, nil
}

// AliasTargets maps each version some alias routes to (as its version or
// with a weight) to one such alias.
func (f *Function) AliasTargets(ctx context.Context) (map[string]string, error) {
	aliases, err := f.Aliases(ctx)
	if err != nil {
		return map[string]string{}, err
	}
	return Targets(aliases), nil
}

// Targets maps each version aliases route to to one alias that does.
func Targets(aliases []types.AliasConfiguration) map[string]string {
	targets := map[string]string{}
	for _, a := range aliases {
		name := aws.ToString(a.Name)
		targets[aws.ToString(a.FunctionVersion)] = name
		if a.RoutingConfig != nil {
			for v := range a.RoutingConfig.AdditionalVersionWeights {
				targets[v] = name
			}
		}
	}
	return targets
}

// optional is nil for "", so that a field is left as it is.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
