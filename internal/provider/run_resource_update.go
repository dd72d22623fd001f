package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

var _ resource.ResourceWithModifyPlan = (*runResource)(nil)

// ModifyPlan plans output as unknown when include_output_results changes:
// Update re-shapes it from the recorded results.
func (r *runResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if req.State.Raw.IsNull() {
		r.notePlannedRun(ctx, req, resp)
		return
	}
	var planned, recorded types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(spec.AttrIncludeOutput), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(spec.AttrIncludeOutput), &recorded)...)
	if resp.Diagnostics.HasError() || planned.Equal(recorded) {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("output"), types.StringUnknown())...)
}

// notePlannedRun says at plan time what a new run will create, once every
// input is known: a dry run creates nothing worth saying.
func (r *runResource) notePlannedRun(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var plan runResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || len(plan.unknownAttributes()) > 0 {
		return
	}
	input, diags := plan.toInput(ctx)
	if diags.HasError() || input.DryRun {
		return
	}
	r.noteColdStarts(input, resp)
	noteManagedLoad(input, resp)
}

// noteColdStarts says how many versions and aliases a run with
// only_cold_starts will create (and delete): num × power values.
func (r *runResource) noteColdStarts(input spec.Input, resp *resource.ModifyPlanResponse) {
	if !input.OnlyColdStarts {
		return
	}
	var defaults []int32
	if r.data != nil {
		defaults = r.data.config.PowerValues
	}
	powers := len(spec.ResolvePowerValues(input, defaults))
	resp.Diagnostics.AddAttributeWarning(path.Root("only_cold_starts"), "Cold Starts Create Versions And Aliases",
		fmt.Sprintf("With only_cold_starts the run publishes one version and creates one alias per invocation: "+
			"%d versions and %d aliases (num = %d × %d memory sizes, at most %d), all deleted when the run ends.",
			input.Num*powers, input.Num*powers, input.Num, powers, spec.MaxColdStartVersions))
}

// Update applies what changes no measurement: output re-shaped, the report
// re-written from what is stored. Nothing is invoked.
func (r *runResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state runResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.outcomeModel = state.outcomeModel
	reshaped := !plan.IncludeOutputResults.Equal(state.IncludeOutputResults)
	if reshaped {
		output, diags := reshapeOutput(ctx, state.outcomeModel, plan.IncludeOutputResults.ValueBool())
		resp.Diagnostics.Append(diags...)
		plan.Output = types.StringValue(output)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan)...)
	// A write-only payload's hash is all there is of it; any other payload is
	// in the configuration now, and an imported hash served its turn.
	writeOnlyHash := privateHash(ctx, req.Private)
	if plan.PayloadWOVersion.IsNull() {
		writeOnlyHash = ""
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privatePayloadSHA256, nil)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	uri := plan.ReportS3URI.ValueString()
	rewrite := uri != "" && !plan.DryRun.ValueBool() && (reshaped || !plan.ReportS3URI.Equal(state.ReportS3URI) ||
		!plan.DisablePayloadLogs.Equal(state.DisablePayloadLogs) || !plan.PowerValues.Equal(state.PowerValues) ||
		!plan.Timeouts.Equal(state.Timeouts))
	if !rewrite {
		return
	}
	report, diags := storedReport(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	report.PayloadSHA256 = writeOnlyHash
	r.storeReport(ctx, uri, plan.ReportS3HTML.ValueBool(), report, &resp.Diagnostics)
}

// reshapeOutput renders output (the original tool's shape) again from the
// recorded results, as the run rendered it: the report decides which
// results the optimum's series holds.
func reshapeOutput(ctx context.Context, o outcomeModel, includeStats bool) (string, diag.Diagnostics) {
	results, diags := powerResults(ctx, o)
	recorded := report.Report{
		Results:             results,
		OptimalPower:        int32(o.OptimalPower.ValueInt64()), //nolint:gosec // a memory size
		OptimalArchitecture: o.OptimalArch.ValueString(),
		Architecture:        o.Architecture.ValueString(),
		TuningCost:          o.TuningCost.ValueFloat64(),
		VisualizationURL:    o.VisualizationURL.ValueString(),
	}
	return recorded.UpstreamOutput(includeStats), diags
}

