package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// minDryRunNum is the least num of any run: a dry run invokes once per
// memory size whatever num says. Between it and spec.MinNum, ValidateConfig
// decides with dry_run in view. (The specification writes this 1 in
// Validate and exports no constant for it.)
const minDryRunNum = 1

// defaultCreateTimeout bounds a whole tuning run unless timeouts.create says otherwise.
const defaultCreateTimeout = 30 * time.Minute

func (r *runResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attributes := runInputAttributes()
	for name, a := range runOutcomeAttributes() {
		attributes[name] = a
	}
	for name, a := range stateMachineAttributes() {
		attributes[name] = a
	}
	attributes["triggers"] = schema.MapAttribute{
		MarkdownDescription: "Arbitrary values that re-run the tuning when they change, such as the function's " +
			"`source_code_hash` or a release version. Runs are otherwise never repeated by themselves.",
		Optional:      true,
		ElementType:   types.StringType,
		PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
	}
	attributes["report_s3_uri"] = schema.StringAttribute{
		MarkdownDescription: "Where to store the full report as JSON after the run, as `s3://bucket/key`. The " +
			"`awspowertuning_report` data source reads it (for example from another workspace), and `terraform import` " +
			"recreates this resource from it. Before the run, the provider checks that S3 takes the report by writing and " +
			"deleting a small object at the key plus `.write-check` (needs `s3:PutObject` and `s3:DeleteObject`), so a " +
			"wrong or forbidden bucket fails the apply before anything is invoked. Changing it writes the recorded run " +
			"to the new place without re-running it.",
		Optional:   true,
		Validators: []validator.String{s3URI()},
		// Where the report goes changes no measurement: the stored run is
		// written there on update, without a run.
	}
	attributes["report_s3_html"] = schema.BoolAttribute{
		MarkdownDescription: "Also store the report as one self-contained HTML page (chart, table and the comparison " +
			"with `baseline_power`) next to the JSON: at `report_s3_uri` with `.json` replaced by `.html`, or `.html` " +
			"appended when the key has no `.json` ending. Needs `report_s3_uri` and `s3:PutObject` on that key. " +
			"Defaults to `false`.",
		Optional:      true,
		Computed:      true,
		Default:       booldefault.StaticBool(false),
		PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
	}

	timeoutsBlock := timeouts.Block(ctx, timeouts.Opts{
		Create: true,
		CreateDescription: fmt.Sprintf("How long the whole run may take, such as `45m` (default `%s`). When it "+
			"expires the run stops, cleans the function up and fails.", shortDuration(defaultCreateTimeout)),
	})
	if block, ok := timeoutsBlock.(schema.SingleNestedBlock); ok {
		block.MarkdownDescription = "Limits on how long operations may take."
		timeoutsBlock = block
	}

	resp.Schema = schema.Schema{
		MarkdownDescription: "Power-tunes an AWS Lambda function: invokes it `num` times at each memory size, " +
			"measures duration and cost from its logs, and reports the best size for the chosen `strategy` (and " +
			"applies it with `auto_optimize`). The function is always left as it was found: every alias and version " +
			"the run creates is deleted and the memory size of `$LATEST` is restored.\n\n" +
			"The run happens when the resource is created. Changing `triggers` or an argument that changes what is " +
			"measured runs it again; `disable_payload_logs`, `include_output_results`, `report_s3_uri`, `timeouts` " +
			"and the order of `power_values` are updated in place from the recorded results. Refreshing never runs it. Destroying the resource only forgets the results: the function is not touched.",
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": timeoutsBlock},
	}
}

