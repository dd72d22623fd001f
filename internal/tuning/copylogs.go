package tuning

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// deleteCopyLogGroups deletes the default log groups of deleted copies:
// Lambda creates /aws/lambda/<name> on a function's first invocation and
// never deletes it. A group that does not exist is fine; one that cannot
// be deleted is a warning, never a failure: the copies are gone.
func (r *run) deleteCopyLogGroups(ctx context.Context, copies []string) {
	if len(copies) == 0 || !r.copiesLogToOwnGroups() {
		return
	}
	logs := r.e.cfg.Clients.Logs(r.region)
	var denied, failed []string
	var failure error
	for _, name := range copies {
		group := "/aws/lambda/" + name
		_, err := logs.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(group)})
		switch {
		case err == nil || isNotFound(err):
		case isAccessDenied(err):
			denied = append(denied, group)
		default:
			failed, failure = append(failed, group), err
		}
	}
	if len(denied) > 0 {
		r.warn(fmt.Sprintf("The copies of %s were deleted, but CloudWatch Logs DeleteLogGroup was denied for their log groups, which remain: %s. "+
			"Grant logs:DeleteLogGroup on %s to have them deleted, or delete them yourself.",
			r.arn, strings.Join(denied, ", "), r.copyLogGroupsARN()))
	}
	if len(failed) > 0 {
		r.warn(fmt.Sprintf("The copies of %s were deleted, but CloudWatch Logs DeleteLogGroup failed for their log groups, which remain: %s: %v",
			r.arn, strings.Join(failed, ", "), failure))
	}
}

// copyLogGroupsARN covers the log groups of every copy of the function,
// for the permission a warning asks for.
func (r *run) copyLogGroupsARN() string {
	parts := strings.Split(r.arn, ":")
	return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:/aws/lambda/%s*", parts[1], parts[3], parts[4], r.copyPrefix())
}

// warn reports something the user should act on that did not fail the
// run: a progress event now, and a warning diagnostic with the report.
func (r *run) warn(message string) {
	r.emit(Event{Phase: "cleanup", Message: message})
	r.warningsMu.Lock()
	r.warnings = append(r.warnings, message)
	r.warningsMu.Unlock()
}
