package tuning

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// tune configures and executes every power value as one pipeline and
// returns each power value's invocations once all are done.
func (r *run) tune(ctx context.Context, payloads analysis.Payloads) ([]*powerExec, error) {
	r.workers = newWorkers()
	defer r.workers.stop()
	g, gctx := errgroup.WithContext(ctx)
	var execs []*powerExec // by architecture, then ascending power
	for _, arch := range r.archs() {
		for _, p := range r.powers {
			execs = append(execs, newPowerExec(r, p, arch))
		}
	}
	if r.in.Sampling == SamplingAdaptive {
		r.race = newRace(r, execs)
	}
	for _, pe := range execs {
		g.Go(func() error {
			if err := pe.execute(gctx, payloads); err != nil {
				return err
			}
			if !r.usesCopies() { // a copy is deleted whole at clean-up
				pe.release(gctx)
			}
			return nil
		})
	}
	if r.usesCopies() {
		g.Go(func() error { return r.createCopies(gctx, execs) })
	} else {
		g.Go(func() error { return r.configureAll(gctx, g, execs) })
	}
	return execs, g.Wait()
}

// powerExec is one power value's invocations and what they measured.
type powerExec struct {
	r     *run
	power int32
	arch  string         // with architectures: the copy's; "" for the function's
	price analysis.Price // for arch
	// aliases has one alias per variant: RAM<power>, or with only cold
	// starts RAM<power>-<i>, one per invocation; with copies, the name of
	// the power value's copy, whose $LATEST is invoked.
	aliases []string
	ready   []chan struct{} // closed when the variant's alias is ready
	skipped chan struct{}   // closed when the power value could not be configured

	mu          sync.Mutex
	pending     int            // variants not ready yet
	versions    map[int]string // variant → the version its alias points to, once ready
	ms          []analysis.Measurement
	invocations int
	errors      int
	failure     string  // why the power value failed; "" when it did not
	retired     bool    // adaptive sampling took it out of the race
	behindBy    float64 // how far behind the leader it was then
}

func newPowerExec(r *run, power int32, arch string) *powerExec {
	pe := &powerExec{r: r, power: power, arch: arch, price: r.price, aliases: r.aliasNames(power), skipped: make(chan struct{})}
	if r.usesCopies() {
		pe.aliases = []string{r.copyName(power, arch)}
	}
	if arch != "" {
		pe.price = r.e.cfg.Prices.Lookup(r.region, arch)
	}
	pe.ready = make([]chan struct{}, len(pe.aliases))
	for i := range pe.ready {
		pe.ready[i] = make(chan struct{})
	}
	pe.pending = len(pe.aliases)
	pe.versions = make(map[int]string, len(pe.aliases))
	pe.ms = make([]analysis.Measurement, 0, r.num)
	return pe
}

// aliasNames are the aliases the run creates for power: RAM<power>, or with
// only cold starts RAM<power>-<i>, one per invocation.
func (r *run) aliasNames(power int32) []string {
	base := "RAM" + strconv.Itoa(int(power))
	if !r.in.OnlyColdStarts {
		return []string{base}
	}
	names := make([]string, r.num)
	for i := range names {
		names[i] = base + "-" + strconv.Itoa(i)
	}
	return names
}

// markReady lets the variant's invocations start.
func (pe *powerExec) markReady(variant int, version string) {
	pe.mu.Lock()
	pe.versions[variant] = version
	pe.mu.Unlock()
	close(pe.ready[variant])
	pe.mu.Lock()
	pe.pending--
	last := pe.pending == 0
	pe.mu.Unlock()
	if last {
		pe.r.observer.observe(MilestoneAliasReady, pe.power)
		pe.r.emit(Event{Phase: "configure", Power: pe.power, Total: pe.r.num,
			Message: fmt.Sprintf("%s ready (version %s)", pe.aliases[len(pe.aliases)-1], version)})
	}
}

func (pe *powerExec) variantOf(invocation int) int {
	if len(pe.aliases) == 1 {
		return 0
	}
	return invocation
}

