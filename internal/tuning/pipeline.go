package tuning

import (
	"context"
	"errors"
	"fmt"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// do runs the workflow: resolve, hold the function if it will be changed,
// measure, clean up, apply. Clean-up runs whatever happened before it.
func (r *run) do(ctx context.Context) (*report.Report, error) {
	r.invoker = r.chooseInvoker()
	r.events.Emit(progress.Event{Kind: progress.RunStarted, Plan: r.plan()})
	defer r.events.Emit(progress.Event{Kind: progress.RunEnded})
	acquired, err := r.resolve(ctx)
	if err != nil {
		return nil, err
	}
	if acquired.Lock == nil {
		// Copies leave the function untouched: nothing of it is held.
		rep, _, err := r.measure(ctx)
		return rep, r.failed(err)
	}
	r.lock = acquired.Lock
	r.fn.KeepRecordWith(r.lock)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.lock.Heartbeat(ctx, cancel)

	rep, restored, err := r.holding(ctx, acquired)
	if restored {
		r.lock.Release(ctx, r.cfg.CleanupTimeout)
	} else {
		r.lock.Abandon(ctx, r.cfg.CleanupTimeout)
	}
	if cause := context.Cause(ctx); errors.Is(cause, faults.ErrLockLost) && err != nil {
		err = fmt.Errorf("%w: %w", cause, err)
	}
	return rep, r.failed(err)
}

// holding is the run while it holds the function: read it again if another
// run held it meanwhile, recover what an interrupted run left, then
// measure. restored says whether the function is as it should be (the
// record can go).
func (r *run) holding(ctx context.Context, acquired lock.Acquired) (rep *report.Report, restored bool, err error) {
	if acquired.Waited {
		original, err := r.fn.Reread(ctx)
		if err != nil {
			return nil, true, err
		}
		if err := r.lock.Rewrite(ctx, original); err != nil {
			return nil, true, err
		}
	}
	if acquired.Held != nil || r.fn.Leftovers() {
		// A recovery that could not finish is reported by its CleanupError
		// alone, never as recovered.
		rc, state, err := lock.Recover(ctx, r.fn, acquired.Held)
		if err != nil {
			return nil, false, err
		}
		r.recovery = rc
		r.fn.SetOriginal(state)
		if rec := r.lock.Record(); rec.Memory != state.Memory {
			if err := r.lock.Rewrite(ctx, state); err != nil {
				return nil, false, err
			}
		}
	}
	if err := r.lock.SaveDescription(ctx); err != nil {
		return nil, false, err
	}
	return r.measure(ctx)
}

// measurement measures the function as the run was asked: memory sizes,
// or settings on Lambda Managed Instances.
func (r *run) measurement(ctx context.Context, payloads analysis.Payloads) (*report.Report, error) {
	if r.managed != nil {
		return r.measureManaged(ctx, payloads)
	}
	execs, err := r.tune(ctx, payloads)
	if err != nil {
		return nil, err
	}
	return r.report(execs)
}

// measure tunes, cleans up and, with auto_optimize_alias, applies the
// optimum. restored says whether the function is as it should be.
func (r *run) measure(ctx context.Context) (rep *report.Report, restored bool, err error) {
	if err := r.way.RemoveLeftovers(ctx); err != nil {
		return nil, true, err
	}
	payloads, err := r.loadPayloads(ctx)
	if err != nil {
		return nil, true, err
	}
	r.events.Emit(progress.Event{Kind: progress.Resolved})

	rep, runErr := r.measurement(ctx, payloads)
	cleanErr := r.cleanup(ctx)
	if runErr == nil && cleanErr == nil && r.in.AppliesToAlias() {
		runErr = r.applyToAlias(ctx)
		cleanErr = r.cleanup(ctx)
	}
	if err := errors.Join(runErr, cleanErr); err != nil {
		return nil, cleanErr == nil, err
	}
	rep.TunedAt = r.cfg.Clock.Now().UTC()
	rep.Recovery = r.recovery
	rep.Warnings = r.warnings
	return rep, true, nil
}
