package stepfunctions

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
)

// fakeExecution is one execution of fakeSFN: it answers RUNNING to
// runningPolls DescribeExecution calls, then its final status.
type fakeExecution struct {
	input        string
	runningPolls int
	status       types.ExecutionStatus
	output       string
	error, cause string
	events       []types.HistoryEvent
	stopped      bool
}

// fakeSFN is a Step Functions double: executions by ARN, the calls made,
// and onStart to script what a started execution does.
type fakeSFN struct {
	mu         sync.Mutex
	executions map[string]*fakeExecution
	starts     []sfn.StartExecutionInput
	stops      []sfn.StopExecutionInput
	describes  int
	onStart    func() *fakeExecution // nil: SUCCEEDED with okOutput
	onDescribe func(n int)           // called before each DescribeExecution answers
	failWith   map[string]error      // operation → error
}

const (
	testStateMachine = "arn:aws:states:eu-west-1:123456789012:stateMachine:powerTuning"
	testFunction     = "arn:aws:lambda:eu-west-1:123456789012:function:tuned"
	okOutput         = `{"power":512,"cost":0.0000021,"duration":30.5,"stateMachine":{"executionCost":0.00045,` +
		`"lambdaCost":0.000011,"visualization":"https://lambda-power-tuning.show/#x"},` +
		`"stats":[{"value":512,"averagePrice":0.0000021,"averageDuration":30.5},{"value":128,"averagePrice":0.0000012,"averageDuration":120}]}`
)

func newFakeSFN() *fakeSFN {
	return &fakeSFN{executions: map[string]*fakeExecution{}, failWith: map[string]error{}}
}

func apiErr(code string) error { return &smithy.GenericAPIError{Code: code, Message: code} }

func (f *fakeSFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failWith["StartExecution"]; err != nil {
		return nil, err
	}
	f.starts = append(f.starts, *in)
	arn := strings.Replace(aws.ToString(in.StateMachineArn), ":stateMachine:", ":execution:", 1) + ":" + aws.ToString(in.Name)
	if _, ok := f.executions[arn]; ok {
		return nil, apiErr("ExecutionAlreadyExists")
	}
	e := &fakeExecution{status: types.ExecutionStatusSucceeded, output: okOutput}
	if f.onStart != nil {
		e = f.onStart()
	}
	e.input = aws.ToString(in.Input)
	f.executions[arn] = e
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String(arn)}, nil
}

func (f *fakeSFN) DescribeExecution(_ context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	f.mu.Lock()
	f.describes++
	n, hook := f.describes, f.onDescribe
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failWith["DescribeExecution"]; err != nil {
		return nil, err
	}
	e, ok := f.executions[aws.ToString(in.ExecutionArn)]
	if !ok {
		return nil, apiErr("ExecutionDoesNotExist")
	}
	out := &sfn.DescribeExecutionOutput{ExecutionArn: in.ExecutionArn, Input: aws.String(e.input), Status: types.ExecutionStatusRunning}
	switch {
	case e.stopped:
		out.Status = types.ExecutionStatusAborted
	case e.runningPolls > 0:
		e.runningPolls--
	default:
		out.Status = e.status
		out.StopDate = aws.Time(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
		if e.status == types.ExecutionStatusSucceeded {
			out.Output = aws.String(e.output)
		}
		if e.error != "" || e.cause != "" {
			out.Error, out.Cause = aws.String(e.error), aws.String(e.cause)
		}
	}
	return out, nil
}

func (f *fakeSFN) GetExecutionHistory(_ context.Context, in *sfn.GetExecutionHistoryInput, _ ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failWith["GetExecutionHistory"]; err != nil {
		return nil, err
	}
	e, ok := f.executions[aws.ToString(in.ExecutionArn)]
	if !ok {
		return nil, apiErr("ExecutionDoesNotExist")
	}
	return &sfn.GetExecutionHistoryOutput{Events: e.events}, nil
}

func (f *fakeSFN) StopExecution(_ context.Context, in *sfn.StopExecutionInput, _ ...func(*sfn.Options)) (*sfn.StopExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stops = append(f.stops, *in)
	if e, ok := f.executions[aws.ToString(in.ExecutionArn)]; ok {
		e.stopped = true
	}
	return &sfn.StopExecutionOutput{}, nil
}

// put adds an execution under the seq-th name of these inputs.
func (f *fakeSFN) put(input string, triggers map[string]string, seq int, e *fakeExecution) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	arn := executionARN(testStateMachine, executionName(digest(input, triggers), seq))
	e.input = input
	f.executions[arn] = e
	return arn
}

// History event builders.
func entered(typ types.HistoryEventType, name, input string) types.HistoryEvent {
	return types.HistoryEvent{Type: typ, StateEnteredEventDetails: &types.StateEnteredEventDetails{Name: aws.String(name), Input: aws.String(input)}}
}

func executionFailed(errName, cause string) types.HistoryEvent {
	return types.HistoryEvent{Type: types.HistoryEventTypeExecutionFailed,
		ExecutionFailedEventDetails: &types.ExecutionFailedEventDetails{Error: aws.String(errName), Cause: aws.String(cause)}}
}

func taskFailed(errName, cause string) types.HistoryEvent {
	return types.HistoryEvent{Type: types.HistoryEventTypeTaskFailed,
		TaskFailedEventDetails: &types.TaskFailedEventDetails{Error: aws.String(errName), Cause: aws.String(cause)}}
}
