package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// managedResultModel is one setting of managed_instances_outcome.
type managedResultModel struct {
	Power            types.Int64   `tfsdk:"power"`
	MemoryPerVCPU    types.Float64 `tfsdk:"memory_per_vcpu"`
	Concurrency      types.Int64   `tfsdk:"max_concurrency_per_environment"`
	InFlight         types.Int64   `tfsdk:"in_flight_per_environment"`
	PerEnvironment   types.Float64 `tfsdk:"requests_per_second_per_environment"`
	PerInstance      types.Float64 `tfsdk:"requests_per_second_per_instance"`
	InstanceType     types.String  `tfsdk:"instance_type"`
	P50              types.Float64 `tfsdk:"p50_ms"`
	P90              types.Float64 `tfsdk:"p90_ms"`
	P99              types.Float64 `tfsdk:"p99_ms"`
	Requests         types.Int64   `tfsdk:"requests"`
	Errors           types.Int64   `tfsdk:"errors"`
	Throttles        types.Int64   `tfsdk:"throttles"`
	CostPerMillion   types.Float64 `tfsdk:"cost_per_million"`
	MeetsLatencyGoal types.Bool    `tfsdk:"meets_latency_goal"`
	Failed           types.Bool    `tfsdk:"failed"`
	FailureReason    types.String  `tfsdk:"failure_reason"`
}

// managedOutcomeModel is managed_instances_outcome.
type managedOutcomeModel struct {
	Results             []managedResultModel `tfsdk:"results"`
	Optimum             *managedResultModel  `tfsdk:"optimum"`
	RequestsPerSecond   types.Float64        `tfsdk:"requests_per_second"`
	MonthlyCost         types.Float64        `tfsdk:"monthly_cost"`
	Instances           types.Int64          `tfsdk:"instances"`
	OnDemandPower       types.Int64          `tfsdk:"on_demand_power"`
	OnDemandCost        types.Float64        `tfsdk:"on_demand_cost_per_invocation"`
	OnDemandMonthlyCost types.Float64        `tfsdk:"on_demand_monthly_cost"`
	Comparison          types.String         `tfsdk:"comparison"`
	PricesDate          types.String         `tfsdk:"prices_date"`
	InstanceHours       types.Float64        `tfsdk:"instance_hours"`
}

// managedOutcomeValue is managed_instances_outcome of a report: null for a
// run that did not tune for Lambda Managed Instances.
func managedOutcomeValue(ctx context.Context, m *report.Managed) (types.Object, diag.Diagnostics) {
	if m == nil {
		return types.ObjectNull(managedOutcomeAttrTypes), nil
	}
	out := managedOutcomeModel{
		Results:             make([]managedResultModel, len(m.Results)),
		RequestsPerSecond:   types.Float64Null(),
		MonthlyCost:         types.Float64Null(),
		Instances:           types.Int64Null(),
		OnDemandPower:       types.Int64Null(),
		OnDemandMonthlyCost: types.Float64Null(),
		OnDemandCost:        types.Float64Null(),
		Comparison:          types.StringValue(m.Comparison),
		PricesDate:          types.StringValue(m.PricesDate),
		InstanceHours:       types.Float64Value(m.LoadInstanceHours),
	}
	for i, r := range m.Results {
		out.Results[i] = managedResultRow(r)
	}
	if m.Optimum != nil {
		row := managedResultRow(*m.Optimum)
		out.Optimum = &row
	}
	if m.Monthly != nil {
		out.RequestsPerSecond = types.Float64Value(m.Monthly.RequestsPerSecond)
		out.MonthlyCost = types.Float64Value(m.Monthly.Cost)
		out.Instances = types.Int64Value(int64(m.Monthly.Instances))
	}
	if m.OnDemand != nil {
		out.OnDemandPower = types.Int64Value(int64(m.OnDemand.Power))
		out.OnDemandMonthlyCost = types.Float64Value(m.OnDemand.MonthlyCost)
		out.OnDemandCost = types.Float64Value(m.OnDemand.CostPerInvocation)
	}
	return types.ObjectValueFrom(ctx, managedOutcomeAttrTypes, out)
}

