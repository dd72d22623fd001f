package tuning

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// pass is one tuning's invocations of every size: the payloads, the
// goroutines parallel invocations run on, and adaptive sampling's race.
type pass struct {
	r        *run
	payloads analysis.Payloads
	workers  *workers
	race     *race // nil when exhaustive
}

// tune prepares and invokes every size as one pipeline and returns each
// size's invocations once all are done.
func (r *run) tune(ctx context.Context, payloads analysis.Payloads) ([]*powerExec, error) {
	p := &pass{r: r, payloads: payloads, workers: newWorkers()}
	defer p.workers.stop()
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
		p.race = newRace(r, execs)
		p.payloads = payloads.Spread() // a size stopped early saw every weighted entry in its share
	}
	for _, pe := range execs {
		g.Go(func() error {
			if err := p.execute(gctx, pe); err != nil {
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

// execute invokes one size once it is ready: num times, or round by round
// as the race decides.
func (p *pass) execute(ctx context.Context, pe *powerExec) error {
	if p.race != nil {
		defer p.race.leave(pe)
	}
	if _, ready, err := pe.Await(ctx, 0); !ready {
		return err
	}
	p.r.events.Emit(progress.Event{Kind: progress.SizeStarted, Power: pe.Power, Arch: pe.Arch})
	defer p.r.events.Emit(progress.Event{Kind: progress.SizeEnded, Power: pe.Power, Arch: pe.Arch})
	if p.race != nil {
		return p.race.execute(ctx, pe, func(ctx context.Context, from, to int) error {
			return p.invokeRange(ctx, pe, from, to)
		})
	}
	return p.invokeRange(ctx, pe, 0, p.r.num)
}

// invokeRange runs invocations from to to (exclusive), serial or parallel.
func (p *pass) invokeRange(ctx context.Context, pe *powerExec, from, to int) error {
	if p.r.in.ParallelInvocation {
		return p.parallel(ctx, pe, from, to)
	}
	return p.serial(ctx, pe, from, to)
}

// serial invokes one after another, sleeping sleep_between_runs_ms between.
func (p *pass) serial(ctx context.Context, pe *powerExec, from, to int) error {
	pause := time.Duration(p.r.in.SleepBetweenRunsMs) * time.Millisecond
	for i := from; i < to; i++ {
		if pe.Failure() != "" {
			return nil
		}
		if i > 0 && pause > 0 {
			if err := p.r.cfg.Clock.Sleep(ctx, pause); err != nil {
				return err
			}
		}
		at, ready, err := pe.Await(ctx, i)
		if !ready {
			return err
		}
		release, err := p.r.takeSlot(ctx)
		if err != nil {
			return err
		}
		err = pe.invoke(ctx, at, p.payloads.Request(i, pe.Power))
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
func (p *pass) parallel(ctx context.Context, pe *powerExec, from, to int) error {
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
		release, err := p.r.takeSlot(gctx)
		if err != nil {
			break // cancelled: firstErr and ctx tell
		}
		wg.Add(1)
		p.workers.run(func() {
			defer wg.Done()
			defer release()
			if err := pe.invoke(gctx, at, p.payloads.Request(i, pe.Power)); err != nil {
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
	shared := r.cfg.InvocationBudget
	if shared == nil {
		return func() { r.inflight.Release(1) }, nil
	}
	if err := shared.Acquire(ctx, 1); err != nil {
		r.inflight.Release(1)
		return nil, err
	}
	return func() { shared.Release(1); r.inflight.Release(1) }, nil
}

// workers runs functions on goroutines it keeps for the next one. A fresh
// goroutine grows its stack through the SDK's deep call chain on every
// invocation (a tenth of the CPU of a 20,000-invocation run); a kept one has
// grown it already. There are never more workers than functions running at
// once: one is started only when none is idle.
type workers struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func newWorkers() *workers { return &workers{jobs: make(chan func())} }

// run runs f on an idle worker, or on a new one.
func (w *workers) run(f func()) {
	select {
	case w.jobs <- f:
	default:
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			f()
			for f := range w.jobs {
				f()
			}
		}()
	}
}

// stop ends the workers once they are idle; run must not be called after.
func (w *workers) stop() {
	close(w.jobs)
	w.wg.Wait()
}
