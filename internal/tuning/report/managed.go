package report

import "github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"

// Managed is the outcome of a tuning on Lambda Managed Instances: every
// setting's figures under load, the optimum, and with the user's traffic
// what it costs a month, against on-demand Lambda when asked.
type Managed struct {
	Results []analysis.ManagedResult `json:"results"`
	// Optimum is the chosen setting; nil when none met the latency goal.
	Optimum *analysis.ManagedResult `json:"optimum,omitempty"`
	// PricesDate is the date of the built-in instance prices used, or ""
	// when instance_price_per_hour gave the price.
	PricesDate string `json:"prices_date,omitempty"`
	// Monthly is the optimum at the user's requests_per_second.
	Monthly *analysis.ManagedMonthly `json:"monthly,omitempty"`
	// OnDemand is the best on-demand memory size measured on ordinary
	// copies, with compare_on_demand.
	OnDemand *OnDemandComparison `json:"on_demand,omitempty"`
	// Comparison says in one sentence which is cheaper a month, and by how much.
	Comparison string `json:"comparison,omitempty"`
	// LoadInstanceHours are the instance hours the run's copies held.
	LoadInstanceHours float64 `json:"load_instance_hours"`
}

// OnDemandComparison is the on-demand side of a comparison.
type OnDemandComparison struct {
	Power             int32   `json:"power"`
	CostPerInvocation float64 `json:"cost_per_invocation"`
	MonthlyCost       float64 `json:"monthly_cost"`
}
