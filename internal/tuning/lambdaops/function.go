// Package lambdaops is one function's Lambda calls during a run: reading it
// once, changing $LATEST, publishing versions, pointing and deleting aliases,
// and undoing all of that. Every change is recorded in the run's ledger
// before or as it is sent, so clean-up knows exactly what to undo, and every
// wait goes through the one waiter. It knows nothing of how a run is
// organised: in place, copies and the application of an optimum all call it.
// It imports awsapi, waiter, ledger, progress, spec, runrecord and faults.
package lambdaops

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// Latest is the qualifier of the function's unpublished configuration.
const Latest = "$LATEST"

// Function is one function as a run sees and changes it. Safe for
// concurrent use.
type Function struct {
	lam    awsapi.LambdaAPI
	region string
	given  string // lambda_arn as the user wrote it
	wait   *waiter.Waiter
	ledger *ledger.Ledger
	events *progress.Stream
	// sendTimeout bounds a change once sent (see Mutate).
	sendTimeout time.Duration
	// keeper rewrites the run record when the original state turns out to
	// have changed before the run's first change (nil: no record is kept).
	keeper Keeper
	// pace is told when updates go out and are waited for (nil: no one).
	pace Pace

	resolved   chan struct{} // closed once Resolve is over
	resolveErr error         // Resolve's failure, once resolved is closed

	mu            sync.Mutex
	arn           string // unqualified, once read
	read          *lambda.GetFunctionOutput
	original      ledger.LatestState
	revision      string   // $LATEST's RevisionId as last seen: every change carries it
	code          string   // the CodeSha256 read: every version the run publishes carries it
	others        []string // what someone else changed during the run
	changed       bool     // the run sent its first change to $LATEST
	versionsRead  bool
	maxPreVersion int64 // versions up to this one existed before the run
	leftovers     bool  // what an interrupted run left was seen
}

// Keeper keeps the run's record of what to restore: Rewrite is told the
// original state when it was found to differ from the first read.
type Keeper interface {
	Rewrite(ctx context.Context, original ledger.LatestState) error
}

// New is the function lambdaARN (name, partial or full ARN) in region.
func New(lam awsapi.LambdaAPI, region, lambdaARN string, w *waiter.Waiter, l *ledger.Ledger, events *progress.Stream, sendTimeout time.Duration) *Function {
	return &Function{lam: lam, region: region, given: lambdaARN, arn: spec.WithoutQualifier(lambdaARN),
		wait: w, ledger: l, events: events, sendTimeout: sendTimeout, resolved: make(chan struct{})}
}

// Pace is told about the updates of $LATEST: when one went out, and while
// the run waits for one to settle. Deletions sent then cannot take the
// request-budget tokens the next update or publish needs.
type Pace interface {
	Sent()
	Waiting(bool)
}

// PaceUpdatesWith makes p the pace of the function's updates.
func (f *Function) PaceUpdatesWith(p Pace) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pace = p
}

func (f *Function) pacer() Pace {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pace == nil {
		return noPace{}
	}
	return f.pace
}

type noPace struct{}

func (noPace) Sent()        {}
func (noPace) Waiting(bool) {}

// KeepRecordWith makes k the keeper of the run's record.
func (f *Function) KeepRecordWith(k Keeper) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keeper = k
}

// ARN is the function's unqualified ARN (as given until Resolve).
func (f *Function) ARN() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.arn
}

// Region is where the function is.
func (f *Function) Region() string { return f.region }

// Lambda is the Lambda client of the function's Region.
func (f *Function) Lambda() awsapi.LambdaAPI { return f.lam }

// Waiter is how the function's changes are waited for.
func (f *Function) Waiter() *waiter.Waiter { return f.wait }

// Ledger is what the run changed.
func (f *Function) Ledger() *ledger.Ledger { return f.ledger }

// Events is the run's progress stream.
func (f *Function) Events() *progress.Stream { return f.events }

// Original is $LATEST as the run found it: what it restores.
func (f *Function) Original() ledger.LatestState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.original
}

// Read is GetFunction's answer for the version the run tunes (lambda_arn's
// qualifier, else $LATEST), as Resolve read it.
func (f *Function) Read() *lambda.GetFunctionOutput {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.read
}

// Resolve reads the function once, before anything is changed: the version
// lambda_arn names (copies may be made of a version or alias), else
// $LATEST. A function still being created or updated by someone else is
// waited for, so that what the run restores is its settled configuration.
// Reads that need only the function's name may go beside it; those that
// need what it read wait with Await.
func (f *Function) Resolve(ctx context.Context) error {
	f.resolveErr = f.resolve(ctx)
	close(f.resolved)
	return f.resolveErr
}

