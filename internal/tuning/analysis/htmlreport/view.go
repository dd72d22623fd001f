package htmlreport

import (
	"fmt"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// view is everything the template prints, formatted.
type view struct {
	Name, FunctionARN, Region, TunedAt string
	Strategy, TuningCost, Verdict      string
	ChartURL                           string
	Chart                              chartView
	Rows                               []row
	ManyArchitectures, AnyRetired      bool
	Currency                           string
}

type row struct {
	Power, Architecture                  string
	Duration, P50, P90, P99, Cost, Total string // numbers: the headers give the units
	Invocations, Errors                  int
	Notes                                []note
	Class                                string // "optimal", "within-noise", "retired", "failed" or ""
	Failed                               bool
}

func newView(r Report) view {
	v := view{
		Name:              functionName(r.FunctionARN),
		FunctionARN:       r.FunctionARN,
		Region:            r.Region,
		TunedAt:           r.TunedAt,
		Strategy:          strategyText(r),
		TuningCost:        money(r.TuningCost, r.Currency),
		Verdict:           verdict(r),
		ChartURL:          r.ChartURL,
		Chart:             newChart(r),
		ManyArchitectures: len(r.Series) > 1,
		AnyRetired:        anyRetired(r),
		Currency:          r.Currency,
	}
	for _, s := range r.Series {
		for _, res := range sortedByPower(s.Results) {
			v.Rows = append(v.Rows, newRow(r, s.Architecture, res))
		}
	}
	return v
}

func newRow(r Report, architecture string, res analysis.PowerResult) row {
	w := row{
		Power: fmt.Sprint(res.Power), Architecture: architecture,
		Invocations: res.Invocations, Errors: res.Errors, Failed: res.Failed,
	}
	optimal := isOptimum(r, architecture, res.Power)
	w.Notes = rowNotes(optimal, isBaseline(r, architecture, res.Power), res)
	switch {
	case optimal:
		w.Class = "optimal"
	case res.Failed:
		w.Class = "failed"
	case isTie(res, optimal):
		w.Class = "within-noise"
	case res.Retired:
		w.Class = "retired"
	}
	if res.Failed {
		return w
	}
	w.Duration, w.P50 = durationCell(res.AverageDuration), durationCell(res.P50Duration)
	w.P90, w.P99 = durationCell(res.P90Duration), durationCell(res.P99Duration)
	w.Cost, w.Total = plainDecimal(res.AverageCost, 3), plainDecimal(res.TotalCost, 3)
	return w
}

// isOptimum and isBaseline: the result at power in the architecture's
// series is the optimum, or today's size. A report with one series names
// no architecture it must match.
func isOptimum(r Report, architecture string, power int32) bool {
	return r.OptimalPower != 0 && sameSize(r, power, architecture, r.OptimalPower, r.OptimalArchitecture)
}

func isBaseline(r Report, architecture string, power int32) bool {
	return r.BaselinePower != 0 && sameSize(r, power, architecture, r.BaselinePower, r.BaselineArchitecture)
}

func sameSize(r Report, power int32, architecture string, wantPower int32, wantArchitecture string) bool {
	return power == wantPower && (architecture == wantArchitecture || len(r.Series) == 1)
}

func strategyText(r Report) string {
	switch r.Strategy {
	case analysis.StrategyBalanced:
		return fmt.Sprintf("balanced, weight %.2g on cost and %.2g on duration", r.BalancedWeight, 1-r.BalancedWeight)
	case analysis.StrategySpeed:
		return "speed (the fastest size)"
	default:
		return "cost (the cheapest size)"
	}
}
