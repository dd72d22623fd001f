package lambdaops

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// KnowVersions lists the function's versions once: versions are numbered
// 1, 2, … and never reused, so any version PublishVersion returns above the
// newest listed was created by this run. Versions a run marked are an
// interrupted run's leftovers.
func (f *Function) KnowVersions(ctx context.Context) error {
	f.mu.Lock()
	known := f.versionsRead
	f.mu.Unlock()
	if known {
		return nil
	}
	versions, err := f.Versions(ctx)
	if err != nil {
		return f.stepError("ListVersionsByFunction", 0, err)
	}
	var highest int64
	leftovers := false
	for _, v := range versions {
		version := aws.ToString(v.Version)
		highest = max(highest, ledger.VersionNumber(version))
		leftovers = leftovers || (version != Latest && runrecord.IsMarked(aws.ToString(v.Description)))
	}
	f.mu.Lock()
	f.versionsRead, f.maxPreVersion = true, highest
	f.leftovers = f.leftovers || leftovers
	f.mu.Unlock()
	return nil
}

func (f *Function) preRunVersion() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxPreVersion
}

// Versions lists every version of the function.
func (f *Function) Versions(ctx context.Context) ([]types.FunctionConfiguration, error) {
	var all []types.FunctionConfiguration
	pages := lambda.NewListVersionsByFunctionPaginator(f.lam, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(f.ARN())})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Versions...)
	}
	return all, nil
}

// Configure sets $LATEST memory (and description, nil keeping the original)
// and publishes it as a version described so, which it returns. When
// someone changed the function between the update and the publish, the
// step is done again on what they left (new code stops the run).
func (f *Function) Configure(ctx context.Context, power int32, description *string, versionDescription string) (string, error) {
	for attempt := 0; ; attempt++ {
		if err := f.SetLatest(ctx, power, description, false); err != nil {
			return "", err
		}
		version, err := f.Publish(ctx, power, versionDescription)
		if !errors.Is(err, errStale) {
			return version, err
		}
		if attempt == staleRetries {
			return "", f.stepError("PublishVersion", power, err)
		}
		if err := f.othersChanged(ctx, "PublishVersion"); err != nil {
			return "", err
		}
	}
}

// Publish publishes $LATEST (KnowVersions must have run) and records the
// version if the run created it. PublishVersion returns the newest existing
// version when nothing changed since it was published; that one may be the
// user's and is never recorded. It carries the CodeSha256 the run read and
// the RevisionId it last saw: a version of other code or settings is never
// published (the error wraps errStale; Configure reads and tries again).
func (f *Function) Publish(ctx context.Context, power int32, description string) (string, error) {
	f.mu.Lock()
	code := f.code
	f.mu.Unlock()
	var out *lambda.PublishVersionOutput
	err := f.Mutate(ctx, func(ctx context.Context) error {
		var err error
		out, err = f.lam.PublishVersion(ctx, &lambda.PublishVersionInput{
			FunctionName: aws.String(f.ARN()),
			Description:  aws.String(description),
			CodeSha256:   optional(code),
			RevisionId:   f.lastRevision(),
		})
		return err
	})
	if isStale(err) {
		return "", fmt.Errorf("%w: %w", errStale, err) // refused: nothing was published
	}
	if err != nil {
		// The request may have reached Lambda: clean-up checks for a version.
		f.ledger.AddUnsure(ledger.UnsurePublish{Power: power, Description: description})
		return "", f.stepError("PublishVersion", power, err)
	}
	version := aws.ToString(out.Version)
	f.mu.Lock()
	f.changed = true // what is measured from now on is the run's: a change by others is told, not taken as the original
	f.mu.Unlock()
	f.events.Emit(progress.Event{Kind: progress.VersionPublished, Power: power, Message: "version " + version})
	if ledger.VersionNumber(version) > f.preRunVersion() {
		f.ledger.AddVersion(version)
	}
	if got := aws.ToInt32(out.MemorySize); got != power {
		return "", f.stepError("PublishVersion", power,
			fmt.Errorf("version %s has %d MB, not %d MB: $LATEST was changed by someone else during the run", version, got, power))
	}
	return version, nil
}

