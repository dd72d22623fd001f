package tuning

import (
	"context"
	"fmt"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/managed"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// measureManaged measures the settings on Lambda Managed Instances and,
// with compare_on_demand, the function's best memory size on Lambda's own
// fleet, on ordinary copies.
func (r *run) measureManaged(ctx context.Context, payloads analysis.Payloads) (*report.Report, error) {
	n := max(1, payloads.Len())
	out, err := r.managed.Measure(ctx, func(i int) []byte { return payloads.Request(i%n, 0) }, r.tenantFor(tunedFunction))
	if err != nil {
		return nil, err
	}
	m := r.in.ManagedInstances
	if m.CompareOnDemand {
		power, cost, err := r.onDemandOptimum(ctx)
		if err != nil {
			return nil, err
		}
		managed.Compare(out.Managed, power, cost, m.RequestsPerSecond, r.price.Currency)
		if out.Managed.Comparison != "" {
			r.events.Note(0, "%s", out.Managed.Comparison)
		}
	}
	best := out.Optimum
	return &report.Report{Kind: report.Kind, Input: r.in, FunctionARN: r.fn.ARN(), Region: r.fn.Region(), Architecture: r.architecture,
		Currency: r.price.Currency, FunctionCodeSha256: r.codeSha256, BaselinePower: r.fn.Original().Memory,
		OptimalPower: best.Power, OptimalCost: best.CostPerMillion / 1e6, OptimalDuration: best.P50Ms,
		TuningCost: out.Cost, Managed: out.Managed, Results: []analysis.PowerResult{}}, nil
}

// onDemandOptimum tunes the function's memory on ordinary copies off the
// capacity provider (the input's power_values, strategy and num), and
// returns the optimum's memory and average cost per invocation. It is a run
// of its own within this one: its events are this run's, its copies are
// deleted by its own clean-up.
func (r *run) onDemandOptimum(ctx context.Context) (power int32, costPerInvocation float64, err error) {
	in := r.in
	in.ManagedInstances, in.Isolation, in.AutoOptimize, in.AutoOptimizeAlias = nil, spec.IsolationCopies, false, ""
	cfg := r.cfg
	cfg.Progress = func(ev progress.Event) {
		switch ev.Kind {
		case progress.RunStarted:
			ev = progress.Event{Kind: progress.Note, Message: "comparing with on-demand Lambda, " + ev.Plan.String()}
		case progress.RunEnded:
			return
		}
		r.events.Emit(ev)
	}
	od := newRun(cfg, in, r.fn.Region(), func(od *run) { od.onLambdaFleet = true })
	rep, err := od.do(ctx)
	for _, w := range od.warnings { // the run is over: nothing adds to them
		r.warn(w)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("measuring the function on on-demand Lambda for compare_on_demand: %w", err)
	}
	return rep.OptimalPower, rep.OptimalCost, nil
}
