package tuning

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// run is one tuning run: its inputs, what it resolved about the function,
// and the ledger of what it changed.
type run struct {
	e        *Engine
	s        settings
	in       Input
	region   string
	lam      LambdaAPI
	progress *progress
	observer *observer
	ledger   ledger
	inflight *semaphore.Weighted // max_concurrency: invocations in flight across the run's power values
	race     *race               // adaptive sampling's rounds; nil when exhaustive
	chain    *chainWaits         // when early releases may send their deletions
	workers  *workers            // run parallel invocations, during tune

	rngMu sync.Mutex
	rng   *rand.Rand // seeded: jitter and the run ID
	runID string     // makes cold-start descriptions unique to this run

	// Derived from the input.
	powers   []int32 // ascending
	num      int     // invocations per power value (1 in a dry run)
	discard  float64
	strategy analysis.Strategy
	weight   float64

	// Resolved from the function.
	arn           string // unqualified function ARN
	architecture  string
	logFormat     string
	codeSha256    string
	price         analysis.Price
	original      latestState
	maxPreVersion int64           // versions up to this one existed before the run
	copySrc       *copySource     // isolation = "copies": what each copy is made of
	liveCopyRuns  map[string]bool // run IDs of live runs whose copies were found
	copyWatch     *creationWatch  // isolation = "copies": how long creation takes

	// optimum, once chosen, for auto_optimize.
	optimum int32

	warningsMu sync.Mutex
	warnings   []string // what the user should act on, though the run did not fail

	lock      *runLock  // the run's record in AWS, once acquired
	leftovers bool      // resolve saw what an interrupted run left
	recovery  *Recovery // what was recovered of an interrupted run
}

func newRun(e *Engine, in Input, region string) *run {
	s := e.settings()
	seed := e.cfg.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	r := &run{
		e:         e,
		s:         s,
		in:        in,
		region:    region,
		lam:       e.cfg.Clients.Lambda(region),
		progress:  &progress{fn: e.cfg.Progress},
		observer:  &observer{to: e.cfg.Observer, clock: s.clock},
		inflight:  semaphore.NewWeighted(int64(runConcurrency(in, s))),
		chain:     newChainWaits(),
		rng:       rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		strategy:  in.Strategy,
		weight:    analysis.DefaultBalancedWeight,
		discard:   analysis.DefaultDiscardTopBottom,
		num:       in.Num,
		copyWatch: newCreationWatch(),
	}
	// Unique across processes (the record and every alias and version
	// carry it), even when two engines share a seed.
	r.runID = fmt.Sprintf("%08x", r.rng.Uint32()^uint32(time.Now().UnixNano())^uint32(os.Getpid())<<16)
	r.powers = ResolvePowerValues(in, s.powerValues) // fresh, ascending, no duplicates
	if in.DryRun {
		r.num = 1
	}
	if r.strategy == "" {
		r.strategy = analysis.StrategyCost
	}
	if in.BalancedWeight != nil {
		r.weight = *in.BalancedWeight
	}
	if in.DiscardTopBottom != nil {
		r.discard = *in.DiscardTopBottom
	}
	if in.OnlyColdStarts {
		r.discard = 0 // every sample is a cold start: none is an outlier
	}
	return r
}

// runConcurrency is the cap on the run's invocations in flight, across all
// its power values: max_concurrency, else the engine's default.
func runConcurrency(in Input, s settings) int {
	if in.MaxConcurrency > 0 {
		return in.MaxConcurrency
	}
	return s.maxInFlight
}

// do runs the workflow: resolve, configure and execute, analyze, clean up,
// optimize. Clean-up runs whatever happened before it.
func (r *run) do(ctx context.Context) (*Report, error) {
	r.observer.observe(MilestoneRunStarted, 0)
	defer r.observer.observe(MilestoneRunEnded, 0)

	r.emit(Event{Phase: "resolve", Message: "reading the configuration of " + r.in.LambdaARN})
	if err := r.resolve(ctx); err != nil {
		return nil, err
	}
	if r.usesCopies() && !r.in.AutoOptimize {
		// Copies leave the function untouched: no record is kept on it.
		rep, _, err := r.measure(ctx)
		if err != nil {
			err = &runFailure{changed: r.ledger.changedAny(), copies: r.ledger.madeAnyCopy(), warnings: r.warnings, err: err}
		}
		return rep, err
	}
	held, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.heartbeat(ctx, cancel)

	rep, restored, err := r.holding(ctx, held)
	if restored {
		r.release(ctx)
	} else {
		r.abandon(ctx)
	}
	if cause := context.Cause(ctx); errors.Is(cause, ErrLockLost) && err != nil {
		err = fmt.Errorf("%w: %w", cause, err)
	}
	if err != nil {
		err = &runFailure{recovery: r.recovery, changed: r.ledger.changedAny(), copies: r.ledger.madeAnyCopy(), warnings: r.warnings, err: err}
	}
	return rep, err
}

