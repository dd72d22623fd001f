// Package managed tunes a function for Lambda Managed Instances: each
// setting (memory, memory per vCPU, invocations an execution environment
// serves at once) is measured on a temporary copy on a capacity provider,
// held under a sustained concurrent load, and priced by the instance hours
// its throughput needs. The function itself is never changed: copies are
// made, leased, deleted and recovered by the copies way of running, which
// this package is handed as Copies. It imports analysis, spec, report,
// lambdaops, waiter and progress, never the engine or another way.
package managed

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Copies makes, leases and deletes the run's copies (copies.Target).
type Copies interface {
	// NameFor is the name of the run's copy labelled copyLabel.
	NameFor(copyLabel string) string
	// Create creates the copy and waits until it is Active.
	Create(ctx context.Context, name string, power int32, adjust func(*lambda.CreateFunctionInput)) error
	// KeepLease renews the copies' lease until the run's clean-up.
	KeepLease(ctx context.Context)
	// Delete deletes a copy even when ctx is cancelled.
	Delete(ctx context.Context, name string) error
}

// Env is what a tuning on Lambda Managed Instances is given.
type Env struct {
	Input spec.Input // ManagedInstances is set
	// Fn is the function, read by the engine before Resolve returns.
	Fn     *lambdaops.Function
	Copies Copies
	// Warn reports what the user should act on though the run goes on.
	Warn func(message string)
}

// Tuner measures every setting of one run.
type Tuner struct {
	env      Env
	m        spec.ManagedInstances
	provider provider                  // once resolved
	settings []analysis.ManagedSetting // once resolved: those Lambda can run

	payload func(i int) []byte // the body of invocation i
	tenant  *string            // the TenantId every invocation names; nil: none
}

// New is a tuning on Lambda Managed Instances; env.Input.ManagedInstances
// must be set.
func New(env Env) *Tuner { return &Tuner{env: env, m: *env.Input.ManagedInstances} }

// provider is the capacity provider the copies run on, as read before any
// change.
type provider struct {
	arn          string
	maxVCpus     int
	architecture string
	types        []analysis.InstanceType // those it may launch, priced
}

// note is a progress line about setting s.
func (t *Tuner) note(s analysis.ManagedSetting, format string, args ...any) {
	t.env.Fn.Events().Emit(progress.Event{Kind: progress.Note, Power: s.Power,
		Message: fmt.Sprintf("%g GiB per vCPU, %d at once: ", s.MemoryPerVCPU, s.Concurrency) + fmt.Sprintf(format, args...)})
}
