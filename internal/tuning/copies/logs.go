package copies

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// groupsLeft are the log groups of deleted copies that could not be
// deleted, told in one warning at the end. Safe for concurrent use.
type groupsLeft struct {
	mu      sync.Mutex
	denied  []string
	failed  []string
	failure error
}

// deleteLogGroups deletes the default log groups of deleted copies:
// Lambda creates /aws/lambda/<name> on a function's first invocation and
// never deletes it. A group that does not exist is fine; one that cannot be
// deleted is kept for warnLogGroups, never a failure: the copies are gone.
func (t *Target) deleteLogGroups(ctx context.Context, copies []string) (deleted []string) {
	if !t.logToOwnGroups() {
		return nil
	}
	groups := make([]string, len(copies))
	for i, name := range copies {
		groups[i] = "/aws/lambda/" + name
	}
	return t.deleteGroups(ctx, groups)
}

// deleteGroups deletes log groups and returns those it deleted; one that
// does not exist is fine.
func (t *Target) deleteGroups(ctx context.Context, groups []string) (deleted []string) {
	logs := t.env.Clients.Logs(t.fn.Region())
	left := &t.groupsLeft
	for _, group := range groups {
		_, err := logs.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(group)})
		left.mu.Lock()
		switch {
		case err == nil:
			deleted = append(deleted, group)
		case faults.IsNotFound(err):
		case faults.IsAccessDenied(err):
			left.denied = append(left.denied, group)
		default:
			left.failed, left.failure = append(left.failed, group), err
		}
		left.mu.Unlock()
	}
	return deleted
}

// warnLogGroups warns once of the log groups that could not be deleted.
func (t *Target) warnLogGroups() {
	left := &t.groupsLeft
	left.mu.Lock()
	defer left.mu.Unlock()
	if len(left.denied) > 0 {
		t.env.Warn(fmt.Sprintf("The copies of %s were deleted, but CloudWatch Logs DeleteLogGroup was denied for their log groups, which remain: %s. "+
			"Grant logs:DeleteLogGroup on %s to have them deleted, or delete them yourself.",
			t.fn.ARN(), strings.Join(left.denied, ", "), t.logGroupsARN()))
	}
	if len(left.failed) > 0 {
		t.env.Warn(fmt.Sprintf("The copies of %s were deleted, but CloudWatch Logs DeleteLogGroup failed for their log groups, which remain: %s: %v",
			t.fn.ARN(), strings.Join(left.failed, ", "), left.failure))
	}
	left.denied, left.failed, left.failure = nil, nil, nil
}

// logGroupsARN covers the log groups of every copy of the function,
// for the permission a warning asks for.
func (t *Target) logGroupsARN() string {
	parts := strings.Split(t.fn.ARN(), ":")
	return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:/aws/lambda/%s*", parts[1], parts[3], parts[4], t.prefix())
}

// logging is the function's logging configuration, except that the
// function's default log group (/aws/lambda/<name>, which GetFunction
// names) is left out: each copy then logs to its own default group instead
// of mixing its logs into the function's. A custom group is kept.
func (t *Target) logging() *types.LoggingConfig {
	lc := t.fn.Read().Configuration.LoggingConfig
	if lc == nil {
		return nil
	}
	out := *lc
	_, name, _ := spec.ParseFunctionARN(t.fn.ARN())
	if aws.ToString(out.LogGroup) == "/aws/lambda/"+name {
		out.LogGroup = nil
	}
	return &out
}

// logToOwnGroups: copies log to /aws/lambda/<copy name> unless the
// function's logging configuration names a custom log group they share.
func (t *Target) logToOwnGroups() bool {
	lc := t.logging()
	return lc == nil || aws.ToString(lc.LogGroup) == ""
}
