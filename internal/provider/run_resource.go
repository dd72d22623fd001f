package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

var (
	_ resource.Resource                   = (*runResource)(nil)
	_ resource.ResourceWithConfigure      = (*runResource)(nil)
	_ resource.ResourceWithValidateConfig = (*runResource)(nil)
	_ resource.ResourceWithImportState    = (*runResource)(nil)
)

// runResource is awspowertuning_run: one tuning run, performed on create.
type runResource struct {
	data *providerData
}

func newRunResource() resource.Resource { return &runResource{} }

func (r *runResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_run"
	// report_s3_uri, part of the identity, changes in place.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *runResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	var diags diag.Diagnostics
	r.data, diags = providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
}

// Create performs the tuning run.
func (r *runResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan runResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	// A write-only payload is in the configuration alone.
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(spec.AttrPayloadWO), &plan.PayloadWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	input, diags := plan.checkedInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	ctx = tflog.SetField(ctx, "function", input.LambdaARN)
	if !r.reportWritable(ctx, plan.ReportS3URI.ValueString(), input.DryRun, &resp.Diagnostics) {
		return
	}
	var report *report.Report
	plan.ExecutionARN, plan.StateMachineCost = types.StringNull(), types.Float64Null()
	if plan.StateMachineARN.IsNull() {
		runCtx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		tflog.Info(ctx, "starting tuning run", map[string]any{"timeout": timeout.String()})
		var err error
		report, err = r.data.engine(runCtx).Run(runCtx, input)
		if err != nil {
			resp.Diagnostics.Append(runErrorDiagnostics(err, input.LambdaARN, timeout)...)
			return
		}
	} else {
		res, diags := r.runOnStateMachine(ctx, plan, input, timeout)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		stateMachineOutcome(&plan, res)
		report = res.Report
	}
	tflog.Info(ctx, "tuning run finished", map[string]any{"optimal_power": report.OptimalPower})
	if report.Recovery != nil {
		resp.Diagnostics.Append(recoveryWarning(report.Recovery, input.LambdaARN))
	}
	resp.Diagnostics.Append(runWarnings(report.Warnings, input.LambdaARN)...)

	outcome, diags := outcomeFromReport(ctx, report)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.outcomeModel = outcome
	resp.Diagnostics.Append(architectureNotApplied(input, report)...)
	plan.PayloadWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if input.PayloadWriteOnly {
		// What a re-written report needs of a payload the state cannot hold.
		resp.Diagnostics.Append(setPrivateHash(ctx, resp.Private, payloadHash(*input.Payload))...)
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The run is done and recorded; a report that cannot be stored fails the
	// apply, which taints the resource so the next apply runs (and stores) again.
	uri := plan.ReportS3URI.ValueString()
	if uri != "" && input.DryRun {
		resp.Diagnostics.Append(dryRunReportNotStored(uri))
		return
	}
	if uri != "" {
		triggers, diags := triggerValues(ctx, plan.Triggers)
		resp.Diagnostics.Append(diags...)
		report.Triggers = triggers
		report.Timeouts = timeoutValues(plan.Timeouts)
		r.storeReport(ctx, uri, plan.ReportS3HTML.ValueBool(), report, &resp.Diagnostics)
	}
}

// reportWritable checks, before anything is invoked, that S3 takes the
// report a run will store (a dry run stores none).
func (r *runResource) reportWritable(ctx context.Context, uri string, dryRun bool, diags *diag.Diagnostics) bool {
	if uri == "" || dryRun {
		return true
	}
	left, err := report.CheckReportWritable(ctx, r.data.config.Clients.S3(), uri)
	if err != nil {
		diags.Append(reportPreflightDiagnostics(err, uri, r.data.partition())...)
		return false
	}
	if left != "" {
		diags.AddAttributeWarning(path.Root("report_s3_uri"), "Report Write Check Left An Object",
			"Before the run, the provider wrote a small object next to the report to check that S3 takes the "+
				"report, and could not delete it. Delete it, and allow s3:DeleteObject on it to the credentials "+
				"Terraform uses so that later runs clean up after the check.\n\nObject: "+left)
	}
	return true
}

// storeReport writes the HTML page (when asked) and then the JSON report,
// which records where the page went. The JSON is written even when the page
// could not be, so the results are kept either way.
func (r *runResource) storeReport(ctx context.Context, uri string, html bool, rep *report.Report, diags *diag.Diagnostics) {
	s3 := r.data.config.Clients.S3()
	if html {
		htmlURI := report.HTMLReportURI(uri)
		if err := report.WriteHTMLReport(ctx, s3, htmlURI, rep); err != nil {
			diags.Append(htmlReportWriteDiagnostics(err, htmlURI, r.data.partition())...)
		} else {
			rep.HTMLReportURI = htmlURI
		}
	}
	if err := report.WriteReport(ctx, s3, uri, rep); err != nil {
		diags.Append(reportWriteDiagnostics(err, uri, r.data.partition())...)
	}
}

// Read keeps the recorded run: results describe a past run and do not drift.
// It only warns when the tuned function is gone.
func (r *runResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state runResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	function := state.FunctionARN.ValueString()
	if function == "" {
		function = state.LambdaARN.ValueString()
	}
	deployed, err := r.data.engine(ctx).DeployedFunction(ctx, function)
	exists := deployed.Exists
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeWarning(path.Root("lambda_arn"), "Cannot Check Tuned Function",
			"The provider could not check that the tuned function still exists; the recorded results are kept. "+
				"Allow lambda:GetFunction on the function to the credentials Terraform uses.\n\n"+
				"Function: "+function+"\n\nOriginal error: "+err.Error())
	case !exists:
		resp.Diagnostics.AddAttributeWarning(path.Root("lambda_arn"), "Tuned Function No Longer Exists",
			"The function this run tuned has been deleted; the recorded results are kept but describe a function "+
				"that is gone. Remove this resource, or change triggers to tune the function again once it is "+
				"recreated.\n\nFunction: "+function)
	default:
		resp.Diagnostics.Append(driftWarnings(state, deployed, function)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state)...)
}

