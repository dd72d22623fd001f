package provider

import (
	"cmp"
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// runResourceModel is awspowertuning_run: the tuning inputs, then settings of
// the resource itself, then the outcome.
type runResourceModel struct {
	runInputModel
	Triggers     types.Map      `tfsdk:"triggers"`
	ReportS3URI  types.String   `tfsdk:"report_s3_uri"`
	ReportS3HTML types.Bool     `tfsdk:"report_s3_html"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
	// StateMachineARN runs the tuning on a deployed state machine; the
	// execution's ARN and own cost are recorded beside the outcome.
	StateMachineARN  types.String  `tfsdk:"state_machine_arn"`
	ExecutionARN     types.String  `tfsdk:"execution_arn"`
	StateMachineCost types.Float64 `tfsdk:"state_machine_cost"`
	outcomeModel
}

// runInputModel mirrors spec.Input attribute by attribute.
type runInputModel struct {
	LambdaARN      types.String `tfsdk:"lambda_arn"`
	Num            types.Int64  `tfsdk:"num"`
	PowerValues    types.List   `tfsdk:"power_values"`
	PowerValuesAll types.Bool   `tfsdk:"power_values_all"`
	Payload        types.String `tfsdk:"payload"`
	PayloadS3      types.String `tfsdk:"payload_s3"`
	// PayloadWO is known only in the configuration, at validation and at
	// create: null in plans and state.
	PayloadWO          types.String  `tfsdk:"payload_wo"`
	PayloadWOVersion   types.Int64   `tfsdk:"payload_wo_version"`
	ManagedInstances   types.Object  `tfsdk:"managed_instances"`
	ParallelInvocation types.Bool    `tfsdk:"parallel_invocation"`
	MaxConcurrency     types.Int64   `tfsdk:"max_concurrency"`
	Strategy           types.String  `tfsdk:"strategy"`
	BalancedWeight     types.Float64 `tfsdk:"balanced_weight"`
	AutoOptimize       types.Bool    `tfsdk:"auto_optimize"`
	AutoOptimizeAlias  types.String  `tfsdk:"auto_optimize_alias"`
	// AutoOptimizeAllowUnreleased: publish $LATEST to the alias even when it
	// holds code or configuration the alias does not serve.
	// AutoOptimizeAliasRouting: what becomes of a weighted alias's routing
	// when the optimum moves it ("keep" or "clear"); null refuses to move it.
	AutoOptimizeAllowUnreleased types.Bool    `tfsdk:"auto_optimize_allow_unreleased"`
	AutoOptimizeAliasRouting    types.String  `tfsdk:"auto_optimize_alias_routing"`
	DryRun                      types.Bool    `tfsdk:"dry_run"`
	PreProcessorARN             types.String  `tfsdk:"pre_processor_arn"`
	PostProcessorARN            types.String  `tfsdk:"post_processor_arn"`
	DiscardTopBottom            types.Float64 `tfsdk:"discard_top_bottom"`
	SleepBetweenRunsMs          types.Int64   `tfsdk:"sleep_between_runs_ms"`
	DisablePayloadLogs          types.Bool    `tfsdk:"disable_payload_logs"`
	IncludeOutputResults        types.Bool    `tfsdk:"include_output_results"`
	OnlyColdStarts              types.Bool    `tfsdk:"only_cold_starts"`
	AllowedExceptions           types.List    `tfsdk:"allowed_exceptions"`
	SkipFailedPowerValues       types.Bool    `tfsdk:"skip_failed_power_values"`
	TieBreaker                  types.String  `tfsdk:"tie_breaker"`
	TenantID                    types.String  `tfsdk:"tenant_id"`
	InvokeMode                  types.String  `tfsdk:"invoke_mode"`
	PayloadPlaceholders         types.Bool    `tfsdk:"payload_placeholders"`
	Sampling                    types.String  `tfsdk:"sampling"`
	AdaptiveTolerance           types.Float64 `tfsdk:"adaptive_tolerance"`
	Isolation                   types.String  `tfsdk:"isolation"`
	Architectures               types.List    `tfsdk:"architectures"`
	CopiesCodeS3URI             types.String  `tfsdk:"copies_code_s3_uri"`
}

// unknownAttributes lists the inputs whose value is not known yet (during
// plan, when they refer to resources that do not exist yet).
func (m runInputModel) unknownAttributes() []string {
	values := map[string]attr.Value{
		spec.AttrLambdaARN: m.LambdaARN, spec.AttrNum: m.Num, spec.AttrPowerValues: m.PowerValues,
		spec.AttrPowerValuesAll: m.PowerValuesAll, spec.AttrPayload: m.Payload, spec.AttrPayloadS3: m.PayloadS3,
		spec.AttrPayloadWO: m.PayloadWO, spec.AttrPayloadWOVersion: m.PayloadWOVersion,
		spec.AttrManagedInstances:   m.ManagedInstances,
		spec.AttrParallelInvocation: m.ParallelInvocation, spec.AttrMaxConcurrency: m.MaxConcurrency,
		spec.AttrStrategy: m.Strategy, spec.AttrBalancedWeight: m.BalancedWeight, spec.AttrAutoOptimize: m.AutoOptimize,
		spec.AttrAutoOptimizeAlias: m.AutoOptimizeAlias, spec.AttrDryRun: m.DryRun,
		spec.AttrAllowUnreleased: m.AutoOptimizeAllowUnreleased, spec.AttrAliasRouting: m.AutoOptimizeAliasRouting,
		spec.AttrPreProcessorARN: m.PreProcessorARN, spec.AttrPostProcessorARN: m.PostProcessorARN,
		spec.AttrDiscardTopBottom: m.DiscardTopBottom, spec.AttrSleepBetweenRunsMs: m.SleepBetweenRunsMs,
		"disable_payload_logs": m.DisablePayloadLogs, "include_output_results": m.IncludeOutputResults,
		spec.AttrOnlyColdStarts: m.OnlyColdStarts, spec.AttrAllowedExceptions: m.AllowedExceptions,
		spec.AttrSkipFailed: m.SkipFailedPowerValues, spec.AttrTieBreaker: m.TieBreaker,
		spec.AttrTenantID: m.TenantID, spec.AttrInvokeMode: m.InvokeMode, spec.AttrPayloadPlaceholders: m.PayloadPlaceholders,
		spec.AttrSampling: m.Sampling, spec.AttrAdaptiveTolerance: m.AdaptiveTolerance,
		spec.AttrIsolation: m.Isolation, spec.AttrArchitectures: m.Architectures, spec.AttrCopiesCodeS3URI: m.CopiesCodeS3URI,
	}
	var unknown []string
	for name, v := range values {
		if v.IsUnknown() || hasUnknownElement(v) {
			unknown = append(unknown, name)
		}
	}
	return unknown
}

// hasUnknownElement reports whether v is a list with an element not known
// yet, such as [aws_lambda_function.x.memory_size, 1024]: the list cannot be
// converted, nor checked as a whole, until apply.
func hasUnknownElement(v attr.Value) bool {
	list, ok := v.(types.List)
	if !ok || list.IsNull() || list.IsUnknown() {
		return false
	}
	return slices.ContainsFunc(list.Elements(), attr.Value.IsUnknown)
}

// toInput maps known values to the engine's input. Null and unknown values
// become the engine's "unset" (zero value or nil).
func (m runInputModel) toInput(ctx context.Context) (spec.Input, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := spec.Input{
		LambdaARN:                   m.LambdaARN.ValueString(),
		Num:                         int(m.Num.ValueInt64()),
		PowerValuesAll:              m.PowerValuesAll.ValueBool(),
		Payload:                     m.Payload.ValueStringPointer(),
		PayloadS3:                   m.PayloadS3.ValueString(),
		ParallelInvocation:          m.ParallelInvocation.ValueBool(),
		MaxConcurrency:              int(m.MaxConcurrency.ValueInt64()),
		Strategy:                    analysis.Strategy(m.Strategy.ValueString()),
		BalancedWeight:              m.BalancedWeight.ValueFloat64Pointer(),
		AutoOptimize:                m.AutoOptimize.ValueBool(),
		AutoOptimizeAlias:           m.AutoOptimizeAlias.ValueString(),
		AutoOptimizeAllowUnreleased: m.AutoOptimizeAllowUnreleased.ValueBool(),
		AutoOptimizeAliasRouting:    m.AutoOptimizeAliasRouting.ValueString(),
		DryRun:                      m.DryRun.ValueBool(),
		PreProcessorARN:             m.PreProcessorARN.ValueString(),
		PostProcessorARN:            m.PostProcessorARN.ValueString(),
		DiscardTopBottom:            m.DiscardTopBottom.ValueFloat64Pointer(),
		SleepBetweenRunsMs:          int(m.SleepBetweenRunsMs.ValueInt64()),
		DisablePayloadLogs:          m.DisablePayloadLogs.ValueBool(),
		IncludeOutputResults:        m.IncludeOutputResults.ValueBool(),
		OnlyColdStarts:              m.OnlyColdStarts.ValueBool(),
		SkipFailedPowerValues:       m.SkipFailedPowerValues.ValueBool(),
		TieBreaker:                  tieRule(m.TieBreaker),
		TenantID:                    m.TenantID.ValueString(),
		InvokeMode:                  unlessDefault(m.InvokeMode, spec.InvokeModeAuto),
		PayloadPlaceholders:         m.PayloadPlaceholders.ValueBool(),
		Sampling:                    m.Sampling.ValueString(),
		AdaptiveTolerance:           m.AdaptiveTolerance.ValueFloat64Pointer(),
		Isolation:                   m.Isolation.ValueString(),
		CopiesCodeS3URI:             m.CopiesCodeS3URI.ValueString(),
		PayloadWriteOnlyVersion:     m.PayloadWOVersion.ValueInt64(),
	}
	managed, d := managedInstancesInput(ctx, m.ManagedInstances)
	diags.Append(d...)
	in.ManagedInstances = managed
	if !m.PayloadWO.IsNull() && !m.PayloadWO.IsUnknown() {
		in.Payload, in.PayloadWriteOnly = m.PayloadWO.ValueStringPointer(), true
	}
	if !m.PowerValues.IsNull() && !m.PowerValues.IsUnknown() {
		var values []int64
		diags.Append(m.PowerValues.ElementsAs(ctx, &values, false)...)
		for _, v := range values {
			in.PowerValues = append(in.PowerValues, int32(v)) //nolint:gosec // range-checked by the schema and by Validate
		}
	}
	if !m.AllowedExceptions.IsNull() && !m.AllowedExceptions.IsUnknown() {
		diags.Append(m.AllowedExceptions.ElementsAs(ctx, &in.AllowedExceptions, false)...)
	}
	if !m.Architectures.IsNull() && !m.Architectures.IsUnknown() {
		diags.Append(m.Architectures.ElementsAs(ctx, &in.Architectures, false)...)
	}
	return in, diags
}

// knownInput is toInput for a configuration being planned: a list with an
// element not known yet counts as unset, as an unknown value does, so that
// no rule sees a value the configuration does not have yet.
func (m runInputModel) knownInput(ctx context.Context) spec.Input {
	for _, list := range []*types.List{&m.PowerValues, &m.AllowedExceptions, &m.Architectures} {
		if hasUnknownElement(*list) {
			*list = types.ListUnknown(list.ElementType(ctx))
		}
	}
	// With every unknown value unset, toInput converts known lists of the
	// schema's own element types only, which cannot fail.
	in, _ := m.toInput(ctx)
	return in
}

// inputModelFromReport is the inverse of toInput for an imported run: unset
// engine values become null, except where the schema has a default, so the
// next plan against the original configuration is empty.
func inputModelFromReport(ctx context.Context, in spec.Input) (runInputModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := runInputModel{
		LambdaARN:                   types.StringValue(in.LambdaARN),
		Num:                         types.Int64Value(int64(in.Num)),
		PowerValues:                 types.ListNull(types.Int64Type),
		PowerValuesAll:              types.BoolValue(in.PowerValuesAll),
		Payload:                     types.StringPointerValue(in.Payload),
		PayloadS3:                   optionalString(in.PayloadS3),
		ParallelInvocation:          types.BoolValue(in.ParallelInvocation),
		MaxConcurrency:              optionalInt(in.MaxConcurrency),
		Strategy:                    types.StringValue(string(in.Strategy)),
		BalancedWeight:              types.Float64PointerValue(in.BalancedWeight),
		AutoOptimize:                types.BoolValue(in.AutoOptimize),
		AutoOptimizeAlias:           optionalString(in.AutoOptimizeAlias),
		AutoOptimizeAllowUnreleased: types.BoolValue(in.AutoOptimizeAllowUnreleased),
		AutoOptimizeAliasRouting:    optionalString(in.AutoOptimizeAliasRouting),
		DryRun:                      types.BoolValue(in.DryRun),
		PreProcessorARN:             optionalString(in.PreProcessorARN),
		PostProcessorARN:            optionalString(in.PostProcessorARN),
		DiscardTopBottom:            types.Float64Value(analysis.DefaultDiscardTopBottom),
		SleepBetweenRunsMs:          types.Int64Value(int64(in.SleepBetweenRunsMs)),
		DisablePayloadLogs:          types.BoolValue(in.DisablePayloadLogs),
		IncludeOutputResults:        types.BoolValue(in.IncludeOutputResults),
		OnlyColdStarts:              types.BoolValue(in.OnlyColdStarts),
		AllowedExceptions:           types.ListNull(types.StringType),
		SkipFailedPowerValues:       types.BoolValue(in.SkipFailedPowerValues),
		TieBreaker:                  types.StringValue(cmp.Or(in.TieBreaker, string(analysis.TieRuleNone))),
		TenantID:                    optionalString(in.TenantID),
		InvokeMode:                  types.StringValue(cmp.Or(in.InvokeMode, spec.InvokeModeAuto)),
		PayloadPlaceholders:         types.BoolValue(in.PayloadPlaceholders),
		Sampling:                    types.StringValue(in.Sampling),
		AdaptiveTolerance:           types.Float64PointerValue(in.AdaptiveTolerance),
		Isolation:                   types.StringValue(cmp.Or(in.Isolation, spec.IsolationNone)),
		Architectures:               types.ListNull(types.StringType),
		CopiesCodeS3URI:             optionalString(in.CopiesCodeS3URI),
		PayloadWO:                   types.StringNull(), // never stored
		PayloadWOVersion:            optionalInt(int(in.PayloadWriteOnlyVersion)),
	}
	var managedDiags diag.Diagnostics
	m.ManagedInstances, managedDiags = managedInstancesValue(ctx, in.ManagedInstances)
	diags.Append(managedDiags...)
	if len(in.Architectures) > 0 {
		var d diag.Diagnostics
		m.Architectures, d = types.ListValueFrom(ctx, types.StringType, in.Architectures)
		diags.Append(d...)
	}
	if in.Sampling == "" {
		m.Sampling = types.StringValue(spec.SamplingExhaustive)
	}
	if in.Strategy == "" {
		m.Strategy = types.StringValue(string(analysis.StrategyCost))
	}
	if in.DiscardTopBottom != nil {
		m.DiscardTopBottom = types.Float64Value(*in.DiscardTopBottom)
	}
	if len(in.PowerValues) > 0 {
		values := make([]int64, len(in.PowerValues))
		for i, v := range in.PowerValues {
			values[i] = int64(v)
		}
		var d diag.Diagnostics
		m.PowerValues, d = types.ListValueFrom(ctx, types.Int64Type, values)
		diags.Append(d...)
	}
	if len(in.AllowedExceptions) > 0 {
		var d diag.Diagnostics
		m.AllowedExceptions, d = types.ListValueFrom(ctx, types.StringType, in.AllowedExceptions)
		diags.Append(d...)
	}
	return m, diags
}

// tieRule is the engine's tie breaker: "none", the schema's default, is
// stored as unset, as reports written before the rule existed hold it.
func tieRule(v types.String) string { return unlessDefault(v, string(analysis.TieRuleNone)) }

// unlessDefault is v for the engine, or "" when v is the schema's default:
// reports keep the default unset, as those written before it existed do.
func unlessDefault(v types.String, schemaDefault string) string {
	if v.ValueString() == schemaDefault {
		return ""
	}
	return v.ValueString()
}