// DeleteVersion deletes one of the run's versions and forgets it. A version
// an alias still points to is refused by Lambda and kept for clean-up,
// which tells the run's aliases from anyone else's.
func (f *Function) DeleteVersion(ctx context.Context, version string) error {
	err := f.deleteQualified(ctx, version)
	if err == nil || faults.IsNotFound(err) {
		f.ledger.ForgetVersion(version)
		return nil
	}
	return err
}

// deleteQualified deletes one version of the function.
func (f *Function) deleteQualified(ctx context.Context, version string) error {
	return f.WhileBusy(ctx, func(ctx context.Context) error {
		_, err := f.lam.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(f.ARN()), Qualifier: aws.String(version)})
		return err
	})
}

// DeleteMarkedVersion deletes a version an interrupted run published.
// kept says an alias refers to it, so it stays.
func (f *Function) DeleteMarkedVersion(ctx context.Context, version string) (kept bool, err error) {
	err = f.deleteQualified(ctx, version)
	switch {
	case err == nil || faults.IsNotFound(err):
		return false, nil
	case faults.IsVersionReferenced(err):
		return true, nil
	}
	return false, err
}

// deleteVersions deletes each version the run created, once. A version an
// alias still points to is not deleted: if the alias is the run's (its
// deletion failed) the version is reported as remaining; if it is anyone
// else's, the version is theirs now and is left alone.
func (f *Function) deleteVersions(ctx context.Context) []error {
	_, versions := f.ledger.Remaining()
	if len(versions) == 0 {
		return nil
	}
	var errs []error
	referenced, err := f.AliasTargets(ctx)
	if err != nil {
		errs = append(errs, f.stepError("ListAliases", 0, err))
	}
	for _, v := range versions {
		if alias, ok := referenced[v]; ok {
			f.keepReferenced(v, alias)
			continue
		}
		err := f.DeleteVersion(ctx, v)
		switch {
		case err == nil:
		case faults.IsVersionReferenced(err):
			f.keepReferenced(v, "")
		default:
			errs = append(errs, f.stepError("DeleteFunction", 0, fmt.Errorf("version %s: %w", v, err)))
		}
	}
	return errs
}

// keepReferenced leaves a version an alias points to. If the alias is not
// one of the run's, the version is no longer the run's to delete.
func (f *Function) keepReferenced(version, alias string) {
	if alias != "" && f.ledger.HasAlias(alias) {
		return // stays in the ledger: reported as remaining
	}
	f.ledger.ForgetVersion(version)
	f.events.Emit(progress.Event{Kind: progress.Cleanup, Message: fmt.Sprintf("keeping version %s: alias %s points to it", version, cmp.Or(alias, "(another)"))})
}

// settleUnsurePublishes finds versions that a PublishVersion whose answer
// was lost (error, cancellation) may have created: newer than the run's
// start, not recorded, and with the memory and description that call
// published. Those are the run's and get deleted with the others.
func (f *Function) settleUnsurePublishes(ctx context.Context) error {
	unsure := f.ledger.TakeUnsure()
	if len(unsure) == 0 {
		return nil
	}
	found, err := f.Versions(ctx)
	if err != nil {
		f.ledger.PutUnsureBack(unsure)
		return f.stepError("ListVersionsByFunction", 0, fmt.Errorf("checking whether an interrupted PublishVersion created a version: %w", err))
	}
	for _, v := range found {
		version := aws.ToString(v.Version)
		if ledger.VersionNumber(version) <= f.preRunVersion() || f.ledger.HasVersion(version) {
			continue
		}
		for _, u := range unsure {
			if aws.ToInt32(v.MemorySize) == u.Power && aws.ToString(v.Description) == u.Description {
				f.ledger.AddVersion(version)
				break
			}
		}
	}
	return nil
}
