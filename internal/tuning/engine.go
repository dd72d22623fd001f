// Package tuning is the core of a power-tuning run. A run reads the
// function once, holds it when it will be changed, makes each memory size
// invocable through one way of running chosen at the start (in place, or on
// copies: target.Target), invokes every size as soon as it is ready,
// analyses the measurements, cleans up whatever happened and applies the
// optimum when asked. It knows nothing of Terraform and talks to AWS only
// through awsapi.
//
// Around it: spec (the input and its limits), faults (how a run fails),
// ledger (what it changed), waiter (how it waits), lambdaops (the function's
// Lambda calls), lock (the durable run record), progress (the events it
// reports), report (the outcome), analysis (the pure arithmetic), and one
// package per way of running: inplace, copies, stepfunctions. Sub-packages
// never import this one.
package tuning

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Engine runs tuning runs. One Engine per provider configuration; runs on
// the same function never overlap within a process.
type Engine struct {
	cfg Config
}

// New returns an Engine; zero Config fields take their documented defaults.
func New(cfg Config) *Engine { return &Engine{cfg: cfg.withDefaults()} }

// Run performs the whole workflow for in and always cleans up. in must
// pass Validate (Run checks again and returns Validate's error if not).
// Otherwise the error, if any, is a *faults.StepError or
// *faults.CleanupError (or wraps one, joined with errors.Join when both the
// run and its clean-up failed), so callers can name the AWS call, function
// and power value; the exceptions are faults.ErrNoSuccessfulPowerValue
// (every power value failed), a context error while waiting for another
// run on the same function in this process, a *faults.RunInProgressError
// (a live run of another process holds the function), a
// *faults.UnreleasedCodeError (auto_optimize_alias would release $LATEST)
// and faults.ErrLockLost. RecoveryOf, ChangedFunction, MadeCopies and
// WarningsOf tell what a failed run did.
//
// A run that changes the function (in place, or applying the optimum)
// takes it first: its record in AWS (runrecord.LockAlias) says what to
// restore, so the next run recovers it if this process dies;
// Report.Recovery is what this run recovered. A run on copies alone
// changes nothing of the function and takes nothing.
//
// A dry run invokes each power value once and fills Results, but chooses
// no optimum: the Optimal fields, VisualizationURL and Output stay empty.
func (e *Engine) Run(ctx context.Context, in spec.Input) (*report.Report, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	region, name := e.target(in.LambdaARN)
	unlock, err := functionLocks.lock(ctx, region+"/"+name)
	if err != nil {
		return nil, fmt.Errorf("waiting for another tuning run of %s to finish: %w", in.LambdaARN, err)
	}
	defer unlock()
	return newRun(e.cfg, in, region).do(ctx)
}

// target is the region and function name a lambda_arn designates.
func (e *Engine) target(lambdaARN string) (region, name string) {
	region, name, isARN := spec.ParseFunctionARN(lambdaARN)
	if !isARN || region == "" {
		region = e.cfg.Clients.DefaultRegion()
	}
	return region, name
}

// Deployed is what a function's $LATEST is now, to tell whether a recorded
// run still describes it.
type Deployed struct {
	Exists     bool
	CodeSha256 string
	MemorySize int32
}

// DeployedFunction reads the function's $LATEST; a missing function is not
// an error (Exists is false). It serves refreshes: GetFunction (not the
// shared control-plane quota), with brief retries, as a plan should not
// hang for minutes on throttling a run would wait out.
func (e *Engine) DeployedFunction(ctx context.Context, lambdaARN string) (Deployed, error) {
	c, err := e.readLatest(ctx, lambdaARN, func(o *lambda.Options) { o.Retryer = retry.AddWithMaxAttempts(o.Retryer, 3) })
	switch {
	case err == nil:
		return Deployed{Exists: true, CodeSha256: aws.ToString(c.CodeSha256), MemorySize: aws.ToInt32(c.MemorySize)}, nil
	case faults.IsNotFound(err):
		return Deployed{}, nil
	default:
		return Deployed{}, &faults.StepError{Operation: "GetFunction", Function: lambdaARN, Err: err}
	}
}

// DescribeFunction resolves a lambda_arn (name, partial or full ARN) to the
// function's unqualified ARN and what its prices depend on, changing nothing.
// Runs elsewhere (a Step Functions execution) use it to report like a run.
func (e *Engine) DescribeFunction(ctx context.Context, lambdaARN string) (report.Function, error) {
	c, err := e.readLatest(ctx, lambdaARN)
	if err != nil {
		return report.Function{}, &faults.StepError{Operation: "GetFunction", Function: lambdaARN, Err: err}
	}
	region, _ := e.target(lambdaARN)
	f := report.Function{
		ARN:          spec.UnqualifiedARN(aws.ToString(c.FunctionArn)),
		Region:       region,
		Architecture: architectureOf(c),
		CodeSha256:   aws.ToString(c.CodeSha256),
		MemorySize:   aws.ToInt32(c.MemorySize),

		TenantIsolation:  isolationMode(c.TenancyConfig),
		CapacityProvider: capacityProviderOf(c),
	}
	f.Currency = e.cfg.Prices.Lookup(f.Region, f.Architecture).Currency
	return f, nil
}

// readLatest is the function's $LATEST configuration.
func (e *Engine) readLatest(ctx context.Context, lambdaARN string, optFns ...func(*lambda.Options)) (*types.FunctionConfiguration, error) {
	region, _ := e.target(lambdaARN)
	out, err := e.cfg.Clients.Lambda(region).GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: aws.String(lambdaARN), Qualifier: aws.String(lambdaops.Latest),
	}, optFns...)
	if err == nil && out.Configuration == nil {
		err = fmt.Errorf("the answer has no configuration")
	}
	if err != nil {
		return nil, err
	}
	return out.Configuration, nil
}

// architectureOf is the function's architecture (x86_64 when none is said).
func architectureOf(c *types.FunctionConfiguration) string {
	if len(c.Architectures) > 0 {
		return string(c.Architectures[0])
	}
	return string(types.ArchitectureX8664)
}
