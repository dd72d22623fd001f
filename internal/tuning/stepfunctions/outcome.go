package stepfunctions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// ErrNotPowerTuning: the execution's input or output is not the original tool's.
var ErrNotPowerTuning = errors.New("the execution is not one of AWS Lambda Power Tuning")

// outcome maps a closed execution to a result, or explains why it has none.
func outcome(ctx context.Context, api API, desc *sfn.DescribeExecutionOutput, fn report.Function, in spec.Input) (*Result, error) {
	arn := aws.ToString(desc.ExecutionArn)
	if desc.Status != types.ExecutionStatusSucceeded {
		e := &ExecutionError{ExecutionARN: arn, Status: string(desc.Status),
			ErrorName: aws.ToString(desc.Error), Cause: aws.ToString(desc.Cause)}
		f, err := firstFailure(ctx, api, arn)
		e.State, e.HistoryErr = f.state, err
		if e.ErrorName == "" && e.Cause == "" {
			e.ErrorName, e.Cause = f.error, f.cause
		}
		return nil, e
	}
	text := aws.ToString(desc.Output)
	up, err := analysis.ParseUpstreamOutput(text)
	switch {
	case errors.Is(err, analysis.ErrNoPower) && in.DryRun:
		// A dry run has no analysis: nothing to choose.
	case errors.Is(err, analysis.ErrNotUpstreamOutput):
		return nil, fmt.Errorf("%w: %w", ErrNotPowerTuning, err)
	case errors.Is(err, analysis.ErrNoPower):
		f, herr := firstFailure(ctx, api, arn)
		return nil, &ExecutionError{ExecutionARN: arn, Status: string(desc.Status), EmptyOutput: true,
			State: f.state, ErrorName: f.error, Cause: f.cause, HistoryErr: herr}
	}
	rep := &report.Report{
		Kind:               report.Kind,
		Input:              in,
		FunctionARN:        fn.ARN,
		Region:             fn.Region,
		Architecture:       fn.Architecture,
		Currency:           fn.Currency,
		FunctionCodeSha256: fn.CodeSha256,
		OptimalPower:       up.Optimal.Power,
		OptimalCost:        up.Optimal.AverageCost,
		OptimalDuration:    up.Optimal.AverageDuration,
		BaselinePower:      fn.MemorySize,
		TuningCost:         up.LambdaCost,
		VisualizationURL:   up.Visualization,
		Results:            make([]analysis.PowerResult, len(up.Stats)),
		Output:             text,
		TunedAt:            aws.ToTime(desc.StopDate),
	}
	for i, s := range up.Stats {
		s.Invocations = in.Num // the tool invokes num times per power value
		rep.Results[i] = s
	}
	if c, ok := analysis.CompareWithBaseline(rep.Results, up.Optimal, rep.BaselinePower); ok && !in.DryRun {
		rep.OptimalRelativeCost, rep.OptimalRelativeDuration = &c.CostRatio, &c.DurationRatio
	}
	return &Result{ExecutionARN: arn, StateMachineCost: up.ExecutionCost, Report: rep}, nil
}

// Read maps any closed execution of the original tool to a result, as the
// data source shows it. resolve turns the input's lambdaARN into what the
// report says about the function.
func Read(ctx context.Context, api API, arn string, resolve func(lambdaARN string) report.Function) (*Result, *ExecutionInput, error) {
	desc, err := api.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		return nil, nil, &CallError{Operation: "DescribeExecution", ARN: arn, Err: err}
	}
	if desc.Status == types.ExecutionStatusRunning || desc.Status == types.ExecutionStatusPendingRedrive {
		return nil, nil, fmt.Errorf("%w (status %s)", ErrStillRunning, desc.Status)
	}
	var input ExecutionInput
	if err := json.Unmarshal([]byte(aws.ToString(desc.Input)), &input); err != nil || input.LambdaARN == "" {
		return nil, nil, fmt.Errorf("%w: its input has no lambdaARN", ErrNotPowerTuning)
	}
	in := spec.Input{LambdaARN: input.LambdaARN, Num: input.Num, Strategy: analysis.Strategy(input.Strategy),
		DryRun: input.DryRun, AutoOptimize: input.AutoOptimize, AutoOptimizeAlias: input.AutoOptimizeAlias,
		IncludeOutputResults: input.IncludeOutputResults}
	res, err := outcome(ctx, api, desc, resolve(input.LambdaARN), in)
	return res, &input, err
}
