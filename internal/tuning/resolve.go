package tuning

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

const latestQualifier = "$LATEST"

// resolve reads what the run needs to know about the function, and what it
// must restore, before anything is changed.
func (r *run) resolve(ctx context.Context) error {
	// Copies may be made of a version or alias; in place is always $LATEST.
	name, qualifier := r.in.LambdaARN, latestQualifier
	if q := qualifierOf(r.in.LambdaARN); q != "" {
		name, qualifier = strings.TrimSuffix(r.in.LambdaARN, ":"+q), q
	}
	out, err := r.lam.GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: aws.String(name),
		Qualifier:    aws.String(qualifier),
	})
	if err != nil {
		return &StepError{Operation: "GetFunction", Function: r.in.LambdaARN, Err: err}
	}
	c := out.Configuration
	if c == nil {
		return &StepError{Operation: "GetFunction", Function: r.in.LambdaARN, Err: errors.New("the answer has no configuration")}
	}
	r.arn = unqualifiedARN(aws.ToString(c.FunctionArn))
	r.architecture = string(types.ArchitectureX8664)
	if len(c.Architectures) > 0 {
		r.architecture = string(c.Architectures[0])
	}
	if c.LoggingConfig != nil {
		r.logFormat = string(c.LoggingConfig.LogFormat)
	}
	r.codeSha256 = aws.ToString(c.CodeSha256)
	r.leftovers = isRunAlias(aws.ToString(c.Description))
	r.original = latestState{memory: aws.ToInt32(c.MemorySize), description: aws.ToString(c.Description)}

	// A function still being created or updated (by someone else) is waited
	// for, so that what we remember to restore is its settled configuration.
	pending := c.State == types.StatePending || c.LastUpdateStatus == types.LastUpdateStatusInProgress
	if pending && qualifier == latestQualifier {
		settled, err := r.waitUpdated(ctx, time.Time{})
		if err != nil {
			return &StepError{Operation: "GetFunction", Function: r.arn, Err: err}
		}
		r.original = settled
	}
	r.ledger.setCurrent(r.original)
	r.price = r.e.cfg.Prices.Lookup(r.region, r.architecture)

	// Before anything changes, leftover copies included.
	if err := r.checkProcessors(ctx); err != nil {
		return err
	}
	if r.usesCopies() {
		if err := r.resolveCopies(ctx, out); err != nil {
			return err
		}
	} else if err := r.resolveInPlace(ctx); err != nil {
		return err
	}
	if err := r.checkReleased(ctx, c); err != nil {
		return err
	}
	r.emit(Event{Phase: "resolve", Message: fmt.Sprintf("resolved %s: %d MB, %s, %s logs, %s price %g per GB-second",
		r.arn, r.original.memory, r.architecture, cmp.Or(r.logFormat, "Text"), r.price.Currency, r.price.PerGBSecond)})
	return nil
}

// resolveInPlace learns what clean-up needs to tell the run's versions and
// aliases from everyone else's.
func (r *run) resolveInPlace(ctx context.Context) error {
	var err error
	r.maxPreVersion, err = r.highestVersion(ctx)
	if err != nil {
		return &StepError{Operation: "ListVersionsByFunction", Function: r.arn, Err: err}
	}
	return r.checkAliasesAreOurs(ctx)
}

// resolveCopies reads what the copies are made of and removes the copies
// (and staged packages) a killed run left. The function itself is only read; auto_optimize_alias
// later publishes a version, so the existing ones are counted first.
func (r *run) resolveCopies(ctx context.Context, out *lambda.GetFunctionOutput) error {
	if r.optimizesAlias() {
		var err error
		if r.maxPreVersion, err = r.highestVersion(ctx); err != nil {
			return &StepError{Operation: "ListVersionsByFunction", Function: r.arn, Err: err}
		}
	}
	if err := r.resolveCopySource(ctx, out); err != nil {
		return err
	}
	if err := r.removeLeftoverCopies(ctx); err != nil {
		return err
	}
	r.removeLeftoverStagedCode(ctx)
	return nil
}

