package tuning

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// Engine runs tuning runs. One Engine per provider configuration; runs on the
// same function never overlap within a process.
type Engine struct {
	cfg       Config
	latencies *UpdateLatencies
}

// New returns an Engine; zero Config fields take their documented defaults.
func New(cfg Config) *Engine {
	latencies := cfg.Latencies
	if latencies == nil {
		latencies = NewUpdateLatencies()
	}
	return &Engine{cfg: cfg, latencies: latencies}
}

// settings are Config with the defaults filled in.
type settings struct {
	clock           Clock
	pollInterval    time.Duration
	maxPollInterval time.Duration
	conflictTimeout time.Duration
	cleanupTimeout  time.Duration
	maxInFlight     int
	latencies       *UpdateLatencies
	invocations     *semaphore.Weighted // nil: no cap across runs
	visualization   string
	powerValues     []int32
	leaseDuration   time.Duration
	lockWait        time.Duration
	lockPoll        time.Duration
}

func (e *Engine) settings() settings {
	s := settings{
		clock:           e.cfg.Clock,
		pollInterval:    e.cfg.PollInterval,
		maxPollInterval: e.cfg.MaxPollInterval,
		conflictTimeout: e.cfg.ConflictTimeout,
		cleanupTimeout:  e.cfg.CleanupTimeout,
		maxInFlight:     e.cfg.MaxInFlight,
		latencies:       e.latencies,
		invocations:     e.cfg.InvocationBudget,
		visualization:   e.cfg.VisualizationURL,
		powerValues:     e.cfg.PowerValues,
		leaseDuration:   e.cfg.LeaseDuration,
		lockWait:        e.cfg.LockWait,
		lockPoll:        e.cfg.LockPollInterval,
	}
	if s.leaseDuration <= 0 {
		s.leaseDuration = 2 * time.Minute
	}
	if s.lockPoll <= 0 {
		s.lockPoll = min(5*time.Second, s.leaseDuration/4)
	}
	if s.clock == nil {
		s.clock = RealClock{}
	}
	if s.pollInterval <= 0 {
		s.pollInterval = DefaultPollInterval
	}
	if s.maxPollInterval <= 0 {
		s.maxPollInterval = 2 * time.Second
	}
	s.maxPollInterval = max(s.maxPollInterval, s.pollInterval)
	if s.conflictTimeout <= 0 {
		s.conflictTimeout = 5 * time.Minute
	}
	if s.cleanupTimeout <= 0 {
		s.cleanupTimeout = 2 * time.Minute
	}
	if s.maxInFlight <= 0 {
		s.maxInFlight = DefaultMaxConcurrency
	}
	if s.visualization == "" {
		s.visualization = analysis.DefaultVisualizationURL
	}
	if len(s.powerValues) == 0 {
		s.powerValues = DefaultPowerValues
	}
	return s
}

// Run performs the whole workflow for in and always cleans up. in must have
// passed Validate (Run checks again and returns Validate's error if not).
// Otherwise the error, if any, is a *StepError or *CleanupError (or wraps
// one, joined with errors.Join when both the run and its clean-up failed), so
// callers can name the AWS call, function and power value; the exceptions
// are ErrNoSuccessfulPowerValue (every power value failed), a context
// error while waiting for another run on the same function in this process,
// a *RunInProgressError (a live run of another process holds the function),
// an *UnreleasedCodeError (auto_optimize_alias would release $LATEST) and
// ErrLockLost. RecoveryOf and ChangedFunction tell what a failed run did.
//
// Before changing anything a run takes the function: its record in AWS
// (runrecord.LockAlias) says what to restore, so the next run recovers it
// if this process dies; Report.Recovery is what this run recovered.
//
// A dry run invokes each power value once and fills Results, but chooses no
// optimum: the Optimal fields, VisualizationURL and Output stay empty.
//
// Progress events are delivered one at a time, from the run's goroutines.
func (e *Engine) Run(ctx context.Context, in Input) (*Report, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	region, name := e.target(in.LambdaARN)
	unlock, err := functionLocks.lock(ctx, region+"/"+name)
	if err != nil {
		return nil, fmt.Errorf("waiting for another tuning run of %s to finish: %w", in.LambdaARN, err)
	}
	defer unlock()

	return newRun(e, in, region).do(ctx)
}

// target is the region and function name a lambda_arn designates.
func (e *Engine) target(lambdaARN string) (region, name string) {
	region, name, isARN := ParseFunctionARN(lambdaARN)
	if !isARN || region == "" {
		region = e.cfg.Clients.DefaultRegion()
	}
	return region, name
}

// FunctionExists reports whether the function (name or ARN) still exists.
// It serves refreshes: GetFunction (not the shared control-plane quota),
// with short retries.
func (e *Engine) FunctionExists(ctx context.Context, lambdaARN string) (bool, error) {
	now, err := e.DeployedFunction(ctx, lambdaARN)
	return now.Exists, err
}

// Deployed is what a function's $LATEST is now, to tell whether a recorded
// run still describes it.
type Deployed struct {
	Exists     bool
	CodeSha256 string
	MemorySize int32
}

// DeployedFunction reads the function's $LATEST; a missing function is not
// an error (Exists is false).
func (e *Engine) DeployedFunction(ctx context.Context, lambdaARN string) (Deployed, error) {
	region, _ := e.target(lambdaARN)
	out, err := e.cfg.Clients.Lambda(region).GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: &lambdaARN,
	}, shortLambdaRetries)
	switch {
	case err == nil && out.Configuration == nil:
		return Deployed{}, &StepError{Operation: "GetFunction", Function: lambdaARN, Err: errors.New("the answer has no configuration")}
	case err == nil:
		c := out.Configuration
		return Deployed{Exists: true, CodeSha256: aws.ToString(c.CodeSha256), MemorySize: aws.ToInt32(c.MemorySize)}, nil
	case isNotFound(err):
		return Deployed{}, nil
	default:
		return Deployed{}, &StepError{Operation: "GetFunction", Function: lambdaARN, Err: err}
	}
}