// holding is the run while it holds the lock: recover what an interrupted
// run left, read the function again, tune, clean up. restored says whether
// the function is as it should be (the record can go).
func (r *run) holding(ctx context.Context, held *runrecord.Record) (rep *Report, restored bool, err error) {
	// A recovery that could not finish is reported by its CleanupError
	// alone, never as recovered.
	if held != nil {
		rc, err := r.recoverInterrupted(ctx, held)
		if err != nil {
			return nil, false, err
		}
		r.recovery = rc
	}
	// Read again under the lock: the first read may have seen a run that
	// finished in between.
	if err := r.resolve(ctx); err != nil {
		return nil, true, err
	}
	if held == nil && r.leftovers {
		rc, err := r.recoverInterrupted(ctx, nil)
		if err != nil {
			return nil, false, err
		}
		r.recovery = rc
		if err := r.resolve(ctx); err != nil {
			return nil, true, err
		}
	}
	if err := r.writeRecord(ctx, func(rec *runrecord.Record) {
		rec.Memory, rec.SavedDescription = r.original.memory, r.in.OnlyColdStarts
	}); err != nil {
		return nil, !errors.Is(err, ErrLockLost), &StepError{Operation: "UpdateAlias", Function: r.arn,
			Err: fmt.Errorf("writing the run record to alias %s: %w", runrecord.LockAlias, err)}
	}
	if err := r.saveDescription(ctx); err != nil {
		return nil, false, err
	}
	return r.measure(ctx)
}

// measure tunes, cleans up and, with auto_optimize_alias, applies the
// optimum. restored says whether the function is as it should be.
func (r *run) measure(ctx context.Context) (rep *Report, restored bool, err error) {
	payloads, err := r.loadPayloads(ctx)
	if err != nil {
		return nil, true, err
	}
	r.observer.observe(MilestoneResolved, 0)

	if r.usesCopies() {
		stop := r.copyHeartbeat(ctx)
		defer stop()
	}
	execs, runErr := r.tune(ctx, payloads)
	if runErr == nil {
		rep, runErr = r.report(execs)
	}
	cleanErr := r.cleanup(ctx)
	if runErr == nil && cleanErr == nil && r.optimizesAlias() {
		runErr = r.optimizeAlias(ctx)
		cleanErr = r.cleanup(ctx)
	}
	if err := errors.Join(runErr, cleanErr); err != nil {
		return nil, cleanErr == nil, err
	}
	rep.TunedAt = r.s.clock.Now().UTC()
	rep.Recovery = r.recovery
	rep.Warnings = r.warnings
	return rep, true, nil
}

// optimizesAlias: auto_optimize with an alias publishes the optimum after
// clean-up; without an alias clean-up applies it while restoring $LATEST.
func (r *run) optimizesAlias() bool {
	return r.in.AutoOptimize && !r.in.DryRun && r.in.AutoOptimizeAlias != ""
}

// appliesOptimumToLatest: auto_optimize without an alias leaves $LATEST at
// the optimum, which clean-up sets instead of the original memory.
func (r *run) appliesOptimumToLatest() bool {
	return r.in.AutoOptimize && !r.in.DryRun && r.in.AutoOptimizeAlias == ""
}

// restoreTarget is what $LATEST must be when the run is over.
func (r *run) restoreTarget() latestState {
	want := r.original
	if r.appliesOptimumToLatest() && r.optimum != 0 {
		want.memory = r.optimum
	}
	return want
}

// restoresEarly says whether $LATEST can be restored as soon as the last
// version is published, hidden behind the executions: it can unless its
// final memory is the optimum, which only the analysis will tell.
func (r *run) restoresEarly() bool {
	return !r.appliesOptimumToLatest()
}

func (r *run) emit(ev Event) { r.progress.emit(ev) }

// jittered spreads waits by ±20% so concurrent waiters do not poll in step.
func (r *run) jittered(d time.Duration) time.Duration {
	r.rngMu.Lock()
	f := 0.8 + 0.4*r.rng.Float64()
	r.rngMu.Unlock()
	return time.Duration(float64(d) * f)
}

// loadPayloads lays out the request bodies of one power value's invocations.
func (r *run) loadPayloads(ctx context.Context) (analysis.Payloads, error) {
	var body []byte
	switch {
	case r.in.Payload != nil:
		body = []byte(*r.in.Payload)
	case r.in.PayloadS3 != "":
		b, err := readPayloadS3(ctx, r.e.cfg.Clients.S3(), r.in.PayloadS3)
		if err != nil {
			return analysis.Payloads{}, &StepError{Operation: "GetObject", Function: r.arn, Err: err}
		}
		body = b
	}
	// Laid out for the input's num even in a dry run, so that a weighted
	// payload is checked as it will be used; a dry run takes the first.
	payloads, err := analysis.BuildPayloads(body, r.in.Num)
	if err != nil {
		// Name the attribute the layout came from: an S3 body is not payload.
		attribute := attrPayload
		if r.in.Payload == nil && r.in.PayloadS3 != "" {
			attribute = attrPayloadS3
		}
		return analysis.Payloads{}, &InputError{Attribute: attribute, Message: err.Error(), Err: err}
	}
	return payloads, nil
}