// runInputAttributes are the tuning inputs; every one re-runs the tuning.
func runInputAttributes() map[string]schema.Attribute {
	replaceString := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	replaceInt := []planmodifier.Int64{int64planmodifier.RequiresReplace()}
	replaceFloat := []planmodifier.Float64{float64planmodifier.RequiresReplace()}
	replaceBool := []planmodifier.Bool{boolplanmodifier.RequiresReplace()}
	replaceList := []planmodifier.List{listplanmodifier.RequiresReplace()}

	// flag is an optional boolean that defaults to false.
	flag := func(description string) schema.BoolAttribute {
		return schema.BoolAttribute{
			MarkdownDescription: description + " Defaults to `false`.",
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(false),
			PlanModifiers:       replaceBool,
		}
	}

	attributes := map[string]schema.Attribute{
		spec.AttrLambdaARN: schema.StringAttribute{
			MarkdownDescription: "The function to tune: its ARN (the function is tuned in the ARN's Region), its name " +
				"or its partial ARN `<account-id>:function:<name>` (tuned in the provider's `region`). Give no version " +
				"or alias qualifier: tuning in place works on `$LATEST` and publishes its own versions. With " +
				"`isolation = \"copies\"` a qualified ARN (`…:<version>` or `…:<alias>`) is accepted: the copies are " +
				"built from that version's code and configuration.",
			Required:      true,
			Validators:    []validator.String{functionReference()},
			PlanModifiers: replaceString,
		},
		spec.AttrNum: schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Invocations per memory size: at least %d, at most %d, 10 to 100 recommended. "+
				"The maximum is what the original tool can make: all invocations of a memory size run inside one "+
				"15-minute Lambda invocation. With `only_cold_starts`, `num` times the number of memory sizes may be "+
				"at most %d, as each invocation gets its own version and alias. "+
				"A dry run invokes once per memory size whatever `num` says.", spec.MinNum, spec.MaxNum, spec.MaxColdStartVersions),
			Required:      true,
			Validators:    []validator.Int64{int64validator.Between(minDryRunNum, spec.MaxNum)},
			PlanModifiers: replaceInt,
		},
		spec.AttrPowerValues: schema.ListAttribute{
			MarkdownDescription: fmt.Sprintf("Memory sizes (MB) to test, each between %d and %d. Defaults to the "+
				"provider's `default_power_values`. New AWS accounts may be limited to 3008 MB.", spec.MinPower, spec.MaxPower),
			Optional:    true,
			ElementType: types.Int64Type,
			// power_values_all = false beside power_values is what modules
			// passing a variable and -generate-config-out write: only true conflicts.
			Validators: append(powerValuesValidators(),
				onlyWhen(spec.AttrPowerValuesAll, types.BoolValue(false), types.BoolValue(false))),
			// The run sorts them: only another set of sizes is another run.
			PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplaceIf(otherPowerValues,
				"Changing the set of memory sizes re-runs the tuning; reordering them does not.",
				"Changing the set of memory sizes re-runs the tuning; reordering them does not.")},
		},
		spec.AttrPowerValuesAll: flag(fmt.Sprintf("Test every memory size from %d to %d MB in steps of %d (the original "+
			"tool's `\"ALL\"`). Conflicts with `power_values`.", spec.MinPower, spec.AllPowerValuesMax, spec.AllPowerValuesStep)),
		spec.AttrPayload: schema.StringAttribute{
			MarkdownDescription: "Request body of every invocation, as JSON text (use `jsonencode()`). A list whose every " +
				"element has a `payload` and a non-zero `weight` is a weighted payload: each payload gets a share of the " +
				"`num` invocations in proportion to its weight. Conflicts with `payload_s3`.",
			Optional:   true,
			Validators: []validator.String{jsonText()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(samePayloadAsImported,
				"Changing the payload re-runs the tuning.", "Changing the payload re-runs the tuning.")},
		},
		spec.AttrPayloadS3: schema.StringAttribute{
			MarkdownDescription: "Read the payload from an S3 object instead, as `s3://bucket/key` (for payloads too large " +
				"for the configuration). A body that is not JSON is sent as a JSON string. Needs `s3:GetObject`. " +
				"Conflicts with `payload`.",
			Optional: true,
			Validators: []validator.String{
				s3URI(),
				stringvalidator.ConflictsWith(path.MatchRoot(spec.AttrPayload)),
			},
			PlanModifiers: replaceString,
		},
		spec.AttrParallelInvocation: flag("Invoke all `num` invocations of a memory size at once instead of one after the other. " +
			"Faster, but may be throttled by the function's or the account's concurrency limit."),
		spec.AttrMaxConcurrency: schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("The most invocations of this run in flight at once, across all its memory sizes, serial or parallel "+
				"(memory sizes are measured side by side as soon as each is configured). `1` runs one invocation at a time in the whole run, "+
				"for a function with reserved concurrency 1. Defaults to %d. The provider's `max_concurrent_invocations` caps all runs together on top of it.",
				spec.DefaultMaxConcurrency),
			Optional: true,
			Validators: []validator.Int64{
				int64validator.AtLeast(1),
			},
			PlanModifiers: replaceInt,
		},
		spec.AttrStrategy: schema.StringAttribute{
			MarkdownDescription: "How the optimal memory size is chosen: `cost` (the cheapest; ties go to the faster), " +
				"`speed` (the fastest; ties go to the cheaper) or `balanced` (see `balanced_weight`). Defaults to `cost`.",
			Optional: true,
			Computed: true,
			Default:  stringdefault.StaticString(string(analysis.StrategyCost)),
			Validators: []validator.String{stringvalidator.OneOf(
				string(analysis.StrategyCost), string(analysis.StrategySpeed), string(analysis.StrategyBalanced))},
			PlanModifiers: replaceString,
		},
		spec.AttrBalancedWeight: schema.Float64Attribute{
			MarkdownDescription: fmt.Sprintf("With `strategy = \"balanced\"`, the weight of cost against speed, from 0 "+
				"(only speed counts) to 1 (only cost counts). Defaults to `%g`.", analysis.DefaultBalancedWeight),
			Optional: true,
			Validators: []validator.Float64{
				// The specification has no constant for these: a weight is a share.
				float64Between{0, 1},
				onlyWhen(spec.AttrStrategy, types.StringValue(string(analysis.StrategyBalanced)), types.StringValue(string(analysis.StrategyCost))),
			},
			PlanModifiers: replaceFloat,
		},
		spec.AttrAutoOptimize: withBoolValidators(flag("Set the function's memory size to the optimum after the run: on `$LATEST`, or, with "+
			"`auto_optimize_alias`, on a new version the alias points to. Manage `memory_size` with care in "+
			"`aws_lambda_function` then (see the guide). Has no effect in a dry run, which chooses nothing."),
			// A dry run measures nothing, so there is no optimum to apply.
			onlyWhenValidator[types.Bool]{sibling: spec.AttrDryRun, want: types.BoolValue(false), fallback: types.BoolValue(false), ignoreZero: true}),
		spec.AttrAutoOptimizeAlias: schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("With `auto_optimize`, publish the optimum as a new version and create or move this alias "+
				"to it, leaving `$LATEST` as it was. A Lambda alias name: 1 to %d letters, digits, hyphens and underscores, "+
				"not only digits; the names a run uses itself (such as `%s` and `%s`) are refused.",
				spec.MaxAliasNameLength, runrecord.SizeAlias(512, -1), runrecord.LockAlias),
			Optional: true,
			Validators: []validator.String{
				aliasName(),
				onlyWhen(spec.AttrAutoOptimize, types.BoolValue(true), types.BoolValue(false)),
			},
			PlanModifiers: replaceString,
		},
		spec.AttrAllowUnreleased: schema.BoolAttribute{
			MarkdownDescription: "With `auto_optimize_alias`, publish `$LATEST` to the alias even when its code " +
				"(`CodeSha256`) or configuration other than memory (environment, layers, handler, runtime, timeout, " +
				"image, …) differs from the version the alias serves, which releases that code. Otherwise the run " +
				"refuses before changing anything. Defaults to `false`.",
			Optional:      true,
			Computed:      true,
			Default:       booldefault.StaticBool(false),
			PlanModifiers: replaceBool,
		},
		spec.AttrAliasRouting: schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("With `auto_optimize_alias`: what becomes of the alias's weighted routing when the optimum "+
				"moves it. An alias with weighted routing sends a share of its traffic to another version, as a CodeDeploy "+
				"canary or linear deployment does while it shifts traffic (alias `live` on version 1, with 10 %% of its "+
				"requests going to version 2). Moving such an alias changes that split, so without this argument the run "+
				"refuses a weighted alias before changing anything, naming its weights. `%s` points the alias's main version "+
				"at the optimum's new version and keeps the other versions' weights (the 10 %% still go to version 2); `%s` "+
				"removes the weighted routing and sends all of the alias's traffic to the optimum. An alias without weighted "+
				"routing is moved the same way with either.", spec.AliasRoutingKeep, spec.AliasRoutingClear),
			Optional:      true,
			Validators:    []validator.String{stringvalidator.OneOf(spec.AliasRoutingKeep, spec.AliasRoutingClear)},
			PlanModifiers: replaceString,
		},
		spec.AttrDryRun: flag("Invoke once per memory size without analysis or optimization, to check permissions and wiring."),
		spec.AttrPreProcessorARN: schema.StringAttribute{
			MarkdownDescription: "ARN of a function invoked with the payload before every invocation; its non-empty " +
				"output replaces the payload. Its failure fails the run.",
			Optional:      true,
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			PlanModifiers: replaceString,
		},
		spec.AttrPostProcessorARN: schema.StringAttribute{
			MarkdownDescription: "ARN of a function invoked with the output of every invocation, for example to clean up " +
				"what it created. Its failure fails the run.",
			Optional:      true,
			Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
			PlanModifiers: replaceString,
		},
		spec.AttrDiscardTopBottom: schema.Float64Attribute{
			MarkdownDescription: fmt.Sprintf("Share of the fastest and of the slowest invocations left out of the "+
				"averages, from 0 to %g. Ignored (0) with `only_cold_starts`. Defaults to `%g`.",
				spec.MaxDiscardTopBottom, analysis.DefaultDiscardTopBottom),
			Optional:      true,
			Computed:      true,
			Default:       float64default.StaticFloat64(analysis.DefaultDiscardTopBottom),
			Validators:    []validator.Float64{float64Between{0, spec.MaxDiscardTopBottom}},
			PlanModifiers: replaceFloat,
		},
		spec.AttrSleepBetweenRunsMs: schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Milliseconds to wait after each invocation, to respect downstream rate limits, "+
				"at most %d (%s). Serial invocations only. Defaults to `0`.",
				spec.MaxSleepBetweenRunsMs, shortDuration(spec.MaxSleepBetweenRunsMs*time.Millisecond)),
			Optional: true,
			Computed: true,
			Default:  int64default.StaticInt64(0),
			Validators: []validator.Int64{
				int64validator.Between(0, spec.MaxSleepBetweenRunsMs),
				onlyWhenValidator[types.Bool]{
					sibling: spec.AttrParallelInvocation, want: types.BoolValue(false), fallback: types.BoolValue(false), ignoreZero: true,
				},
			},
			PlanModifiers: replaceInt,
		},
		// These two change no measurement: updated in place, without a run.
		spec.AttrDisablePayloadLogs: inPlace(flag("Keep payloads and function outputs out of every log line and error " +
			"message, and out of the report stored at `report_s3_uri` (which then holds the payload's SHA-256). " +
			"Changing it does not re-run the tuning.")),
		spec.AttrIncludeOutput: inPlace(flag("Add per-memory-size `stats` to `output`. Changing it re-shapes " +
			"`output` from the recorded results, without a run.")),
		spec.AttrOnlyColdStarts: flag("Make every invocation a cold start, by publishing a version per invocation. Much " +
			"slower to set up."),
		spec.AttrAllowedExceptions: schema.ListAttribute{
			MarkdownDescription: "Function error types (`errorType`) that count as errors in `results` instead of " +
				"failing the run, such as `HandledError`.",
			Optional:    true,
			ElementType: types.StringType,
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
			},
			PlanModifiers: replaceList,
		},
		spec.AttrSampling: schema.StringAttribute{
			MarkdownDescription: "How many invocations each memory size gets: `exhaustive` (every one gets `num`) or " +
				"`adaptive` (invoke in rounds, 10 then 5 at a time, retire a memory size once it is clearly behind the best for the " +
				"strategy, stop when one remains or the rest are within `adaptive_tolerance`; `num` is the most each " +
				"gets). See the guide on adaptive sampling. Cannot be combined with `only_cold_starts` or `state_machine_arn`. Defaults to `exhaustive`.",
			Optional:      true,
			Computed:      true,
			Default:       stringdefault.StaticString(spec.SamplingExhaustive),
			Validators:    []validator.String{stringvalidator.OneOf(spec.SamplingExhaustive, spec.SamplingAdaptive)},
			PlanModifiers: replaceString,
		},
		spec.AttrAdaptiveTolerance: schema.Float64Attribute{
			MarkdownDescription: fmt.Sprintf("With `sampling = \"adaptive\"`, the relative difference under which the "+
				"memory sizes still in the race count as practically equal and the race stops, from 0 to %g (`0.05`: "+
				"within 5 %% of the best). Defaults to `%g`.", spec.MaxAdaptiveTolerance, analysis.DefaultAdaptiveTolerance),
			Optional: true,
			Validators: []validator.Float64{
				float64Between{0, spec.MaxAdaptiveTolerance},
				onlyWhen(spec.AttrSampling, types.StringValue(spec.SamplingAdaptive), types.StringValue(spec.SamplingExhaustive)),
			},
			PlanModifiers: replaceFloat,
		},
		spec.AttrIsolation: schema.StringAttribute{
			MarkdownDescription: "What is tuned: `none` (the default) tunes the function itself, changing `$LATEST` " +
				"memory for the length of the run and publishing temporary versions and `RAM<size>` aliases; `copies` " +
				"creates one temporary function per memory size from the function's code and configuration, tunes " +
				"those, and deletes them whatever happens, so the function receives no change and no invocation " +
				"(`auto_optimize` still applies the optimum to it at the end). See the resource documentation for " +
				"how a copy differs from the function and the extra IAM permissions copies need.",
			Optional:      true,
			Computed:      true,
			Default:       stringdefault.StaticString(spec.IsolationNone),
			Validators:    []validator.String{stringvalidator.OneOf(spec.IsolationNone, spec.IsolationCopies)},
			PlanModifiers: replaceString,
		},
		spec.AttrArchitectures: schema.ListAttribute{
			MarkdownDescription: "With `isolation = \"copies\"`: the architectures to compare, " + codeList(spec.Architectures(), "and/or") + ". " +
				"Each memory size is measured on a copy of each architecture, priced at that architecture's price, and the " +
				"optimum is chosen over all pairs (`optimal_architecture`). Defaults to the function's own architecture. " +
				"Code with native binaries for one architecture fails on the other: with `skip_failed_power_values` those " +
				"rows are marked `failed`. `auto_optimize` applies the memory size only, never an architecture.",
			Optional:    true,
			ElementType: types.StringType,
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(stringvalidator.OneOf(spec.Architectures()...)),
			},
			PlanModifiers: replaceList,
		},
		spec.AttrCopiesCodeS3URI: schema.StringAttribute{
			MarkdownDescription: "With `isolation = \"copies\"`: an S3 location, `s3://bucket` or `s3://bucket/prefix`, in the " +
				"function's Region, to stage a zip package larger than the 50 MB `CreateFunction` accepts inline. It is used only " +
				"for such a package: the run uploads the package once as `<prefix>/awspt-<function>-<hash>-<run id>.zip`, creates the " +
				"copies from it and deletes it at clean-up, whatever happened. Needs `s3:PutObject` and `s3:DeleteObject` there " +
				"(and `s3:ListBucket` on the bucket for a later run to delete what a killed run staged). Without it, a package above 50 MB fails the run before anything is created.",
			Optional:      true,
			Validators:    []validator.String{s3Location()},
			PlanModifiers: replaceString,
		},
		spec.AttrTieBreaker: schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("How the optimum is chosen among the memory sizes whose measurements "+
				"cannot be told apart from the strategy's choice (`within_noise` in `results`), so that runs of the same "+
				"function agree: `%s` keeps the strategy's choice, as AWS Lambda Power Tuning does (the size with the "+
				"best average, which noise may move from run to run); `%s` takes the smallest of them; `%s` the one "+
				"with the lowest average cost. Defaults to `%s`.", analysis.TieRuleNone, analysis.TieRuleSmallestMemory,
				analysis.TieRuleCheapest, analysis.TieRuleNone),
			Optional:      true,
			Computed:      true,
			Default:       stringdefault.StaticString(string(analysis.TieRuleNone)),
			Validators:    []validator.String{stringvalidator.OneOf(analysis.TieRules()...)},
			PlanModifiers: replaceString,
		},
		spec.AttrSkipFailed: flag("Keep going when a memory size cannot be measured (it runs out of " +
			"memory or time, or the account's memory quota refuses it, as new accounts' 3008 MB limit does): it is " +
			"marked `failed` in `results`, with the reason in `failure_reason`, and left out of the choice. Otherwise " +
			"such a memory size fails the run."),
	}
	maps.Copy(attributes, invocationAttributes())
	maps.Copy(attributes, writeOnlyPayloadAttributes())
	attributes[spec.AttrManagedInstances] = managedInstancesAttribute()
	return attributes
}