// waitReady waits for the alias of the invocation's variant; ready is false
// when the power value was skipped instead, and its invocations must stop.
func (pe *powerExec) waitReady(ctx context.Context, invocation int) (ready bool, err error) {
	select {
	case <-pe.skipped:
		return false, nil
	default:
	}
	select {
	case <-pe.ready[pe.variantOf(invocation)]:
		return true, nil
	case <-pe.skipped:
		return false, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// skip marks the power value failed because it could not be configured
// (skip_failed_power_values): invocations waiting for an alias stop
// instead, and the configuration chain moves on to the next power value.
// Called at most once, by the chain.
func (pe *powerExec) skip(reason string) {
	pe.mu.Lock()
	if pe.failure == "" {
		pe.failure = reason
	}
	pe.mu.Unlock()
	close(pe.skipped)
	pe.r.emit(Event{Phase: "configure", Power: pe.power, Message: "power value failed, skipping it: " + reason})
}

func (pe *powerExec) execute(ctx context.Context, payloads analysis.Payloads) error {
	if pe.r.race != nil {
		defer pe.r.race.leave(pe)
	}
	if ready, err := pe.waitReady(ctx, 0); !ready {
		return err
	}
	pe.r.observer.observe(MilestoneExecutionStarted, pe.power)
	defer pe.r.observer.observe(MilestoneExecutionEnded, pe.power)
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
		if pe.failed() {
			return nil
		}
		if i > 0 && pause > 0 {
			if err := pe.r.s.clock.Sleep(ctx, pause); err != nil {
				return err
			}
		}
		if ready, err := pe.waitReady(ctx, i); !ready {
			return err
		}
		release, err := pe.r.takeSlot(ctx)
		if err != nil {
			return err
		}
		err = pe.invoke(ctx, i, payloads.Body(i))
		release()
		if err != nil {
			return err
		}
	}
	return nil
}

// parallel starts all the power value's invocations at once, as far as the
// run's max_concurrency (shared by all power values) lets them. A slot is
// taken before its goroutine starts, so a large run has no more goroutines
// than invocations in flight.
func (pe *powerExec) parallel(ctx context.Context, payloads analysis.Payloads, from, to int) error {
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for i := from; i < to; i++ {
		if pe.failed() {
			break
		}
		if ready, _ := pe.waitReady(gctx, i); !ready || gctx.Err() != nil {
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
			if err := pe.invoke(gctx, i, payloads.Body(i)); err != nil {
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
	shared := r.s.invocations
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
	done := pe.count(m, measured, isError)
	pe.mu.Unlock()
	if invocationMilestone(done, pe.r.num) {
		pe.r.emit(Event{Phase: "invoke", Power: pe.power, Done: done, Total: pe.r.num})
	}
}

// count adds one invocation and returns how many there were. The caller
// holds pe.mu.
func (pe *powerExec) count(m analysis.Measurement, measured, isError bool) int {
	pe.invocations++
	if isError {
		pe.errors++
	}
	if measured {
		pe.ms = append(pe.ms, m)
	}
	return pe.invocations
}

// fail marks the power value failed (skip_failed_power_values): its other
// invocations are not started and it is left out of the choice.
func (pe *powerExec) fail(fe *FunctionError, m analysis.Measurement, measured bool) {
	pe.mu.Lock()
	pe.count(m, measured, true) // a measurement counts: it was billed all the same
	first := pe.failure == ""
	if first {
		pe.failure = cmp.Or(fe.ErrorType, fe.Header+" error")
		if fe.ErrorMessage != "" {
			pe.failure += ": " + fe.ErrorMessage
		}
	}
	reason := pe.failure
	pe.mu.Unlock()
	if first {
		pe.r.emit(Event{Phase: "invoke", Power: pe.power, Message: "power value failed, skipping it: " + reason})
	}
}

func (pe *powerExec) failed() bool {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	return pe.failure != ""
}

// result analyzes the invocations. Measurements of invocations that ended
// in an allowed exception count: they were billed.
func (pe *powerExec) result() analysis.PowerResult {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	res := analysis.Analyze(pe.power, pe.ms, 0, pe.price, pe.r.discard)
	res.Architecture = pe.arch
	res.Invocations = pe.invocations
	res.Errors = pe.errors
	if pe.failure != "" {
		res.Failed = true
		res.FailureReason = pe.failure
	}
	res.Retired, res.BehindBy = pe.retired, pe.behindBy
	return res
}
