package tuning

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// cleanup undoes what the ledger says the run did: aliases first (a version
// an alias points to cannot be deleted), then the versions the run created,
// then $LATEST. It runs on a fresh context bounded by Config.CleanupTimeout,
// so a cancelled or timed-out run still cleans up.
func (r *run) cleanup(parent context.Context) error {
	if !r.ledger.dirty() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), r.s.cleanupTimeout)
	defer cancel()
	aliases, _ := r.ledger.remaining()
	var errs []error
	if copies := r.ledger.remainingCopies(); len(copies) > 0 {
		r.emit(Event{Phase: "cleanup", Message: fmt.Sprintf("deleting %d copies of the function", len(copies))})
		errs = append(errs, r.deleteCopies(ctx)...)
	}
	if err := r.deleteStagedCode(ctx); err != nil {
		errs = append(errs, err)
	}
	if len(aliases) > 0 || !r.usesCopies() {
		r.emit(Event{Phase: "cleanup", Message: fmt.Sprintf("deleting %d aliases and the versions the run published", len(aliases))})
	}
	for _, alias := range aliases {
		if err := r.deleteAlias(ctx, alias); err != nil {
			errs = append(errs, err)
		}
	}
	if err := r.settleUnsurePublishes(ctx); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, r.deleteVersions(ctx)...)
	if err := r.restoreLatest(ctx); err != nil {
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil
	}

	aliases, versions := r.ledger.remaining()
	want := r.restoreTarget()
	cur, known := r.ledger.latest()
	return &CleanupError{
		Function:            r.arn,
		RemainingAliases:    aliases,
		RemainingVersions:   versions,
		RemainingCopies:     r.ledger.remainingCopies(),
		RemainingStagedCode: r.ledger.stagedCode(false),
		LatestMemory:        r.ledger.latestMemorySeen(),
		OriginalMemory:      want.memory,
		DescriptionChanged:  r.in.OnlyColdStarts && (!known || cur.description != want.description),
		Err:                 errors.Join(errs...),
	}
}

func (r *run) deleteAlias(ctx context.Context, alias string) error {
	_, err := r.lam.DeleteAlias(ctx, &lambda.DeleteAliasInput{
		FunctionName: aws.String(r.arn),
		Name:         aws.String(alias),
	})
	if err != nil && !isNotFound(err) {
		return &StepError{Operation: "DeleteAlias", Function: r.arn, Err: fmt.Errorf("alias %s: %w", alias, err)}
	}
	r.ledger.aliasDeleted(alias)
	return nil
}

// deleteVersions deletes each version the run created, once. A version an
// alias still points to is not deleted: if the alias is the run's (its
// deletion failed) the version is reported as remaining; if it is anyone
// else's, the version is theirs now and is left alone.
func (r *run) deleteVersions(ctx context.Context) []error {
	_, versions := r.ledger.remaining()
	if len(versions) == 0 {
		return nil
	}
	var errs []error
	referenced, err := r.aliasTargets(ctx)
	if err != nil {
		errs = append(errs, &StepError{Operation: "ListAliases", Function: r.arn, Err: err})
	}
	for _, v := range versions {
		if alias, ok := referenced[v]; ok {
			r.keepReferenced(v, alias)
			continue
		}
		err := r.deleteVersion(ctx, v)
		switch {
		case err == nil:
		case isVersionReferenced(err):
			r.keepReferenced(v, "")
		default:
			errs = append(errs, &StepError{Operation: "DeleteFunction", Function: r.arn, Err: fmt.Errorf("version %s: %w", v, err)})
		}
	}
	return errs
}

// keepReferenced leaves a version an alias points to. If the alias is not
// one of the run's, the version is no longer the run's to delete.
func (r *run) keepReferenced(version, alias string) {
	if alias != "" && r.ledger.hasAlias(alias) {
		return // stays in the ledger: reported as remaining
	}
	r.ledger.forgetVersion(version)
	r.emit(Event{Phase: "cleanup", Message: fmt.Sprintf("keeping version %s: alias %s points to it", version, cmp.Or(alias, "(another)"))})
}

// aliasTargets maps each version some alias routes to (as its version or
// with a weight) to one such alias.
func (r *run) aliasTargets(ctx context.Context) (map[string]string, error) {
	targets := map[string]string{}
	pages := lambda.NewListAliasesPaginator(r.lam, &lambda.ListAliasesInput{FunctionName: aws.String(r.arn)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return targets, err
		}
		for _, a := range page.Aliases {
			name := aws.ToString(a.Name)
			targets[aws.ToString(a.FunctionVersion)] = name
			if a.RoutingConfig != nil {
				for v := range a.RoutingConfig.AdditionalVersionWeights {
					targets[v] = name
				}
			}
		}
	}
	return targets, nil
}

// settleUnsurePublishes finds versions that a PublishVersion whose answer
// was lost (error, cancellation) may have created: newer than the run's
// start, not recorded, and with the memory and description that call
// published. Those are the run's and get deleted with the others.
func (r *run) settleUnsurePublishes(ctx context.Context) error {
	unsure := r.ledger.takeUnsure()
	if len(unsure) == 0 {
		return nil
	}
	pages := lambda.NewListVersionsByFunctionPaginator(r.lam, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(r.arn)})
	var found []types.FunctionConfiguration
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			r.ledger.putUnsureBack(unsure)
			return &StepError{Operation: "ListVersionsByFunction", Function: r.arn,
				Err: fmt.Errorf("checking whether an interrupted PublishVersion created a version: %w", err)}
		}
		found = append(found, page.Versions...)
	}
	for _, v := range found {
		version := aws.ToString(v.Version)
		if versionNumber(version) <= r.maxPreVersion || r.ledger.hasVersion(version) {
			continue
		}
		for _, u := range unsure {
			if aws.ToInt32(v.MemorySize) == u.power && aws.ToString(v.Description) == u.description {
				r.ledger.addVersion(version)
				break
			}
		}
	}
	return nil
}

// restoreLatest puts $LATEST back (memory and description, or the optimum
// with auto_optimize and no alias) and waits for the update to finish. It
// reads the real configuration first: the run's last update may have been
// interrupted.
func (r *run) restoreLatest(ctx context.Context) error {
	want := r.restoreTarget()
	if !r.ledger.wasTouched() && want == r.original {
		return nil
	}
	fn, err := r.lam.GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: aws.String(r.arn),
		Qualifier:    aws.String(latestQualifier),
	})
	if err == nil && fn.Configuration == nil {
		err = errors.New("the answer has no configuration")
	}
	if err != nil {
		return &StepError{Operation: "GetFunction", Function: r.arn, Err: err}
	}
	c := fn.Configuration
	now := latestState{memory: aws.ToInt32(c.MemorySize), description: aws.ToString(c.Description)}
	r.ledger.saw(now.memory)
	if now == want {
		if c.LastUpdateStatus == types.LastUpdateStatusInProgress {
			if _, err := r.waitUpdated(ctx, time.Time{}); err != nil {
				return &StepError{Operation: "UpdateFunctionConfiguration", Function: r.arn, Power: want.memory, Err: err}
			}
		}
		r.ledger.setCurrent(now)
		return nil
	}
	r.ledger.setCurrent(now)
	if want.memory != r.original.memory {
		r.emit(Event{Phase: "optimize", Power: want.memory, Message: fmt.Sprintf("setting $LATEST memory to the optimum, %d MB", want.memory)})
	}
	return r.setLatest(ctx, want.memory, want, true)
}
