package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// managed_instances_outcome holds all a report's managed part has, so a
// report written again from state is the one the run wrote.
func TestManagedOutcomeRoundTrips(t *testing.T) {
	ctx := context.Background()
	io := analysis.ManagedResult{ManagedSetting: analysis.ManagedSetting{Power: 4096, MemoryPerVCPU: 4, Concurrency: 32},
		InFlightPerEnvironment: 16, RequestsPerSecondPerEnvironment: 140.5, RequestsPerSecondPerInstance: 562, Instance: "m7g.xlarge", P50Ms: 212, P90Ms: 230, P99Ms: 260.5,
		Requests: 25300, Errors: 1, Throttles: 12, CostPerMillion: 0.2928, MeetsLatencyGoal: true}
	failed := analysis.ManagedResult{ManagedSetting: analysis.ManagedSetting{Power: 2048, MemoryPerVCPU: 8, Concurrency: 64},
		Failed: true, FailureReason: "Runtime.OutOfMemory under load"}
	want := &report.Managed{
		Results: []analysis.ManagedResult{failed, io}, Optimum: &io, PricesDate: analysis.ManagedPricesDate,
		Monthly:    &analysis.ManagedMonthly{RequestsPerSecond: 200, Instances: 3, Cost: 533.3},
		OnDemand:   &report.OnDemandComparison{Power: 1024, CostPerInvocation: 4.2e-6, MonthlyCost: 2207.5},
		Comparison: "Lambda Managed Instances cost 533.30 USD a month, 76 % less than on-demand Lambda at 2207.50 USD.", LoadInstanceHours: 0.4,
	}
	value, diags := managedOutcomeValue(ctx, want)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got, diags := managedOutcomeOf(ctx, value)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip gave\n%+v\nwant\n%+v", got, want)
	}
	if none, _ := managedOutcomeValue(ctx, nil); !none.IsNull() {
		t.Error("a run without managed_instances has an outcome")
	}
	if back, _ := managedOutcomeOf(ctx, value); back.Optimum == nil || back.Optimum.Instance != "m7g.xlarge" {
		t.Errorf("optimum %+v", back.Optimum)
	}
}
