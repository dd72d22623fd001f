package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// managedInstancesAttribute is the managed_instances argument: a tuning on
// Lambda Managed Instances, under load, on copies.
func managedInstancesAttribute() schema.Attribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Tune for Lambda Managed Instances instead of per invocation: each combination of memory size, " +
			"memory per vCPU and invocations per execution environment is held under a concurrent load on a temporary " +
			"copy on a capacity provider, and the optimum is the cheapest per million requests (with `strategy = \"cost\"`) " +
			"that meets `latency_p99_ms`. Needs `isolation = \"copies\"`. See the guide Tuning on Lambda Managed Instances.",
		Optional:      true,
		PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
		Attributes: map[string]schema.Attribute{
			"memory_per_vcpu": schema.ListAttribute{
				MarkdownDescription: "GiB of memory per vCPU to try: `2`, `4` and/or `8`. CPU-bound code wants fewer GiB per vCPU.",
				ElementType:         types.Float64Type,
				Required:            true,
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueFloat64sAre(float64validator.OneOf(spec.ManagedMemoryPerVCPU()...))},
			},
			"max_concurrency_per_environment": schema.ListAttribute{
				MarkdownDescription: fmt.Sprintf("How many invocations one execution environment serves at once, to try: each "+
					"%d to %d. I/O-bound handlers serve many per vCPU, CPU-bound ones about one.", spec.MinManagedConcurrency, spec.MaxManagedConcurrency),
				ElementType: types.Int64Type,
				Required:    true,
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueInt64sAre(int64validator.Between(spec.MinManagedConcurrency, spec.MaxManagedConcurrency))},
			},
			"power_values": schema.ListAttribute{
				MarkdownDescription: fmt.Sprintf("Memory sizes (MB) of an execution environment to try, each %d to %d. Defaults to "+
					"the function's own.", spec.MinManagedPower, spec.MaxManagedPower),
				ElementType: types.Int64Type,
				Optional:    true,
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueInt64sAre(int64validator.Between(spec.MinManagedPower, spec.MaxManagedPower))},
			},
			"load_seconds": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How long each setting is held under load once its load has ramped up, %d to %d "+
					"seconds. Defaults to %d.", spec.MinLoadSeconds, spec.MaxLoadSeconds, spec.DefaultLoadSeconds),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(spec.MinLoadSeconds, spec.MaxLoadSeconds)},
			},
			"latency_p99_ms": schema.Float64Attribute{
				MarkdownDescription: "The latency goal: a setting whose 99th percentile latency under load is higher is never chosen.",
				Optional:            true,
				Validators:          []validator.Float64{float64validator.AtLeast(0)},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: "Your function's steady traffic, for the optimum's monthly cost and instance count.",
				Optional:            true,
				Validators:          []validator.Float64{float64validator.AtLeast(0)},
			},
			"capacity_provider_arn": schema.StringAttribute{
				MarkdownDescription: "The capacity provider the copies run on. Defaults to the function's own; required for a " +
					"function that runs on-demand today, to find out what Lambda Managed Instances would do for it.",
				Optional: true,
			},
			"instance_price_per_hour": schema.Float64Attribute{
				MarkdownDescription: "The on-demand price per hour of the capacity provider's instances, in `currency`, instead of " +
					"the built-in price list (us-east-1, dated in the result). Give it for other Regions, or your own rates.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0)},
			},
			"compare_on_demand": schema.BoolAttribute{
				MarkdownDescription: "Also tune the function's on-demand memory size on ordinary copies (`power_values`) and compare " +
					"both monthly costs at `requests_per_second`.",
				Optional: true,
			},
		},
	}
}

// managedInstancesModel is managed_instances.
type managedInstancesModel struct {
	MemoryPerVCPU        []float64     `tfsdk:"memory_per_vcpu"`
	MaxConcurrency       []int64       `tfsdk:"max_concurrency_per_environment"`
	PowerValues          []int64       `tfsdk:"power_values"`
	LoadSeconds          types.Int64   `tfsdk:"load_seconds"`
	LatencyP99Ms         types.Float64 `tfsdk:"latency_p99_ms"`
	RequestsPerSecond    types.Float64 `tfsdk:"requests_per_second"`
	CapacityProviderARN  types.String  `tfsdk:"capacity_provider_arn"`
	InstancePricePerHour types.Float64 `tfsdk:"instance_price_per_hour"`
	CompareOnDemand      types.Bool    `tfsdk:"compare_on_demand"`
}

// managedInstancesAttrTypes is the object type of managed_instances.
var managedInstancesAttrTypes = map[string]attr.Type{
	"memory_per_vcpu": types.ListType{ElemType: types.Float64Type}, "max_concurrency_per_environment": types.ListType{ElemType: types.Int64Type},
	"power_values": types.ListType{ElemType: types.Int64Type}, "load_seconds": types.Int64Type, "latency_p99_ms": types.Float64Type,
	"requests_per_second": types.Float64Type, "capacity_provider_arn": types.StringType, "instance_price_per_hour": types.Float64Type,
	"compare_on_demand": types.BoolType,
}

// managedInstancesInput is the engine's reading of managed_instances; nil
// when it is null or not known yet.
func managedInstancesInput(ctx context.Context, v types.Object) (*spec.ManagedInstances, diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	var m managedInstancesModel
	diags := v.As(ctx, &m, basetypes.ObjectAsOptions{})
	out := &spec.ManagedInstances{
		MemoryPerVCPU:        m.MemoryPerVCPU,
		LoadSeconds:          int(m.LoadSeconds.ValueInt64()),
		LatencyP99Ms:         m.LatencyP99Ms.ValueFloat64(),
		RequestsPerSecond:    m.RequestsPerSecond.ValueFloat64(),
		CapacityProviderARN:  m.CapacityProviderARN.ValueString(),
		InstancePricePerHour: m.InstancePricePerHour.ValueFloat64(),
		CompareOnDemand:      m.CompareOnDemand.ValueBool(),
	}
	for _, c := range m.MaxConcurrency {
		out.MaxConcurrencyPerEnvironment = append(out.MaxConcurrencyPerEnvironment, int(c))
	}
	for _, p := range m.PowerValues {
		out.PowerValues = append(out.PowerValues, int32(p)) //nolint:gosec // a memory size, validated
	}
	return out, diags
}

// managedInstancesValue is managed_instances as a report recorded it.
func managedInstancesValue(ctx context.Context, in *spec.ManagedInstances) (types.Object, diag.Diagnostics) {
	if in == nil {
		return types.ObjectNull(managedInstancesAttrTypes), nil
	}
	m := managedInstancesModel{
		MemoryPerVCPU:        in.MemoryPerVCPU,
		LoadSeconds:          optionalInt(in.LoadSeconds),
		LatencyP99Ms:         optionalFloat(in.LatencyP99Ms),
		RequestsPerSecond:    optionalFloat(in.RequestsPerSecond),
		CapacityProviderARN:  optionalString(in.CapacityProviderARN),
		InstancePricePerHour: optionalFloat(in.InstancePricePerHour),
		CompareOnDemand:      types.BoolNull(),
	}
	if in.CompareOnDemand {
		m.CompareOnDemand = types.BoolValue(true)
	}
	for _, c := range in.MaxConcurrencyPerEnvironment {
		m.MaxConcurrency = append(m.MaxConcurrency, int64(c))
	}
	for _, p := range in.PowerValues {
		m.PowerValues = append(m.PowerValues, int64(p))
	}
	return types.ObjectValueFrom(ctx, managedInstancesAttrTypes, m)
}
