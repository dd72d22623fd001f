package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The outcome of a run is exposed identically by awspowertuning_run and
// awspowertuning_report; these descriptions keep the two pages in step.
const (
	descID                 = "Identifier of the run: the tuned function's ARN and the time of the run."
	descFunctionARN        = "ARN of the tuned function (resolved from `lambda_arn`)."
	descOptimalPower       = "The memory size (MB) the strategy chose. `0` for a dry run."
	descOptimalCost        = "Average cost of one invocation at `optimal_power`, in `currency`."
	descOptimalDuration    = "Average duration (ms) of one invocation at `optimal_power`."
	descTuningCost         = "What the run's invocations cost, in `currency`."
	descArchitecture       = "Instruction set architecture of the function: `x86_64` or `arm64`. Prices depend on it."
	descCurrency           = "Currency of every cost: `USD`, or `CNY` in China Regions."
	descVisualizationURL   = "Link to a chart of cost and duration per memory size."
	descResults            = "One entry per tested memory size, in ascending order."
	descOutput             = "The result as JSON in the shape of AWS Lambda Power Tuning's state machine output: `power`, `cost`, `duration`, `stateMachine` and, with `include_output_results`, `stats`."
	descTunedAt            = "When the run finished (RFC 3339)."
	descFunctionCodeSha256 = "SHA-256 of the code that was tuned (the function's `CodeSha256`), to tell whether results still describe the deployed code."

	descResultPower           = "Memory size (MB)."
	descResultAverageCost     = "Average cost of one invocation: trimmed mean of billed duration (see `discard_top_bottom`), priced at this memory size, plus the request price."
	descResultAverageDuration = "Trimmed mean duration (ms), init and restore time included."
	descResultTotalCost       = "What all invocations at this memory size cost."
	descResultInvocations     = "Number of invocations measured."
	descResultErrors          = "Number of invocations that failed with an allowed exception."
	descResultFailed          = "Whether this memory size could not be measured (see `skip_failed_power_values`)."
	descResultFailureReason   = "Why this memory size could not be measured; empty otherwise."
	descResultP50Duration     = "Median duration (ms)."
	descResultP90Duration     = "90th percentile duration (ms)."
	descResultP99Duration     = "99th percentile duration (ms)."
)

// resultModel is one element of results.
type resultModel struct {
	Power           types.Int64   `tfsdk:"power"`
	AverageCost     types.Float64 `tfsdk:"average_cost"`
	AverageDuration types.Float64 `tfsdk:"average_duration"`
	TotalCost       types.Float64 `tfsdk:"total_cost"`
	Invocations     types.Int64   `tfsdk:"invocations"`
	Errors          types.Int64   `tfsdk:"errors"`
	Failed          types.Bool    `tfsdk:"failed"`
	FailureReason   types.String  `tfsdk:"failure_reason"`
	P50Duration     types.Float64 `tfsdk:"p50_duration"`
	P90Duration     types.Float64 `tfsdk:"p90_duration"`
	P99Duration     types.Float64 `tfsdk:"p99_duration"`
}

// resultAttrTypes is the object type of one results element.
var resultAttrTypes = map[string]attr.Type{
	"power":            types.Int64Type,
	"average_cost":     types.Float64Type,
	"average_duration": types.Float64Type,
	"total_cost":       types.Float64Type,
	"invocations":      types.Int64Type,
	"errors":           types.Int64Type,
	"failed":           types.BoolType,
	"failure_reason":   types.StringType,
	"p50_duration":     types.Float64Type,
	"p90_duration":     types.Float64Type,
	"p99_duration":     types.Float64Type,
}

// resultDescriptions documents each results field, for both schemas.
var resultDescriptions = map[string]string{
	"power":            descResultPower,
	"average_cost":     descResultAverageCost,
	"average_duration": descResultAverageDuration,
	"total_cost":       descResultTotalCost,
	"invocations":      descResultInvocations,
	"errors":           descResultErrors,
	"failed":           descResultFailed,
	"failure_reason":   descResultFailureReason,
	"p50_duration":     descResultP50Duration,
	"p90_duration":     descResultP90Duration,
	"p99_duration":     descResultP99Duration,
}

// outcomeModel holds the computed attributes both schemas share. It is
// embedded in each model.
type outcomeModel struct {
	ID                 types.String  `tfsdk:"id"`
	FunctionARN        types.String  `tfsdk:"function_arn"`
	OptimalPower       types.Int64   `tfsdk:"optimal_power"`
	OptimalCost        types.Float64 `tfsdk:"optimal_cost"`
	OptimalDuration    types.Float64 `tfsdk:"optimal_duration"`
	TuningCost         types.Float64 `tfsdk:"tuning_cost"`
	Architecture       types.String  `tfsdk:"architecture"`
	Currency           types.String  `tfsdk:"currency"`
	VisualizationURL   types.String  `tfsdk:"visualization_url"`
	Results            types.List    `tfsdk:"results"`
	Output             types.String  `tfsdk:"output"`
	TunedAt            types.String  `tfsdk:"tuned_at"`
	FunctionCodeSha256 types.String  `tfsdk:"function_code_sha256"`
}