// driftWarnings say when the recorded results no longer describe the
// function: its code changed, or the memory size auto_optimize set did. The
// state is kept either way.
func driftWarnings(state runResourceModel, now tuning.Deployed, function string) diag.Diagnostics {
	var diags diag.Diagnostics
	if tuned := state.FunctionCodeSha256.ValueString(); tuned != "" && now.CodeSha256 != tuned {
		diags.AddAttributeWarning(path.Root("triggers"), "Function Code Changed Since Tuning",
			"The function's code is not the code this run measured, so its results may no longer hold; they are "+
				"kept. Put the function's source_code_hash in triggers to tune each new version.\n\n"+
				fmt.Sprintf("Function: %s\nTuned CodeSha256: %s\nDeployed CodeSha256: %s", function, tuned, now.CodeSha256))
	}
	optimum := state.OptimalPower.ValueInt64()
	if state.AutoOptimize.ValueBool() && state.AutoOptimizeAlias.IsNull() && optimum != 0 && int64(now.MemorySize) != optimum {
		diags.AddAttributeWarning(path.Root("auto_optimize"), "Memory Size Changed Since Tuning",
			"auto_optimize set the function's memory size to the optimum, and something has changed it since "+
				"(often an aws_lambda_function whose memory_size is not the optimum: see the guide). The results are kept.\n\n"+
				fmt.Sprintf("Function: %s\nOptimal memory: %d MB\nDeployed memory: %d MB", function, optimum, now.MemorySize))
	}
	return diags
}

// Delete forgets the run. The function was restored at the end of the run,
// so there is nothing to undo.
func (r *runResource) Delete(ctx context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	tflog.Debug(ctx, "forgetting tuning run; the function is not changed")
}

// ImportState recreates a run from the report it stored at report_s3_uri:
// the import ID, or the identity's report_s3_uri.
func (r *runResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	want, diags := reportToImport(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	uri := want.ReportS3URI.ValueString()
	if _, _, err := spec.ParseS3URI(uri); err != nil {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Import a run from the report it stored, by its report_s3_uri: "+
				"terraform import awspowertuning_run.example s3://bucket/key\n\nGot: %q\n\nOriginal error: %s", uri, err))
		return
	}
	stored, diags := readStoredRun(ctx, r.data.config.Clients, uri, path.Empty())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(checkImportedIdentity(want, stored.report)...)
	state, diags := importedRun(ctx, uri, stored)
	resp.Diagnostics.Append(diags...)
	if hash := stored.report.PayloadSHA256; hash != "" {
		resp.Diagnostics.Append(setPrivateHash(ctx, resp.Private, hash)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state)...)
}

// timeoutsAttrTypes are the attributes of the timeouts block.
var timeoutsAttrTypes = map[string]attr.Type{"create": types.StringType}

// timeoutValues is the timeouts block as a report stores it: each attribute's
// duration ("" when left out); nil without a block.
func timeoutValues(v timeouts.Value) map[string]string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	out := make(map[string]string, len(timeoutsAttrTypes))
	for name, value := range v.Attributes() {
		if s, ok := value.(types.String); ok {
			out[name] = s.ValueString() // "" when null
		}
	}
	return out
}

// timeoutsFromReport is the timeouts block a report recorded, as the
// configuration that made the run has it, so that the plan after an import
// is empty; a null block when the report holds none (also reports written
// before it was recorded).
func timeoutsFromReport(stored map[string]string) timeouts.Value {
	if stored == nil {
		return timeouts.Value{Object: types.ObjectNull(timeoutsAttrTypes)}
	}
	attrs := make(map[string]attr.Value, len(timeoutsAttrTypes))
	for name := range timeoutsAttrTypes {
		if d := stored[name]; d != "" {
			attrs[name] = types.StringValue(d)
		} else {
			attrs[name] = types.StringNull()
		}
	}
	return timeouts.Value{Object: types.ObjectValueMust(timeoutsAttrTypes, attrs)}
}