func managedResultRow(r analysis.ManagedResult) managedResultModel {
	return managedResultModel{
		Power:            types.Int64Value(int64(r.Power)),
		MemoryPerVCPU:    types.Float64Value(r.MemoryPerVCPU),
		Concurrency:      types.Int64Value(int64(r.Concurrency)),
		InFlight:         types.Int64Value(int64(r.InFlightPerEnvironment)),
		PerEnvironment:   types.Float64Value(r.RequestsPerSecondPerEnvironment),
		PerInstance:      types.Float64Value(r.RequestsPerSecondPerInstance),
		InstanceType:     types.StringValue(r.Instance),
		P50:              types.Float64Value(r.P50Ms),
		P90:              types.Float64Value(r.P90Ms),
		P99:              types.Float64Value(r.P99Ms),
		Requests:         types.Int64Value(int64(r.Requests)),
		Errors:           types.Int64Value(int64(r.Errors)),
		Throttles:        types.Int64Value(int64(r.Throttles)),
		CostPerMillion:   types.Float64Value(r.CostPerMillion),
		MeetsLatencyGoal: types.BoolValue(r.MeetsLatencyGoal),
		Failed:           types.BoolValue(r.Failed),
		FailureReason:    types.StringValue(r.FailureReason),
	}
}

// managedOutcomeOf maps managed_instances_outcome back to the report's part,
// for a report written again from state; nil when null.
func managedOutcomeOf(ctx context.Context, v types.Object) (*report.Managed, diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	var m managedOutcomeModel
	diags := v.As(ctx, &m, basetypes.ObjectAsOptions{})
	out := &report.Managed{Comparison: m.Comparison.ValueString(), PricesDate: m.PricesDate.ValueString(),
		LoadInstanceHours: m.InstanceHours.ValueFloat64()}
	for _, row := range m.Results {
		out.Results = append(out.Results, managedResultOf(row))
	}
	if m.Optimum != nil {
		optimum := managedResultOf(*m.Optimum)
		out.Optimum = &optimum
	}
	if !m.MonthlyCost.IsNull() {
		out.Monthly = &analysis.ManagedMonthly{RequestsPerSecond: m.RequestsPerSecond.ValueFloat64(), Cost: m.MonthlyCost.ValueFloat64(),
			Instances: int(m.Instances.ValueInt64())}
	}
	if !m.OnDemandPower.IsNull() {
		out.OnDemand = &report.OnDemandComparison{Power: int32(m.OnDemandPower.ValueInt64()), //nolint:gosec // a memory size
			MonthlyCost: m.OnDemandMonthlyCost.ValueFloat64(), CostPerInvocation: m.OnDemandCost.ValueFloat64()}
	}
	return out, diags
}

func managedResultOf(r managedResultModel) analysis.ManagedResult {
	return analysis.ManagedResult{
		ManagedSetting: analysis.ManagedSetting{Power: int32(r.Power.ValueInt64()), //nolint:gosec // a memory size
			MemoryPerVCPU: r.MemoryPerVCPU.ValueFloat64(), Concurrency: int(r.Concurrency.ValueInt64())},
		InFlightPerEnvironment:          int(r.InFlight.ValueInt64()),
		RequestsPerSecondPerEnvironment: r.PerEnvironment.ValueFloat64(),
		RequestsPerSecondPerInstance:    r.PerInstance.ValueFloat64(),
		Instance:                        r.InstanceType.ValueString(),
		P50Ms:                           r.P50.ValueFloat64(),
		P90Ms:                           r.P90.ValueFloat64(),
		P99Ms:                           r.P99.ValueFloat64(),
		Requests:                        int(r.Requests.ValueInt64()),
		Errors:                          int(r.Errors.ValueInt64()),
		Throttles:                       int(r.Throttles.ValueInt64()),
		CostPerMillion:                  r.CostPerMillion.ValueFloat64(),
		MeetsLatencyGoal:                r.MeetsLatencyGoal.ValueBool(),
		Failed:                          r.Failed.ValueBool(),
		FailureReason:                   r.FailureReason.ValueString(),
	}
}
