package htmlreport

import "github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"

// Managed is what the page shows of a tuning on Lambda Managed Instances:
// every setting measured under load, the optimum and what it costs a month.
type Managed struct {
	Results []analysis.ManagedResult
	// Optimum is the chosen setting; nil when none met the latency goal.
	Optimum *analysis.ManagedResult
	// LatencyGoalMs is the p99 goal (latency_p99_ms); 0 for none.
	LatencyGoalMs float64
	// PricesDate dates the built-in instance prices; "" when
	// InstancePricePerHour gave the price.
	PricesDate           string
	InstancePricePerHour float64
	// Monthly is the optimum at the user's traffic; nil without one.
	Monthly *analysis.ManagedMonthly
	// Comparison is the sentence comparing the month with on-demand Lambda;
	// "" without compare_on_demand.
	Comparison string
}
