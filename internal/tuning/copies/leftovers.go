package copies

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	return nil
}

// RemoveLeftovers deletes the copies Resolve found that killed runs left,
// and the packages such runs staged.
func (t *Target) RemoveLeftovers(ctx context.Context) error {
	var deleted []string
	for _, name := range t.leftovers {
		t.fn.Events().Note(0, "deleting %s, a copy an interrupted run left", name)
		if err := t.deleteCopy(ctx, name); err != nil {
			return &faults.StepError{Operation: "DeleteFunction", Function: name, Err: fmt.Errorf("deleting a copy of %s an interrupted run left: %w", t.fn.ARN(), err)}
		}
		deleted = append(deleted, name)
	}
	t.deleteLogGroups(ctx, deleted)
	t.warnLogGroups()
	t.removeLeftoverStagedCode(ctx)
	return nil
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
