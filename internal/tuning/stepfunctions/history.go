package stepfunctions

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// maxHistoryPages bounds the history read to explain a failure (1,000 events a page).
const maxHistoryPages = 20

// failure is the first error the history shows and the state it happened in.
type failure struct {
	state, error, cause string
}

// firstFailure reads the history from the start and returns its first error:
// a failed task, Lambda call or execution, or an error caught into a state's
// input (how the original tool hands errors to its clean-up state).
func firstFailure(ctx context.Context, api API, arn string) (failure, error) {
	pages := sfn.NewGetExecutionHistoryPaginator(api, &sfn.GetExecutionHistoryInput{
		ExecutionArn: aws.String(arn), MaxResults: 1000,
	})
	var entered, previous string // the state entered last, and the one before it
	for page := 0; pages.HasMorePages() && page < maxHistoryPages; page++ {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return failure{}, &CallError{Operation: "GetExecutionHistory", ARN: arn, Err: err}
		}
		for _, ev := range out.Events {
			if d := ev.StateEnteredEventDetails; d != nil {
				if e, c, ok := caughtError(aws.ToString(d.Input)); ok {
					return failure{state: entered, error: e, cause: c}, nil
				}
				previous, entered = entered, aws.ToString(d.Name)
				continue
			}
			if e, c, ok := eventError(ev); ok {
				state := entered
				if ev.Type == types.HistoryEventTypeExecutionFailed && state == "" {
					state = previous
				}
				return failure{state: state, error: e, cause: c}, nil
			}
		}
	}
	return failure{state: entered}, nil
}

// eventError is the error and cause of a failure event.
func eventError(ev types.HistoryEvent) (string, string, bool) {
	switch {
	case ev.TaskFailedEventDetails != nil:
		return aws.ToString(ev.TaskFailedEventDetails.Error), aws.ToString(ev.TaskFailedEventDetails.Cause), true
	case ev.LambdaFunctionFailedEventDetails != nil:
		return aws.ToString(ev.LambdaFunctionFailedEventDetails.Error), aws.ToString(ev.LambdaFunctionFailedEventDetails.Cause), true
	case ev.TaskTimedOutEventDetails != nil:
		return aws.ToString(ev.TaskTimedOutEventDetails.Error), aws.ToString(ev.TaskTimedOutEventDetails.Cause), true
	case ev.LambdaFunctionTimedOutEventDetails != nil:
		return aws.ToString(ev.LambdaFunctionTimedOutEventDetails.Error), aws.ToString(ev.LambdaFunctionTimedOutEventDetails.Cause), true
	case ev.ExecutionFailedEventDetails != nil:
		return aws.ToString(ev.ExecutionFailedEventDetails.Error), aws.ToString(ev.ExecutionFailedEventDetails.Cause), true
	case ev.ExecutionTimedOutEventDetails != nil:
		return aws.ToString(ev.ExecutionTimedOutEventDetails.Error), aws.ToString(ev.ExecutionTimedOutEventDetails.Cause), true
	case ev.ExecutionAbortedEventDetails != nil:
		return aws.ToString(ev.ExecutionAbortedEventDetails.Error), aws.ToString(ev.ExecutionAbortedEventDetails.Cause), true
	}
	return "", "", false
}

// caughtError finds a Catch's {"Error","Cause"} in a state's input: at the
// top, or under "error" (the original tool's ResultPath).
func caughtError(input string) (string, string, bool) {
	if !strings.Contains(input, `"Error"`) {
		return "", "", false
	}
	type caught struct {
		Error *string `json:"Error"`
		Cause string  `json:"Cause"`
	}
	var doc struct {
		caught
		Nested *caught `json:"error"`
	}
	if json.Unmarshal([]byte(input), &doc) != nil {
		return "", "", false
	}
	for _, c := range []*caught{&doc.caught, doc.Nested} {
		if c != nil && c.Error != nil {
			return *c.Error, c.Cause, true
		}
	}
	return "", "", false
}