// Await waits until Resolve is over and returns what it read.
func (f *Function) Await(ctx context.Context) (*lambda.GetFunctionOutput, error) {
	select {
	case <-f.resolved:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if f.resolveErr != nil {
		return nil, f.resolveErr
	}
	return f.Read(), nil
}

func (f *Function) resolve(ctx context.Context) error {
	qualifier := spec.Qualifier(f.given)
	if qualifier == "" {
		qualifier = Latest
	}
	out, err := f.lam.GetFunction(ctx, &lambda.GetFunctionInput{
		FunctionName: aws.String(spec.WithoutQualifier(f.given)),
		Qualifier:    aws.String(qualifier),
	})
	if err == nil && out.Configuration == nil {
		err = errors.New("the answer has no configuration")
	}
	if err != nil {
		return &faults.StepError{Operation: "GetFunction", Function: f.given, Err: err}
	}
	c := out.Configuration
	f.mu.Lock()
	f.arn = spec.UnqualifiedARN(aws.ToString(c.FunctionArn))
	f.read = out
	f.original = stateOf(c)
	f.revision = aws.ToString(c.RevisionId)
	f.code = aws.ToString(c.CodeSha256)
	f.leftovers = f.leftovers || runrecord.IsMarked(aws.ToString(c.Description))
	f.mu.Unlock()
	f.ledger.SetCurrent(f.original)
	pending := c.State == types.StatePending || c.LastUpdateStatus == types.LastUpdateStatusInProgress
	if pending && qualifier == Latest {
		settled, err := f.WaitUpdated(ctx, time.Time{})
		if err != nil {
			return &faults.StepError{Operation: "GetFunction", Function: f.ARN(), Err: err}
		}
		f.mu.Lock()
		f.original = settled
		f.mu.Unlock()
	}
	return nil
}

// Reread reads $LATEST again as the original state (after waiting for
// another run, or when the first change found it changed since Resolve).
func (f *Function) Reread(ctx context.Context) (ledger.LatestState, error) {
	state, revision, err := f.settledLatest(ctx)
	if err != nil {
		return ledger.LatestState{}, &faults.StepError{Operation: "GetFunction", Function: f.ARN(), Err: err}
	}
	f.mu.Lock()
	f.original, f.revision = state, revision
	f.mu.Unlock()
	f.ledger.SetCurrent(state)
	return state, nil
}

// SetOriginal records what $LATEST is before the run, as recovery left it.
func (f *Function) SetOriginal(s ledger.LatestState) {
	f.mu.Lock()
	f.original = s
	f.mu.Unlock()
	f.ledger.SetCurrent(s)
}

// NoteLeftovers records that what an interrupted run left was seen.
func (f *Function) NoteLeftovers() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.leftovers = true
}

// Leftovers says whether what an interrupted run left was seen: its marks
// on $LATEST's description, its versions or its aliases.
func (f *Function) Leftovers() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.leftovers
}

// WhileBusy calls call until the function is no longer too busy to take
// it (409 "update in progress", a Pending function or version), for at
// most the waiter's timeout. Other errors, throttling included (the SDK
// retries those), return at once.
func (f *Function) WhileBusy(ctx context.Context, call func(context.Context) error) error {
	return f.wait.Retry(ctx, faults.IsBusy, call)
}

// Mutate sends a call that changes the function, waiting out busy answers
// like WhileBusy. Once sent, a call is not aborted by the run's
// cancellation (only by the send timeout): an aborted request has an
// unknown outcome and may still be applied after clean-up has looked,
// leaving $LATEST changed or an alias behind. Cancellation stops the run
// between calls instead.
func (f *Function) Mutate(ctx context.Context, call func(context.Context) error) error {
	return f.WhileBusy(ctx, func(ctx context.Context) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.sendTimeout)
		defer cancel()
		return call(sendCtx)
	})
}

// stateOf is the part of a configuration a run changes.
func stateOf(c *types.FunctionConfiguration) ledger.LatestState {
	return ledger.LatestState{Memory: aws.ToInt32(c.MemorySize), Description: aws.ToString(c.Description)}
}

// stepError names the function.
func (f *Function) stepError(op string, power int32, err error) error {
	return &faults.StepError{Operation: op, Function: f.ARN(), Power: power, Err: err}
}

// errNoConfiguration is an answer without the configuration asked for.
var errNoConfiguration = fmt.Errorf("the answer has no configuration")
