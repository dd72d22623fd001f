package tuning

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// tune prepares and invokes every size as one pipeline and returns each
// size's invocations once all are done.
func (r *run) tune(ctx context.Context, payloads analysis.Payloads) ([]*powerExec, error) {
	r.workers = newWorkers()
	defer r.workers.stop()
	g, gctx := errgroup.WithContext(ctx)
	var execs []*powerExec // by architecture, then ascending power
	sizes := make([]*target.Size, 0, len(r.powers))
	for _, arch := range r.archs() {
		for _, p := range r.powers {
			pe := r.newPowerExec(p, arch)
			execs, sizes = append(execs, pe), append(sizes, pe.Size)
		}
	}
	if r.in.Sampling == spec.SamplingAdaptive {
		r.race = newRace(r, execs)
	}
	for _, pe := range execs {
		g.Go(func() error {
			if err := pe.execute(gctx, payloads); err != nil {
				return err
			}
			r.way.Done(gctx, pe.Size)
			return nil
		})
	}
	g.Go(func() error { return r.way.Prepare(gctx, sizes) })
	return execs, g.Wait()
}

// archs are the architectures the run compares: the input's, or "" for
// the function's own.
func (r *run) archs() []string {
	if len(r.in.Architectures) == 0 {
		return []string{""}
	}
	return r.in.Architectures
}

// powerExec is one size's invocations and what they measured.
type powerExec struct {
	*target.Size
	r     *run
	price analysis.Price // for the size's architecture

	mu          sync.Mutex
	ms          []analysis.Measurement
	totalMs     float64 // of ms, for the running average
	invocations int
	errors      int
	retired     bool    // adaptive sampling took it out of the race
	behindBy    float64 // how far behind the leader it was then
}

func (r *run) newPowerExec(power int32, arch string) *powerExec {
	pe := &powerExec{Size: target.NewSize(power, arch, r.way.Variants(), r.events), r: r, price: r.price,
		ms: make([]analysis.Measurement, 0, r.num)}
	if arch != "" {
		pe.price = r.e.cfg.Prices.Lookup(r.fn.Region(), arch)
	}
	return pe
}

func (pe *powerExec) execute(ctx context.Context, payloads analysis.Payloads) error {
	if pe.r.race != nil {
		defer pe.r.race.leave(pe)
	}
	if _, ready, err := pe.Await(ctx, 0); !ready {
		return err
	}
	pe.r.events.Emit(progress.Event{Kind: progress.SizeStarted, Power: pe.Power, Arch: pe.Arch})
	defer pe.r.events.Emit(progress.Event{Kind: progress.SizeEnded, Power: pe.Power, Arch: pe.Arch})
	if pe.r.race != nil {
		return pe.r.race.execute(ctx, pe, payloads)
	}
	return pe.invokeRange(ctx, payloads, 0, pe.r.num)
}

// invokeRange runs invocations from to to (exclusive), serial or parallel.
func (pe *powerExec) invokeRange(ctx context.Context, payloads analysis.Payloads, from, to int) error {
	if pe.r.in.ParallelInvocation {
		return pe.parallel(ctx, payloads, from, to)
	}
	return pe.serial(ctx, payloads, from, to)
}

// serial invokes one after another, sleeping sleep_between_runs_ms between.
func (pe *powerExec) serial(ctx context.Context, payloads analysis.Payloads, from, to int) error {
	pause := time.Duration(pe.r.in.SleepBetweenRunsMs) * time.Millisecond
	for i := from; i < to; i++ {
		if pe.Failure() != "" {
			return nil
		}
		if i > 0 && pause > 0 {
			if err := pe.r.e.cfg.Clock.Sleep(ctx, pause); err != nil {
				return err
			}
		}
		at, ready, err := pe.Await(ctx, i)
		if !ready {
			return err
		}
		release, err := pe.r.takeSlot(ctx)
		if err != nil {
			return err
		}
		err = pe.invoke(ctx, at, payloads.Body(i))
		release()
		if err != nil {
			return err
		}
	}
	return nil
}

