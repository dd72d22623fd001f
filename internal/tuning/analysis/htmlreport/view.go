package htmlreport

import (
	"cmp"
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
	ManyArchitectures                  bool
}

type row struct {
	Power, Architecture                  string
	Duration, P50, P90, P99, Cost, Total string
	Invocations, Errors                  int
	Notes                                []string // "optimum", "today's size", "failed: …"
	Failed, Optimal                      bool
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
	same := func(power int32, arch string) bool {
		return power == res.Power && (arch == architecture || len(r.Series) == 1)
	}
	if r.OptimalPower != 0 && same(r.OptimalPower, r.OptimalArchitecture) {
		w.Optimal = true
		w.Notes = append(w.Notes, "optimum")
	}
	if r.BaselinePower != 0 && same(r.BaselinePower, r.BaselineArchitecture) {
		w.Notes = append(w.Notes, "today's size")
	}
	if res.Failed {
		w.Notes = append(w.Notes, "failed: "+cmp.Or(res.FailureReason, "no figures"))
		return w
	}
	w.Duration, w.P50 = milliseconds(res.AverageDuration), milliseconds(res.P50Duration)
	w.P90, w.P99 = milliseconds(res.P90Duration), milliseconds(res.P99Duration)
	w.Cost, w.Total = money(res.AverageCost, r.Currency), money(res.TotalCost, r.Currency)
	return w
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
