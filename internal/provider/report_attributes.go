package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// computedField is a read-only attribute that awspowertuning_run and
// awspowertuning_report both expose. Each schema builds its attributes from
// the tables below, so the two stay in step, pages included.
type computedField struct {
	name        string
	typ         attr.Type
	description string
}

// outcomeFields are the outcome of a run, except results.
var outcomeFields = []computedField{
	{"id", types.StringType, "Identifier of the run: the tuned function's ARN and the time of the run."},
	{"function_arn", types.StringType, "ARN of the tuned function (resolved from `lambda_arn`)."},
	{"optimal_power", types.Int64Type, "The memory size (MB) the strategy chose. `0` for a dry run."},
	{"optimal_cost", types.Float64Type, "Average cost of one invocation at `optimal_power`, in `currency`."},
	{"optimal_duration", types.Float64Type, "Average duration (ms) of one invocation at `optimal_power`."},
	{"baseline_power", types.Int64Type, "The memory size (MB) the function had before the run, to compare the optimum with. " +
		"Null in reports stored before it was recorded."},
	{"optimal_relative_cost", types.Float64Type, "`optimal_cost` divided by the average cost at `baseline_power`: `0.96` " +
		"means the optimum is 4 % cheaper per invocation than the function's memory size before the run. Null when " +
		"`baseline_power` was not among the measured sizes (add it to `power_values`), failed, or for a dry run."},
	{"optimal_relative_duration", types.Float64Type, "`optimal_duration` divided by the average duration at " +
		"`baseline_power`: `0.62` means the optimum is 38 % faster. Null when `optimal_relative_cost` is."},
	{"tuning_cost", types.Float64Type, "What the run's invocations cost, in `currency`."},
	{"invocations_saved", types.Int64Type, "How many fewer invocations the run made than exhaustive sampling " +
		"(`num` for every memory size that did not fail) would have: `0` unless `sampling = \"adaptive\"`."},
	{"architecture", types.StringType, "Instruction set architecture of the function: `x86_64` or `arm64`. Prices depend on it."},
	{"currency", types.StringType, "Currency of every cost: `USD`, `CNY` in China Regions, or the `currency` of the provider's `lambda_prices` entry that priced the run."},
	{"visualization_url", types.StringType, "Link to a chart of cost and duration per memory size (with `architectures`, of the optimum's architecture)."},
	{"optimal_architecture", types.StringType, "The architecture of the optimum: the function's, or with `architectures` the one the strategy chose. `auto_optimize` never changes a function's architecture."},
	{"visualization_urls", visualizationURLsType, "With `architectures`: a chart link per architecture, keyed by architecture. Empty otherwise."},
	{"output", types.StringType, "The result as JSON in the shape of AWS Lambda Power Tuning's state machine output: `power`, `cost`, `duration`, `stateMachine` and, with `include_output_results`, `stats`."},
	{"tuned_at", types.StringType, "When the run finished (RFC 3339)."},
	{"function_code_sha256", types.StringType, "SHA-256 of the code that was tuned (the function's `CodeSha256`), to tell whether results still describe the deployed code."},
	{"invoke_mode_used", types.StringType, "How every invocation was made: `buffered` (`Invoke`) or `stream` " +
		"(`InvokeWithResponseStream`). With `invoke_mode = \"auto\"`, the mode the run's first invocation settled on. " +
		"`buffered` for reports stored before it was recorded, and for runs through a state machine."},
}

// visualizationURLsType is visualization_urls: architecture → chart link.
var visualizationURLsType = types.MapType{ElemType: types.StringType}

// descResults describes results, a list of resultFields objects.
const descResults = "One entry per tested memory size, in ascending order; with `architectures`, one per architecture and memory size, grouped by architecture in the order given."

// descMeasuredResults adds how this provider reports its own measurements.
const descMeasuredResults = descResults + " Durations are rounded to 0.01 ms and costs to 12 significant digits. " +
	"A `failed` memory size has null `average_cost`, `average_duration` and percentiles (its only figures would " +
	"be those of the invocation that failed) and is never chosen; its `total_cost` is what its invocations were billed."