// checkProcessors makes sure each processor exists (and may be read) before
// the function is reconfigured, not at its first invocation.
func (r *run) checkProcessors(ctx context.Context) error {
	processors := []struct{ attribute, arn string }{
		{attrPreProcessorARN, r.in.PreProcessorARN},
		{attrPostProcessorARN, r.in.PostProcessorARN},
	}
	for _, p := range processors {
		if p.arn == "" {
			continue
		}
		region, _, isARN := ParseFunctionARN(p.arn)
		if !isARN || region == "" {
			region = r.region
		}
		_, err := r.e.cfg.Clients.Lambda(region).GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{
			FunctionName: aws.String(p.arn),
		})
		if err != nil {
			step := &StepError{Operation: "GetFunctionConfiguration", Function: p.arn, Err: err}
			return &InputError{Attribute: p.attribute, Err: step,
				Message: fmt.Sprintf("the processor %s cannot be read, so the run stopped before changing anything; check the ARN and allow lambda:GetFunctionConfiguration on it: %v",
					p.arn, step)}
		}
	}
	return nil
}

// highestVersion is the newest published version before the run; versions
// are numbered 1, 2, … and never reused, so any version PublishVersion
// returns above it was created by this run.
func (r *run) highestVersion(ctx context.Context) (int64, error) {
	var highest int64
	pages := lambda.NewListVersionsByFunctionPaginator(r.lam, &lambda.ListVersionsByFunctionInput{
		FunctionName: aws.String(r.arn),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return 0, err
		}
		for _, v := range page.Versions {
			highest = max(highest, versionNumber(aws.ToString(v.Version)))
			if aws.ToString(v.Version) != latestQualifier && isRunVersion(aws.ToString(v.Description)) {
				r.leftovers = true
			}
		}
	}
	return highest, nil
}

// foreignAlias is an existing alias with a name the run would create that
// no tuning run created.
type foreignAlias struct {
	name, version string
	power         int32
}

// checkAliasesAreOurs fails the run, before it changes anything, if an alias
// it would create exists and is not a leftover of a tuning run: taking it
// over would repoint and then delete someone's alias.
func (r *run) checkAliasesAreOurs(ctx context.Context) error {
	wanted := map[string]int32{} // alias name → its power value
	for _, p := range r.powers {
		for _, name := range r.aliasNames(p) {
			wanted[name] = p
		}
	}
	var foreign []foreignAlias
	pages := lambda.NewListAliasesPaginator(r.lam, &lambda.ListAliasesInput{FunctionName: aws.String(r.arn)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return &StepError{Operation: "ListAliases", Function: r.arn, Err: err}
		}
		for _, a := range page.Aliases {
			name := aws.ToString(a.Name)
			power, ok := wanted[name]
			leftover := isRunAlias(aws.ToString(a.Description)) && runAliasName.MatchString(name)
			r.leftovers = r.leftovers || leftover || name == runrecord.DescriptionAlias
			switch {
			case !ok, leftover:
			default:
				foreign = append(foreign, foreignAlias{name: name, version: aws.ToString(a.FunctionVersion), power: power})
			}
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	step := &StepError{Operation: "ListAliases", Function: r.arn, Err: foreignAliasesError(foreign)}
	if len(foreign) == 1 {
		step.Power = foreign[0].power
	}
	return step
}

// foreignAliasesError wraps ErrAliasNotOurs, naming each alias and its
// version and saying how to get out of the way.
func foreignAliasesError(foreign []foreignAlias) error {
	slices.SortFunc(foreign, func(a, b foreignAlias) int {
		return cmp.Or(cmp.Compare(a.power, b.power), cmp.Compare(a.name, b.name))
	})
	var names, powers []string
	for _, a := range foreign {
		names = append(names, fmt.Sprintf("%s (version %s)", a.name, a.version))
		if p := strconv.Itoa(int(a.power)); !slices.Contains(powers, p) {
			powers = append(powers, p)
		}
	}
	return fmt.Errorf("%w: %s; rename or delete %s, or drop %s from power_values", ErrAliasNotOurs,
		strings.Join(names, ", "), plural(len(foreign), "that alias", "those aliases"), strings.Join(powers, ", "))
}

// unqualifiedARN drops a ":qualifier" from a function ARN
// (arn:partition:lambda:region:account:function:name[:qualifier]).
func unqualifiedARN(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 7 {
		return strings.Join(parts[:7], ":")
	}
	return arn
}