// inPlace drops a flag's RequiresReplace: it changes no measurement.
func inPlace(a schema.BoolAttribute) schema.BoolAttribute {
	a.PlanModifiers = nil
	return a
}

// otherPowerValues asks for a new run only when the configured memory sizes
// are another set, not merely another order.
func otherPowerValues(ctx context.Context, req planmodifier.ListRequest, resp *listplanmodifier.RequiresReplaceIfFuncResponse) {
	var planned, recorded []int64
	if req.PlanValue.IsUnknown() || hasUnknownElement(req.PlanValue) || req.StateValue.IsNull() != req.PlanValue.IsNull() {
		resp.RequiresReplace = true
		return
	}
	resp.Diagnostics.Append(req.PlanValue.ElementsAs(ctx, &planned, false)...)
	resp.Diagnostics.Append(req.StateValue.ElementsAs(ctx, &recorded, false)...)
	slices.Sort(planned)
	slices.Sort(recorded)
	resp.RequiresReplace = !slices.Equal(planned, recorded)
}

// withBoolValidators adds validators to a flag.
func withBoolValidators(a schema.BoolAttribute, validators ...validator.Bool) schema.BoolAttribute {
	a.Validators = append(a.Validators, validators...)
	return a
}

// runOutcomeAttributes are computed by the run. They only change when the
// run is repeated, which always replaces the resource, so the prior state is
// the right plan for an in-place update (of timeouts alone).
func runOutcomeAttributes() map[string]schema.Attribute {
	results := make(map[string]schema.Attribute, len(resultFields))
	for _, f := range resultFields {
		results[f.name] = runComputedAttribute(f, false)
	}
	attributes := map[string]schema.Attribute{
		"results": schema.ListNestedAttribute{
			MarkdownDescription: descMeasuredResults,
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: results},
			PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
		},
	}
	for _, f := range outcomeFields {
		attributes[f.name] = runComputedAttribute(f, true)
	}
	attributes[managedOutcomeName] = runManagedOutcomeAttribute()
	return attributes
}

// shortDuration prints 30m0s as 30m.
func shortDuration(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// codeList renders values for a description: `a`, `b` and/or `c`.
func codeList(values []string, conjunction string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " " + conjunction + " " + quoted[len(quoted)-1]
}