// powerResults maps recorded results back to the analysis's (the null
// figures of failed rows become 0).
func powerResults(ctx context.Context, o outcomeModel) ([]analysis.PowerResult, diag.Diagnostics) {
	var rows []resultModel
	diags := o.Results.ElementsAs(ctx, &rows, false)
	out := make([]analysis.PowerResult, len(rows))
	for i, row := range rows {
		out[i] = analysis.PowerResult{
			Power:           int32(row.Power.ValueInt64()), //nolint:gosec // a memory size
			Architecture:    row.Architecture.ValueString(),
			AverageCost:     row.AverageCost.ValueFloat64(),
			AverageDuration: row.AverageDuration.ValueFloat64(),
			TotalCost:       row.TotalCost.ValueFloat64(),
			Invocations:     int(row.Invocations.ValueInt64()),
			Errors:          int(row.Errors.ValueInt64()),
			Failed:          row.Failed.ValueBool(),
			FailureReason:   row.FailureReason.ValueString(),
			P50Duration:     row.P50Duration.ValueFloat64(),
			P90Duration:     row.P90Duration.ValueFloat64(),
			P99Duration:     row.P99Duration.ValueFloat64(),
			Retired:         row.Retired.ValueBool(),
			BehindBy:        row.BehindBy.ValueFloat64(),
			Sampling:        row.Sampling.ValueString(),
			WithinNoise:     row.WithinNoise.ValueBool(),
			TimeToFirstByte: row.TimeToFirstByte.ValueFloat64(),
			ResponseBytes:   row.ResponseBytes.ValueInt64(),
		}
	}
	return out, diags
}

// storedReport is the report of the recorded run m, as a run writes it.
func storedReport(ctx context.Context, m runResourceModel) (*report.Report, diag.Diagnostics) {
	input, diags := m.toInput(ctx)
	results, d := powerResults(ctx, m.outcomeModel)
	diags.Append(d...)
	managed, d := managedOutcomeOf(ctx, m.ManagedOutcome)
	diags.Append(d...)
	triggers, d := triggerValues(ctx, m.Triggers)
	diags.Append(d...)
	var charts map[string]string
	if !m.VisualizationURLs.IsNull() && !m.VisualizationURLs.IsUnknown() {
		diags.Append(m.VisualizationURLs.ElementsAs(ctx, &charts, false)...)
	}
	if len(charts) == 0 {
		charts = nil // as a run without architectures stores it
	}
	tunedAt, err := time.Parse(time.RFC3339Nano, m.TunedAt.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("tuned_at"), "Cannot Rewrite Report",
			"The recorded tuned_at is not an RFC 3339 time, so the report cannot be written again. Change triggers to run the tuning again.\n\nOriginal error: "+err.Error())
	}
	region, _, _ := spec.ParseFunctionARN(m.FunctionARN.ValueString())
	return &report.Report{
		Kind:                    report.Kind,
		Input:                   input,
		FunctionARN:             m.FunctionARN.ValueString(),
		Region:                  region,
		Architecture:            m.Architecture.ValueString(),
		Currency:                m.Currency.ValueString(),
		FunctionCodeSha256:      m.FunctionCodeSha256.ValueString(),
		InvokeMode:              m.InvokeModeUsed.ValueString(),
		Managed:                 managed,
		OptimalPower:            int32(m.OptimalPower.ValueInt64()), //nolint:gosec // a memory size
		OptimalCost:             m.OptimalCost.ValueFloat64(),
		OptimalDuration:         m.OptimalDuration.ValueFloat64(),
		BaselinePower:           int32(m.BaselinePower.ValueInt64()), //nolint:gosec // a memory size
		OptimalRelativeCost:     m.OptimalRelativeCost.ValueFloat64Pointer(),
		OptimalRelativeDuration: m.OptimalRelativeDuration.ValueFloat64Pointer(),
		TuningCost:              m.TuningCost.ValueFloat64(),
		InvocationsSaved:        int(m.InvocationsSaved.ValueInt64()),
		VisualizationURL:        m.VisualizationURL.ValueString(),
		OptimalArchitecture:     m.OptimalArch.ValueString(),
		VisualizationURLs:       charts,
		Results:                 results,
		WithinNoise:             withinNoise(results),
		Output:                  m.Output.ValueString(),
		TunedAt:                 tunedAt,
		Triggers:                triggers,
		Timeouts:                timeoutValues(m.Timeouts),
	}, diags
}

// triggerValues reads triggers; nil when there are none.
func triggerValues(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	if m.IsNull() || m.IsUnknown() {
		return nil, nil
	}
	var out map[string]string
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// samePayloadAsImported keeps an imported run whose report held only the
// payload's hash when the configured payload has that hash; any other
// change of payload re-runs the tuning.
func samePayloadAsImported(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = true
	if !req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	hash := privateHash(ctx, req.Private)
	resp.RequiresReplace = hash == "" || hash != report.PayloadSHA256(req.PlanValue.ValueString())
}

// withinNoise lists the rows flagged within noise of the optimum, as a run
// records them beside its results.
func withinNoise(results []analysis.PowerResult) []analysis.SizeKey {
	var keys []analysis.SizeKey
	for _, r := range results {
		if r.WithinNoise {
			keys = append(keys, r.Key())
		}
	}
	return keys
}
