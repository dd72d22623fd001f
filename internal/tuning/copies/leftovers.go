package copies

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
)

// findLeftovers finds the copies of this function that an interrupted run
// left: their lease ran out, their process ended, or they carry none.
// Copies of a live run, in this process or another, are left alone; their
// names hold their run ID, so they never collide with this run's.
func (t *Target) findLeftovers(ctx context.Context) error {
	prefix := t.prefix()
	pages := lambda.NewListFunctionsPaginator(t.fn.Lambda(), &lambda.ListFunctionsInput{})
	var leftovers []string
	existing := map[string]bool{}
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return &faults.StepError{Operation: "ListFunctions", Function: t.fn.ARN(), Err: fmt.Errorf("looking for copies an interrupted run left: %w", err)}
		}
		for _, f := range page.Functions {
			name := aws.ToString(f.FunctionName)
			if !strings.HasPrefix(name, prefix) {
				continue
			}
			existing[name] = true
			leftover, err := t.leftover(ctx, name, aws.ToString(f.FunctionArn))
			if err != nil {
				return err
			}
			if leftover {
				leftovers = append(leftovers, name)
			}
		}
	}
	t.leftovers = leftovers
	groups, err := t.orphanedLogGroups(ctx, existing)
	if err != nil {
		return err
	}
	t.orphanGroups = groups
	return nil
}

// orphanedLogGroups are the log groups of copies that no longer exist: a
// run killed between deleting a copy and its log group leaves one, and a
// copy's group outlives it. Groups of existing copies go with them.
func (t *Target) orphanedLogGroups(ctx context.Context, existing map[string]bool) ([]string, error) {
	if !t.logToOwnGroups() {
		return nil, nil
	}
	groupPrefix := "/aws/lambda/" + t.prefix()
	pages := cloudwatchlogs.NewDescribeLogGroupsPaginator(t.env.Clients.Logs(t.fn.Region()),
		&cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(groupPrefix)})
	var orphans []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if faults.IsAccessDenied(err) {
			// Optional (logs:DescribeLogGroups): said in the progress log only.
			t.fn.Events().Note(0, "not looking for log groups of copies interrupted runs left: DescribeLogGroups: %v", err)
			return nil, nil
		}
		if err != nil {
			return nil, &faults.StepError{Operation: "DescribeLogGroups", Function: t.fn.ARN(), Err: fmt.Errorf("looking for log groups of copies an interrupted run left: %w", err)}
		}
		for _, g := range page.LogGroups {
			group := aws.ToString(g.LogGroupName)
			if !existing[strings.TrimPrefix(group, "/aws/lambda/")] {
				orphans = append(orphans, group)
			}
		}
	}
	return orphans, nil
}

// RemoveLeftovers deletes what Resolve found that killed runs left: copies
// and their log groups, log groups of copies already gone, and the
// packages such runs staged; then it tells all of it in one warning.
func (t *Target) RemoveLeftovers(ctx context.Context) error {
	var deleted, groups []string
	defer func() { t.tellRecovery(deleted, groups) }()
	for _, name := range t.leftovers {
		t.fn.Events().Note(0, "deleting %s, a copy an interrupted run left", name)
		if err := t.deleteCopy(ctx, name); err != nil {
			return &faults.StepError{Operation: "DeleteFunction", Function: name, Err: fmt.Errorf("deleting a copy of %s an interrupted run left: %w", t.fn.ARN(), err)}
		}
		deleted = append(deleted, name)
	}
	groups = append(t.deleteLogGroups(ctx, deleted), t.deleteGroups(ctx, t.orphanGroups)...)
	t.warnLogGroups()
	t.removeLeftoverStagedCode(ctx)
	return nil
}

// tellRecovery warns, once, of everything recovered of killed runs.
func (t *Target) tellRecovery(copies, groups []string) {
	var found []string
	if len(copies) > 0 {
		found = append(found, "deleted "+faults.Plural(len(copies), "copy ", "copies ")+strings.Join(copies, ", "))
	}
	if len(groups) > 0 {
		found = append(found, "deleted log "+faults.Plural(len(groups), "group ", "groups ")+strings.Join(groups, ", ")+
			orphansNote(len(t.orphanGroups)))
	}
	if len(t.stagedDeleted) > 0 {
		found = append(found, "deleted the staged "+faults.Plural(len(t.stagedDeleted), "package ", "packages ")+strings.Join(t.stagedDeleted, ", "))
	}
	if len(found) > 0 {
		t.env.Warn(fmt.Sprintf("Recovered what interrupted tuning runs left of copies of %s: %s. The function itself was not touched.",
			t.fn.ARN(), strings.Join(found, "; ")))
	}
}

// deleteCopy deletes a whole copy; one already gone counts as deleted.
func (t *Target) deleteCopy(ctx context.Context, name string) error {
	err := t.fn.WhileBusy(ctx, func(ctx context.Context) error {
		_, err := t.fn.Lambda().DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name)})
		return err
	})
	if faults.IsNotFound(err) {
		return nil
	}
	return err
}

// orphansNote says how many groups belonged to copies already gone.
func orphansNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d of copies already gone)", n)
}
