package stepfunctions

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Request is one tuning run on a state machine.
type Request struct {
	StateMachineARN string
	Function        report.Function // the resolved lambda_arn
	Input           spec.Input
	DefaultPowers   []int32           // the provider's default_power_values; nil: the deployment's
	Triggers        map[string]string // part of the execution name, so changing them starts a new execution
}

// Result is a finished execution mapped to a report.
type Result struct {
	ExecutionARN     string
	Reattached       bool    // the execution was already running under its name
	StateMachineCost float64 // stateMachine.executionCost
	Report           *report.Report
}

// Run starts the execution for req, or re-attaches to the one still running
// under its name, and waits for it until ctx ends, when it stops it.
//
// Names are namePrefix + a digest of the input and triggers + a sequence
// number: a RUNNING execution under a name is re-attached to (the process
// that started it died), a closed one means the next number.
func Run(ctx context.Context, api API, cfg Config, req Request) (*Result, error) {
	cfg = cfg.withDefaults()
	if refused := Unsupported(req.Input); len(refused) > 0 {
		return nil, &spec.InputError{Attribute: refused[0].Attribute, Message: refused[0].Reason}
	}
	if err := refuseKind(req.Function); err != nil {
		return nil, err
	}
	input, err := NewExecutionInput(req.Input, req.Function.ARN, req.DefaultPowers)
	if err != nil {
		return nil, err
	}
	text := input.JSON()
	arn, reattached, err := startOrAttach(ctx, api, cfg, req.StateMachineARN, text, digest(text, req.Triggers))
	if err != nil {
		return nil, err
	}
	verb := "started"
	if reattached {
		verb = "re-attached to running"
	}
	cfg.Progress(progress.Event{Kind: progress.Note, Message: verb + " execution " + arn})
	desc, err := wait(ctx, api, cfg, arn)
	if err != nil {
		return nil, err
	}
	res, err := outcome(ctx, api, desc, req.Function, req.Input)
	if err != nil {
		return nil, err
	}
	res.Reattached = reattached
	return res, nil
}

// startOrAttach finds the first name of this digest that is free (start an
// execution under it) or RUNNING (attach to it).
func startOrAttach(ctx context.Context, api API, cfg Config, stateMachine, input, digest string) (string, bool, error) {
	raced := false
	for seq := 1; seq <= cfg.MaxSequence; seq++ {
		name := executionName(digest, seq)
		arn := executionARN(stateMachine, name)
		status, found, err := statusOf(ctx, api, arn)
		if err != nil {
			return "", false, err
		}
		if found {
			if status == types.ExecutionStatusRunning {
				return arn, true, nil
			}
			continue // closed: this name is used up
		}
		out, err := api.StartExecution(ctx, &sfn.StartExecutionInput{
			StateMachineArn: aws.String(stateMachine), Name: aws.String(name), Input: aws.String(input),
		})
		switch {
		case err == nil:
			return aws.ToString(out.ExecutionArn), false, nil
		case faults.ErrorCode(err) == "ExecutionAlreadyExists" && !raced:
			// Started by another apply since the lookup: look again, once.
			raced = true
			seq--
			continue
		default:
			return "", false, &CallError{Operation: "StartExecution", ARN: stateMachine, Err: err}
		}
	}
	return "", false, fmt.Errorf("every execution name for these inputs up to sequence number %d is used: change triggers to start afresh", cfg.MaxSequence)
}

// statusOf is the status of the execution at arn; found is false when there is none.
func statusOf(ctx context.Context, api API, arn string) (types.ExecutionStatus, bool, error) {
	out, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	switch {
	case err == nil:
		return out.Status, true, nil
	case faults.ErrorCode(err) == "ExecutionDoesNotExist":
		return "", false, nil
	default:
		return "", false, &CallError{Operation: "DescribeExecution", ARN: arn, Err: err}
	}
}

// wait polls the execution until it is closed, backing off from
// PollInterval to MaxPollInterval within the Budget. When ctx ends the
// execution is stopped.
func wait(ctx context.Context, api API, cfg Config, arn string) (*sfn.DescribeExecutionOutput, error) {
	delay := cfg.PollInterval
	for {
		err := ctx.Err()
		if err == nil && cfg.Budget != nil {
			err = cfg.Budget.Wait(ctx)
		}
		var out *sfn.DescribeExecutionOutput
		if err == nil {
			out, err = api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		}
		switch {
		case ctx.Err() != nil:
			return nil, stop(ctx, api, cfg, arn)
		case err != nil:
			// Not stopped: it runs on, and the next apply re-attaches to it.
			return nil, &CallError{Operation: "DescribeExecution", ARN: arn, Err: err}
		case out.Status != types.ExecutionStatusRunning && out.Status != types.ExecutionStatusPendingRedrive:
			return out, nil
		}
		if err := cfg.Clock.Sleep(ctx, delay); err != nil {
			return nil, stop(ctx, api, cfg, arn)
		}
		delay = min(2*delay, cfg.MaxPollInterval)
	}
}

// stop aborts the execution after ctx ended, on a context of its own.
func stop(ctx context.Context, api API, cfg Config, arn string) error {
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.StopTimeout)
	defer cancel()
	_, err := api.StopExecution(stopCtx, &sfn.StopExecutionInput{
		ExecutionArn: aws.String(arn),
		Error:        aws.String("awspowertuning.Interrupted"),
		Cause:        aws.String("terraform apply was interrupted or reached the create timeout of awspowertuning_run"),
	})
	if err != nil {
		err = &CallError{Operation: "StopExecution", ARN: arn, Err: err}
	}
	return &StoppedError{ExecutionARN: arn, Reason: context.Cause(ctx), StopErr: err}
}