// resultFields are the attributes of one results element.
var resultFields = []computedField{
	{"power", types.Int64Type, "Memory size (MB)."},
	{"architecture", types.StringType, "Architecture the memory size was measured on: the function's, or with `architectures` the copy's."},
	{"average_cost", types.Float64Type, "Average cost of one invocation: trimmed mean of billed duration (see `discard_top_bottom`), priced at this memory size, plus the request price."},
	{"average_duration", types.Float64Type, "Trimmed mean duration (ms), init and restore time included."},
	{"total_cost", types.Float64Type, "What all invocations at this memory size cost."},
	{"invocations", types.Int64Type, "Number of invocations measured."},
	{"errors", types.Int64Type, "Number of invocations that failed with an allowed exception."},
	{"failed", types.BoolType, "Whether this memory size could not be measured (see `skip_failed_power_values`)."},
	{"failure_reason", types.StringType, "Why this memory size could not be measured; empty otherwise."},
	{"p50_duration", types.Float64Type, "Median duration (ms)."},
	{"p90_duration", types.Float64Type, "90th percentile duration (ms)."},
	{"p99_duration", types.Float64Type, "99th percentile duration (ms)."},
	{"retired", types.BoolType, "Whether adaptive sampling stopped invoking this memory size because it was clearly " +
		"behind the best; its figures are from the invocations it had."},
	{"behind_by", types.Float64Type, "For a retired memory size, how far behind the best its ranked quantity (cost, " +
		"duration or balanced score) was when it was retired, relative to the best's: `0.12` is 12 % worse. `0` otherwise."},
	{"sampling", types.StringType, "With `sampling = \"adaptive\"`, how the memory size was judged: `measured` (in the " +
		"race to the end), `retired` (its own measurements showed it behind the best) or `predicted` (the duration curve " +
		"fitted through the other sizes placed it behind; its own invocations alone were too few to tell). Its figures are " +
		"always its own invocations'. Empty with exhaustive sampling and for a failed memory size."},
	{"within_noise", types.BoolType, "Whether the measurements cannot tell this memory size apart from the optimum " +
		"on the quantity the strategy ranks: the 95 % bootstrap interval of its difference from the optimum reaches " +
		"within `adaptive_tolerance` (5 % unless set) of no difference. Another run of the same function may choose " +
		"any of these sizes; `tie_breaker` chooses among them by a fixed rule. `false` for the optimum, and for " +
		"failed and retired sizes."},
	{"time_to_first_byte", types.Float64Type, "For streamed invocations, the trimmed mean time (ms) from sending the " +
		"request to the response's first byte, as the caller sees it: network and Lambda's own latency included, unlike " +
		"`average_duration`. Null when invocations were buffered, and for a failed memory size."},
	{"response_bytes", types.Int64Type, "Mean size of the function's responses in bytes. A streamed response past 6 MiB " +
		"is sent at about 2 MiB/s, so its duration measures the network rather than the memory size."},
}

// resultAttrTypes is the object type of one results element.
var resultAttrTypes = fieldTypes(resultFields)

func fieldTypes(fields []computedField) map[string]attr.Type {
	byName := make(map[string]attr.Type, len(fields))
	for _, f := range fields {
		byName[f.name] = f.typ
	}
	return byName
}

// resultModel is one element of results.
type resultModel struct {
	Power           types.Int64   `tfsdk:"power"`
	Architecture    types.String  `tfsdk:"architecture"`
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
	Retired         types.Bool    `tfsdk:"retired"`
	BehindBy        types.Float64 `tfsdk:"behind_by"`
	Sampling        types.String  `tfsdk:"sampling"`
	WithinNoise     types.Bool    `tfsdk:"within_noise"`
	TimeToFirstByte types.Float64 `tfsdk:"time_to_first_byte"`
	ResponseBytes   types.Int64   `tfsdk:"response_bytes"`
}

// outcomeModel holds outcomeFields and results. It is embedded in the model
// of both schemas.
type outcomeModel struct {
	ID                      types.String  `tfsdk:"id"`
	FunctionARN             types.String  `tfsdk:"function_arn"`
	OptimalPower            types.Int64   `tfsdk:"optimal_power"`
	OptimalCost             types.Float64 `tfsdk:"optimal_cost"`
	OptimalDuration         types.Float64 `tfsdk:"optimal_duration"`
	BaselinePower           types.Int64   `tfsdk:"baseline_power"`
	OptimalRelativeCost     types.Float64 `tfsdk:"optimal_relative_cost"`
	OptimalRelativeDuration types.Float64 `tfsdk:"optimal_relative_duration"`
	TuningCost              types.Float64 `tfsdk:"tuning_cost"`
	InvocationsSaved        types.Int64   `tfsdk:"invocations_saved"`
	Architecture            types.String  `tfsdk:"architecture"`
	Currency                types.String  `tfsdk:"currency"`
	VisualizationURL        types.String  `tfsdk:"visualization_url"`
	OptimalArch             types.String  `tfsdk:"optimal_architecture"`
	VisualizationURLs       types.Map     `tfsdk:"visualization_urls"`
	Results                 types.List    `tfsdk:"results"`
	Output                  types.String  `tfsdk:"output"`
	TunedAt                 types.String  `tfsdk:"tuned_at"`
	FunctionCodeSha256      types.String  `tfsdk:"function_code_sha256"`
	InvokeModeUsed          types.String  `tfsdk:"invoke_mode_used"`
	ManagedOutcome          types.Object  `tfsdk:"managed_instances_outcome"`
}
