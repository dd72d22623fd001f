// Package stepfunctions runs a tuning on a deployed AWS Lambda Power Tuning
// state machine instead of in the provider: it starts (or re-attaches to) an
// execution with the original tool's input, waits for it, explains its
// failures from the execution history and maps its output to a
// report.Report. It talks to Step Functions only through API and knows
// nothing of Terraform. A way of running of its own: it imports spec,
// report, progress, clock, faults and analysis, never the core or another
// way of running.
package stepfunctions

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// API is the part of the Step Functions client a run uses; *sfn.Client
// satisfies it.
type API interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	DescribeExecution(ctx context.Context, in *sfn.DescribeExecutionInput, optFns ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
	GetExecutionHistory(ctx context.Context, in *sfn.GetExecutionHistoryInput, optFns ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error)
	StopExecution(ctx context.Context, in *sfn.StopExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StopExecutionOutput, error)
}

// Budget paces the polls of a running execution, so that many runs of one
// provider share one request rate; *rate.Limiter satisfies it.
type Budget interface {
	Wait(ctx context.Context) error
}

// Config tunes how executions are watched. Zero fields take the defaults
// documented on each.
type Config struct {
	Clock  clock.Clock // nil: the wall clock
	Budget Budget      // nil: polls are paced by PollInterval alone
	// PollInterval is the first wait between DescribeExecution polls; it
	// doubles up to MaxPollInterval. Zero: 1 s and 15 s.
	PollInterval    time.Duration
	MaxPollInterval time.Duration
	// StopTimeout bounds StopExecution after the wait was cancelled. Zero: 30 s.
	StopTimeout time.Duration
	// MaxSequence bounds the execution names tried for one set of inputs. Zero: 1000.
	MaxSequence int
	Progress    func(progress.Event) // nil: none
}

func (c Config) withDefaults() Config {
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.MaxPollInterval <= 0 {
		c.MaxPollInterval = 15 * time.Second
	}
	c.MaxPollInterval = max(c.MaxPollInterval, c.PollInterval)
	if c.StopTimeout <= 0 {
		c.StopTimeout = 30 * time.Second
	}
	if c.MaxSequence <= 0 {
		c.MaxSequence = 1000
	}
	if c.Progress == nil {
		c.Progress = func(progress.Event) {}
	}
	return c
}
