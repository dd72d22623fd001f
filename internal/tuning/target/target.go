// Package target is the seam between the core of a run and its ways of
// running. The core resolves the function, holds it when it will be
// changed, runs each memory size's invocations, analyses and cleans up; a
// Target makes each size invocable (an alias on a published version, a
// copy of the function, …) and deletes what it made. The core chooses one
// Target per run and never asks which it is. Each way of running is a
// package of its own that imports this one and never another way. It
// imports lambdaops, spec, awsapi and progress, which every way shares.
package target

import (
	"context"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Target is one way of running a tuning.
type Target interface {
	// Resolve reads what this way needs, changing nothing. The core has
	// read the function already (Env.Fn.Read).
	Resolve(ctx context.Context) error
	// ChangesFunction says whether this way changes the function itself:
	// the core then holds the function's lock for the run.
	ChangesFunction() bool
	// RemoveLeftovers deletes what interrupted runs left for this way of
	// running, before anything of this run is made.
	RemoveLeftovers(ctx context.Context) error
	// Variants is how many invocation targets each size needs: 1, or one
	// per invocation when each must be a cold start.
	Variants() int
	// Prepare makes every size invocable, marking each variant Ready (or
	// the size Skipped) as soon as it is, while the core already invokes
	// the ready ones. It returns once every size is ready or skipped.
	Prepare(ctx context.Context, sizes []*Size) error
	// Done is told when a size's invocations are over: what was made for
	// it alone may go.
	Done(ctx context.Context, size *Size)
	// Cleanup deletes what this way made, whatever happened, and returns
	// what failed; the ledger keeps what is left.
	Cleanup(ctx context.Context) []error
}

// Env is what a way of running is given.
type Env struct {
	Input   spec.Input
	RunID   string
	Powers  []int32 // ascending
	Fn      *lambdaops.Function
	Clients awsapi.Clients
	// RestoreEarly says $LATEST may be put back as soon as the last size
	// is configured: its final memory is the original's, not an optimum
	// the analysis has yet to choose.
	RestoreEarly bool
	// Warn reports what the user should act on though the run goes on.
	Warn func(message string)
	// SendTimeout bounds a change once sent, whatever the run's context
	// says: an aborted request has an unknown outcome.
	SendTimeout time.Duration
	// Lease is how long what a run leaves outlives a process that stopped
	// renewing it.
	Lease time.Duration
	// OnLambdaFleet makes copies of a function on a capacity provider run
	// on Lambda's own fleet, billed by the GB-second: the on-demand side
	// of a comparison with Lambda Managed Instances.
	OnLambdaFleet bool
}
