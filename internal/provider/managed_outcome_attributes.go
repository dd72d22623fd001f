package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	datasourceschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// managedOutcomeName is the outcome of a tuning on Lambda Managed Instances.
const managedOutcomeName = "managed_instances_outcome"

const descManagedOutcome = "With `managed_instances`: every setting's figures under load, the optimum and, with " +
	"`requests_per_second`, what it costs a month (against on-demand Lambda with `compare_on_demand`). Null otherwise."

// managedResultFields are the figures of one setting held under load.
var managedResultFields = []computedField{
	{"power", types.Int64Type, "Memory size of an execution environment (MB)."},
	{"memory_per_vcpu", types.Float64Type, "GiB of memory per vCPU."},
	{"max_concurrency_per_environment", types.Int64Type, "Invocations one execution environment served at once, at most."},
	{"in_flight_per_environment", types.Int64Type, "Invocations kept in flight on each environment while the load was held: the level the ramp found best, at most `max_concurrency_per_environment`."},
	{"requests_per_second_per_environment", types.Float64Type, "Sustained successful requests per second of one execution environment."},
	{"requests_per_second_per_instance", types.Float64Type, "Sustained successful requests per second of one instance of `instance_type`, full of environments."},
	{"instance_type", types.StringType, "The instance type, among those the capacity provider allows, that serves a request the cheapest."},
	{"p50_ms", types.Float64Type, "Median duration under load (ms), as Lambda reported it: waiting for a vCPU included, the network to Lambda left out."},
	{"p90_ms", types.Float64Type, "90th percentile latency under load (ms)."},
	{"p99_ms", types.Float64Type, "99th percentile latency under load (ms)."},
	{"requests", types.Int64Type, "Requests sent while the load was held."},
	{"errors", types.Int64Type, "Requests that failed with a function error."},
	{"throttles", types.Int64Type, "Requests Lambda refused (429) because every environment was busy."},
	{"cost_per_million", types.Float64Type, "What a million requests cost at this throughput: the instance hours with the 15 % management fee, and the request price, in `currency`."},
	{"meets_latency_goal", types.BoolType, "Whether `p99_ms` is within `latency_p99_ms` (`true` without a goal). A setting that misses it is never chosen."},
	{"failed", types.BoolType, "Whether the setting could not be measured."},
	{"failure_reason", types.StringType, "Why the setting could not be measured; empty otherwise."},
}

// managedTotalsFields are the outcome's figures besides its settings.
var managedTotalsFields = []computedField{
	{"requests_per_second", types.Float64Type, "The traffic the monthly figures are for (`requests_per_second`); null without it."},
	{"monthly_cost", types.Float64Type, "What the optimum costs a month at `requests_per_second`: its instances for 730 hours with the fee, and the requests."},
	{"instances", types.Int64Type, "Instances of the optimum's `instance_type` that `requests_per_second` needs (never fewer than hold the environments Lambda keeps running)."},
	{"on_demand_power", types.Int64Type, "With `compare_on_demand`: the on-demand memory size the ordinary tuning chose."},
	{"on_demand_cost_per_invocation", types.Float64Type, "With `compare_on_demand`: the average cost of one invocation at `on_demand_power`."},
	{"on_demand_monthly_cost", types.Float64Type, "With `compare_on_demand`: what on-demand Lambda costs a month at `requests_per_second` at that size."},
	{"comparison", types.StringType, "With `compare_on_demand`: one sentence saying which is cheaper a month, and by how much."},
	{"prices_date", types.StringType, "The date of the built-in instance prices used; empty when `instance_price_per_hour` gave the price."},
	{"instance_hours", types.Float64Type, "Instance hours the run's copies held while they were measured."},
}

var (
	managedResultAttrTypes  = fieldTypes(managedResultFields)
	managedResultType       = types.ObjectType{AttrTypes: managedResultAttrTypes}
	managedOutcomeAttrTypes = func() map[string]attr.Type {
		t := fieldTypes(managedTotalsFields)
		t["results"] = types.ListType{ElemType: managedResultType}
		t["optimum"] = managedResultType
		return t
	}()
)

// runManagedOutcomeAttribute is managed_instances_outcome on the run resource.
func runManagedOutcomeAttribute() schema.Attribute {
	row := make(map[string]schema.Attribute, len(managedResultFields))
	for _, f := range managedResultFields {
		row[f.name] = runComputedAttribute(f, false)
	}
	attributes := map[string]schema.Attribute{
		"results": schema.ListNestedAttribute{MarkdownDescription: "One entry per setting, by memory size, memory per vCPU and concurrency.",
			Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: row}},
		"optimum": schema.SingleNestedAttribute{MarkdownDescription: "The setting the strategy chose among those that met the latency goal.",
			Computed: true, Attributes: row},
	}
	for _, f := range managedTotalsFields {
		attributes[f.name] = runComputedAttribute(f, false)
	}
	return schema.SingleNestedAttribute{MarkdownDescription: descManagedOutcome, Computed: true, Attributes: attributes,
		PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()}}
}

// reportManagedOutcomeAttribute is managed_instances_outcome on the data sources.
func reportManagedOutcomeAttribute() datasourceschema.Attribute {
	row := reportComputedAttributes(managedResultFields)
	attributes := reportComputedAttributes(managedTotalsFields)
	attributes["results"] = datasourceschema.ListNestedAttribute{MarkdownDescription: "One entry per setting.", Computed: true,
		NestedObject: datasourceschema.NestedAttributeObject{Attributes: row}}
	attributes["optimum"] = datasourceschema.SingleNestedAttribute{MarkdownDescription: "The setting the strategy chose.", Computed: true,
		Attributes: row}
	return datasourceschema.SingleNestedAttribute{MarkdownDescription: descManagedOutcome, Computed: true, Attributes: attributes}
}
