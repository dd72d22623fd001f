package tuning

import (
	"context"
	"errors"
)

// Engine runs tuning runs. One Engine per provider configuration; runs on the
// same function never overlap within a process.
type Engine struct {
	cfg Config
}

// New returns an Engine; zero Config fields take their documented defaults.
func New(cfg Config) *Engine { return &Engine{cfg: cfg} }

// Run performs the whole workflow for in and always cleans up. in must have
// passed Validate. The error, if any, is a *StepError or *CleanupError (or
// wraps one), so callers can name the AWS call, function and power value.
func (e *Engine) Run(ctx context.Context, in Input) (*Report, error) { panic("not implemented") }

// FunctionExists reports whether the function (name or ARN) still exists.
func (e *Engine) FunctionExists(ctx context.Context, lambdaARN string) (bool, error) {
	panic("not implemented")
}

// StepError is a failed AWS call (or function invocation) during a run.
type StepError struct {
	Operation string // the AWS API call, e.g. "UpdateFunctionConfiguration", "Invoke"
	Function  string // function ARN
	Power     int32  // 0 when not about one power value
	Err       error
}

func (e *StepError) Error() string { panic("not implemented") }
func (e *StepError) Unwrap() error { return e.Err }

// CleanupError says exactly what a run left behind on the function.
type CleanupError struct {
	Function          string
	RemainingAliases  []string
	RemainingVersions []string
	LatestMemory      int32 // $LATEST memory as the run left it
	Err               error
}

func (e *CleanupError) Error() string { panic("not implemented") }
func (e *CleanupError) Unwrap() error { return e.Err }

// Report storage errors, for callers to tell apart.
var (
	ErrReportNotFound     = errors.New("report not found")
	ErrReportAccessDenied = errors.New("access to the report was denied")
	ErrNotAReport         = errors.New("object is not an awspowertuning report")
)

// WriteReport stores r as JSON at uri ("s3://bucket/key").
func WriteReport(ctx context.Context, client S3API, uri string, r *Report) error {
	panic("not implemented")
}

// ReadReport loads a report written by WriteReport.
func ReadReport(ctx context.Context, client S3API, uri string) (*Report, error) {
	panic("not implemented")
}
