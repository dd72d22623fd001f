package managed

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// Outcome is what a tuning on Lambda Managed Instances found.
type Outcome struct {
	Managed *report.Managed
	// Optimum is the chosen setting's figures.
	Optimum analysis.ManagedResult
	// Cost is what the run's loads cost: its versions' instance hours
	// with the management fee, and its requests.
	Cost float64
}

// Measure measures every setting, as many at once as the budget allows,
// invoking with payload(i) as invocation i's body and naming tenant (nil:
// none), and chooses the optimum. Each copy is deleted as soon as its
// setting is measured; the engine's clean-up deletes any left.
func (t *Tuner) Measure(ctx context.Context, payload func(i int) []byte, tenant *string) (Outcome, error) {
	t.payload, t.tenant = payload, tenant
	t.env.Copies.KeepLease(ctx)
	t.announce()
	b, creating := newBudget(t.provider.maxVCpus), semaphore.NewWeighted(maxInCreation)
	done := make([]measured, len(t.settings))
	g, gctx := errgroup.WithContext(ctx)
	for i, s := range t.settings {
		g.Go(func() error {
			m, err := t.measureSetting(gctx, s, b, creating)
			done[i] = m
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return Outcome{}, err
	}
	return t.outcome(done)
}

// outcome turns the loads into figures, and chooses the optimum.
func (t *Tuner) outcome(done []measured) (Outcome, error) {
	m := &report.Managed{Results: make([]analysis.ManagedResult, len(done)), PricesDate: analysis.ManagedPricesDate}
	if t.m.InstancePricePerHour > 0 {
		m.PricesDate = ""
	}
	var cost float64
	for i, d := range done {
		r := analysis.ManagedFigures(d.load, t.provider.types, t.m.LatencyP99Ms)
		m.Results[i] = r
		m.LoadInstanceHours += d.instanceHours
		cost += d.instanceHours*t.cheapestHolding(d.load.Setting).PricePerHour*(1+analysis.ManagedFeeShare) + float64(d.requests)*analysis.ManagedRequestPrice
		if r.Failed {
			t.note(r.ManagedSetting, "not measured: %s", r.FailureReason)
			continue
		}
		t.note(r.ManagedSetting, "%.1f requests/s per environment (%.1f per vCPU), %.1f per %s; p50 %.0f ms, p99 %.0f ms; %.4f USD per million requests",
			r.RequestsPerSecondPerEnvironment, r.RequestsPerSecondPerEnvironment/r.VCPUs(), r.RequestsPerSecondPerInstance, r.Instance, r.P50Ms, r.P99Ms, r.CostPerMillion)
	}
	a := t.env.Input.Analysis()
	best, ok := analysis.SelectManaged(m.Results, a.Strategy, a.Weight)
	if !ok {
		return Outcome{}, noOptimum(m.Results, t.m.LatencyP99Ms)
	}
	m.Optimum = &best
	if rps := t.m.RequestsPerSecond; rps > 0 {
		monthly := analysis.MonthlyOnManaged(best, t.instanceType(best.Instance), rps)
		m.Monthly = &monthly
	}
	t.env.Fn.Events().Emit(progress.Event{Kind: progress.Result, Power: best.Power, Message: fmt.Sprintf(
		"optimal setting on Lambda Managed Instances %s (%s strategy): %.1f requests/s per environment, p99 %.0f ms, %.4f USD per million requests on %s",
		best.ManagedSetting, a.Strategy, best.RequestsPerSecondPerEnvironment, best.P99Ms, best.CostPerMillion, best.Instance)})
	return Outcome{Managed: m, Optimum: best, Cost: analysis.RoundCost(cost)}, nil
}

// noOptimum says why no setting was chosen: none was measured, or none
// met the latency goal.
func noOptimum(results []analysis.ManagedResult, goalMs float64) error {
	var (
		reasons []string
		best    *analysis.ManagedResult
	)
	for i, r := range results {
		if r.Failed {
			reasons = append(reasons, fmt.Sprintf("%s: %s", r.ManagedSetting, r.FailureReason))
			continue
		}
		if best == nil || r.P99Ms < best.P99Ms {
			best = &results[i]
		}
	}
	if best == nil {
		return fmt.Errorf("%w: no setting could be measured on Lambda Managed Instances: %s", faults.ErrNoSuccessfulPowerValue, strings.Join(reasons, "; "))
	}
	return &faults.LatencyGoalError{GoalMs: goalMs, BestP99Ms: best.P99Ms, Best: best.ManagedSetting}
}

// instanceType is the priced instance type called name.
func (t *Tuner) instanceType(name string) analysis.InstanceType {
	for _, it := range t.provider.types {
		if it.Name == name {
			return it
		}
	}
	return analysis.InstanceType{}
}

// Compare fills the on-demand side of m: the best on-demand memory size,
// its cost per invocation, and what the user's traffic costs a month on
// it against the optimum's monthly cost on Lambda Managed Instances.
func Compare(m *report.Managed, power int32, costPerInvocation, requestsPerSecond float64, currency string) {
	od := &report.OnDemandComparison{Power: power, CostPerInvocation: costPerInvocation,
		MonthlyCost: analysis.MonthlyOnDemand(costPerInvocation, requestsPerSecond)}
	m.OnDemand = od
	if m.Monthly != nil {
		m.Comparison = analysis.CompareMonthly(m.Monthly.Cost, od.MonthlyCost, currency)
	}
}