// parallel starts all the size's invocations at once, as far as the run's
// max_concurrency (shared by all sizes) lets them. A slot is taken before
// its goroutine starts, so a large run has no more goroutines than
// invocations in flight.
func (pe *powerExec) parallel(ctx context.Context, payloads analysis.Payloads, from, to int) error {
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for i := from; i < to; i++ {
		if pe.Failure() != "" {
			break
		}
		at, ready, _ := pe.Await(gctx, i)
		if !ready || gctx.Err() != nil {
			break // skipped, or cancelled: firstErr and ctx tell
		}
		release, err := pe.r.takeSlot(gctx)
		if err != nil {
			break // cancelled: firstErr and ctx tell
		}
		wg.Add(1)
		pe.r.workers.run(func() {
			defer wg.Done()
			defer release()
			if err := pe.invoke(gctx, at, payloads.Body(i)); err != nil {
				once.Do(func() { firstErr = err; cancel() })
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// takeSlot waits until the run (max_concurrency) and then every run of the
// provider (max_concurrent_invocations) have room for one more invocation
// in flight, and returns what gives the room back. The run's slot is taken
// first, so a run never holds provider slots it cannot use.
func (r *run) takeSlot(ctx context.Context) (release func(), err error) {
	if err := r.inflight.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	shared := r.e.cfg.InvocationBudget
	if shared == nil {
		return func() { r.inflight.Release(1) }, nil
	}
	if err := shared.Acquire(ctx, 1); err != nil {
		r.inflight.Release(1)
		return nil, err
	}
	return func() { shared.Release(1); r.inflight.Release(1) }, nil
}

// record counts one invocation; measured is false when it had no REPORT.
func (pe *powerExec) record(m analysis.Measurement, measured, isError bool) {
	pe.mu.Lock()
	done, average := pe.count(m, measured, isError)
	pe.mu.Unlock()
	if progress.Milestone(done, pe.r.num) {
		pe.r.events.Emit(progress.Event{Kind: progress.Invoked, Power: pe.Power, Arch: pe.Arch, Done: done, Total: pe.r.num, AverageMs: average})
	}
}

// count adds one invocation and returns how many there were and their mean
// duration so far. The caller holds pe.mu.
func (pe *powerExec) count(m analysis.Measurement, measured, isError bool) (done int, averageMs float64) {
	pe.invocations++
	if isError {
		pe.errors++
	}
	if measured {
		pe.ms = append(pe.ms, m)
		pe.totalMs += m.DurationMs
	}
	if len(pe.ms) > 0 {
		averageMs = pe.totalMs / float64(len(pe.ms))
	}
	return pe.invocations, averageMs
}

// fail marks the size failed (skip_failed_power_values): its other
// invocations are not started and it is left out of the choice.
func (pe *powerExec) fail(fe *faults.FunctionError, m analysis.Measurement, measured bool) {
	pe.mu.Lock()
	pe.count(m, measured, true) // a measurement counts: it was billed all the same
	pe.mu.Unlock()
	reason := cmp.Or(fe.ErrorType, fe.Header+" error")
	if fe.ErrorMessage != "" {
		reason += ": " + fe.ErrorMessage
	}
	pe.Fail(reason)
}

// result analyzes the invocations. Measurements of invocations that ended
// in an allowed exception count: they were billed.
func (pe *powerExec) result() analysis.PowerResult {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	res := analysis.Analyze(pe.Power, pe.ms, 0, pe.price, pe.r.a.Discard)
	res.Architecture = pe.Arch
	res.Invocations = pe.invocations
	res.Errors = pe.errors
	if failure := pe.Failure(); failure != "" {
		res.Failed = true
		res.FailureReason = failure
	}
	res.Retired, res.BehindBy = pe.retired, pe.behindBy
	return res
}

// report analyzes every size and, unless this is a dry run, chooses the
// optimum. TunedAt is set when the run is over.
func (r *run) report(execs []*powerExec) (*report.Report, error) {
	r.events.Note(0, "analyzing %d power values", len(execs))
	results := make([]analysis.PowerResult, len(execs))
	for i, pe := range execs {
		results[i] = pe.result()
	}
	rep, err := report.Build(report.Facts{Input: r.in, FunctionARN: r.fn.ARN(), Region: r.fn.Region(), Architecture: r.architecture,
		Currency: r.price.Currency, CodeSha256: r.codeSha256, BaselinePower: r.fn.Original().Memory, ChartBase: r.e.cfg.VisualizationURL}, results)
	if err != nil || r.in.DryRun {
		return rep, err
	}
	r.optimum = rep.OptimalPower
	r.events.Emit(progress.Event{Kind: progress.Result, Power: rep.OptimalPower, Arch: rep.OptimalArchitecture,
		Message: fmt.Sprintf("optimal power %d MB on %s (%s strategy): %.2f ms, %.9f %s per invocation",
			rep.OptimalPower, rep.OptimalArchitecture, r.a.Strategy, rep.OptimalDuration, rep.OptimalCost, r.price.Currency)})
	if r.in.AutoOptimize && rep.OptimalArchitecture != r.architecture {
		r.events.Note(rep.OptimalPower, "auto_optimize applies %d MB but not the architecture: the function stays on %s, %s is left to you",
			rep.OptimalPower, r.architecture, rep.OptimalArchitecture)
	}
	return rep, nil
}
