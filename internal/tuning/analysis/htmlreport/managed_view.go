package htmlreport

import (
	"cmp"
	"fmt"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// managedView is everything the managed page prints, formatted.
type managedView struct {
	Name, FunctionARN, Region, TunedAt string
	Strategy, TuningCost, Verdict      string
	LatencyGoal, Traffic, PricesNote   string
	Currency                           string
	Charts                             []managedChart
	Rows                               []managedRow
}

type managedRow struct {
	Power, MemoryPerVCPU, Concurrency string
	PerEnvironment, PerInstance       string
	Instance, P50, P90, P99           string
	Errors, Throttles                 int
	CostPerMillion, MeetsGoal         string
	Notes                             []note
	Class                             string // "optimal", "misses-goal", "failed" or ""
	Failed                            bool
}

func newManagedView(r Report) managedView {
	m := r.Managed
	v := managedView{
		Name: functionName(r.FunctionARN), FunctionARN: r.FunctionARN, Region: r.Region, TunedAt: r.TunedAt,
		Strategy:   managedStrategyText(r),
		TuningCost: money(r.TuningCost, r.Currency),
		Verdict:    managedVerdict(r),
		PricesNote: pricesNote(m, r.Currency),
		Currency:   r.Currency,
		Charts:     []managedChart{newManagedChart(r, throughputMetric), newManagedChart(r, p99Metric(m.LatencyGoalMs))},
	}
	if m.LatencyGoalMs > 0 {
		v.LatencyGoal = msText(m.LatencyGoalMs) + " at p99"
	}
	if m.Monthly != nil {
		v.Traffic = rate(m.Monthly.RequestsPerSecond) + " requests per second"
	}
	for _, g := range managedGroups(m.Results) {
		for _, res := range g.Results {
			v.Rows = append(v.Rows, newManagedRow(m, res))
		}
	}
	return v
}

func newManagedRow(m *Managed, res analysis.ManagedResult) managedRow {
	w := managedRow{Power: fmt.Sprint(res.Power), MemoryPerVCPU: fmt.Sprintf("%g", res.MemoryPerVCPU),
		Concurrency: fmt.Sprint(res.Concurrency), Errors: res.Errors, Throttles: res.Throttles, Failed: res.Failed}
	optimal := isManagedOptimum(m, res.ManagedSetting)
	switch {
	case optimal:
		w.Class = "optimal"
		w.Notes = append(w.Notes, note{noteOptimum, "optimum"})
	case res.Failed:
		w.Class = "failed"
	case missesGoal(res):
		w.Class = "misses-goal"
	}
	if res.Failed {
		w.Notes = append(w.Notes, note{noteFailed, "failed: " + cmp.Or(res.FailureReason, "no figures")})
		return w
	}
	if res.InFlightPerEnvironment > 0 && res.InFlightPerEnvironment < res.Concurrency {
		w.Notes = append(w.Notes, note{"held", fmt.Sprintf("throughput stopped rising at %d in flight", res.InFlightPerEnvironment)})
	}
	w.PerEnvironment, w.PerInstance = rate(res.RequestsPerSecondPerEnvironment), rate(res.RequestsPerSecondPerInstance)
	w.Instance = res.Instance
	w.P50, w.P90, w.P99 = durationCell(res.P50Ms), durationCell(res.P90Ms), durationCell(res.P99Ms)
	w.CostPerMillion = plainDecimal(res.CostPerMillion, 3)
	w.MeetsGoal = "yes"
	if !res.MeetsLatencyGoal {
		w.MeetsGoal = "no"
	}
	return w
}

func managedStrategyText(r Report) string {
	switch r.Strategy {
	case analysis.StrategyBalanced:
		return fmt.Sprintf("balanced, weight %.2g on cost per million requests and %.2g on p99 latency", r.BalancedWeight, 1-r.BalancedWeight)
	case analysis.StrategySpeed:
		return "speed (the lowest p99 latency)"
	default:
		return "cost (the cheapest per million requests)"
	}
}

// pricesNote says where the instance prices came from, and so how far the
// costs on the page hold.
func pricesNote(m *Managed, currency string) string {
	if m.PricesDate == "" {
		return fmt.Sprintf("Instance prices: instance_price_per_hour, %s an hour, as given; costs add the %.0f %% management fee and %s per million requests.",
			money(m.InstancePricePerHour, currency), 100*analysis.ManagedFeeShare, money(analysis.ManagedRequestPrice*1e6, currency))
	}
	return fmt.Sprintf("Instance prices: the built-in EC2 on-demand prices in us-east-1 of %s; costs add the %.0f %% management fee and %s per million requests. "+
		"Give instance_price_per_hour for another Region, Savings Plans or Reserved Instances.",
		m.PricesDate, 100*analysis.ManagedFeeShare, money(analysis.ManagedRequestPrice*1e6, currency))
}
