package report

import "github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis/htmlreport"

// managedPage is what the HTML page shows of a tuning on Lambda Managed
// Instances; nil for any other run.
func managedPage(r *Report) *htmlreport.Managed {
	if r.Managed == nil {
		return nil
	}
	m := &htmlreport.Managed{
		Results:    r.Managed.Results,
		Optimum:    r.Managed.Optimum,
		PricesDate: r.Managed.PricesDate,
		Monthly:    r.Managed.Monthly,
		Comparison: r.Managed.Comparison,
	}
	if in := r.Input.ManagedInstances; in != nil {
		m.LatencyGoalMs, m.InstancePricePerHour = in.LatencyP99Ms, in.InstancePricePerHour
	}
	return m
}
