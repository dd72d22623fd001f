package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

var _ resource.ResourceWithIdentity = (*runResource)(nil)

// runIdentityModel is what identifies a run: the report it stored, when it
// stored one, and always the function it tuned and when.
type runIdentityModel struct {
	ReportS3URI types.String `tfsdk:"report_s3_uri"`
	FunctionARN types.String `tfsdk:"function_arn"`
	TunedAt     types.String `tfsdk:"tuned_at"`
}

func (r *runResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"report_s3_uri": identityschema.StringAttribute{
				OptionalForImport: true,
				Description: "Where the run stored its report (s3://bucket/key); null for a run that stored none. " +
					"An import reads the run from this report, so an import by identity needs it.",
			},
			"function_arn": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "The unqualified ARN of the function the run tuned.",
			},
			"tuned_at": identityschema.StringAttribute{
				OptionalForImport: true,
				Description:       "When the run measured the function (RFC 3339, UTC).",
			},
		},
	}
}

// identityOf is the identity of the run a state holds. A dry run stores no
// report, whatever report_s3_uri says.
func identityOf(state runResourceModel) runIdentityModel {
	uri := state.ReportS3URI
	if uri.IsUnknown() || uri.ValueString() == "" || state.DryRun.ValueBool() {
		uri = types.StringNull()
	}
	return runIdentityModel{ReportS3URI: uri, FunctionARN: state.FunctionARN, TunedAt: state.TunedAt}
}

// setIdentity records the identity of the run in state; identity is nil
// when the CLI knows nothing of identities (before Terraform 1.12).
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, state runResourceModel) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	id := identityOf(state)
	return identity.Set(ctx, &id)
}

// reportToImport is the report an import reads: the import ID, or the
// identity's report_s3_uri. A run is only ever imported from its report,
// so an identity without one is refused.
func reportToImport(ctx context.Context, req resource.ImportStateRequest) (runIdentityModel, diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil {
		return runIdentityModel{ReportS3URI: types.StringValue(req.ID)}, nil
	}
	var id runIdentityModel
	diags := req.Identity.Get(ctx, &id)
	if diags.HasError() {
		return id, diags
	}
	if id.ReportS3URI.ValueString() == "" {
		diags.AddAttributeError(path.Root("report_s3_uri"), "Report Location Needed To Import",
			"A run is imported from the report it stored, so the import block's identity must give report_s3_uri:\n\n"+
				"  identity = {\n    report_s3_uri = \"s3://bucket/key\"\n  }\n\n"+
				"A function and a time alone cannot be imported: the results of a run that stored no report "+
				"(no report_s3_uri, or dry_run) exist only in the state of the configuration that made it.\n\n"+
				fmt.Sprintf("Function: %s\nTuned at: %s", orNone(id.FunctionARN), orNone(id.TunedAt)))
	} else if _, _, err := spec.ParseS3URI(id.ReportS3URI.ValueString()); err != nil {
		diags.AddAttributeError(path.Root("report_s3_uri"), "Invalid Import Identity",
			"The identity's report_s3_uri must be where the run stored its report, of the form s3://bucket/key.\n\n"+
				fmt.Sprintf("Got: %q\n\nOriginal error: %s", id.ReportS3URI.ValueString(), err))
	}
	return id, diags
}

// checkImportedIdentity refuses a report that is not of the run the
// identity names by its function and time, when it names them.
func checkImportedIdentity(want runIdentityModel, got *report.Report) diag.Diagnostics {
	var diags diag.Diagnostics
	uri := want.ReportS3URI.ValueString()
	if arn := want.FunctionARN.ValueString(); arn != "" && arn != got.FunctionARN {
		diags.AddAttributeError(path.Root("function_arn"), "Import Identity Does Not Match Report",
			"The report at report_s3_uri is of another function than the identity's function_arn: it was "+
				"overwritten by a later run, or the identity is wrong. Import it by report_s3_uri alone, or "+
				"correct function_arn.\n\n"+
				fmt.Sprintf("Report: %s\nIdentity function_arn: %s\nReport function_arn: %s", uri, arn, got.FunctionARN))
	}
	if at := want.TunedAt.ValueString(); at != "" {
		when, err := time.Parse(time.RFC3339Nano, at)
		if err != nil || !when.Equal(got.TunedAt) {
			diags.AddAttributeError(path.Root("tuned_at"), "Import Identity Does Not Match Report",
				"The report at report_s3_uri is of a run made at another time than the identity's tuned_at: "+
					"it was overwritten by a later run, or the identity is wrong. Import it by report_s3_uri alone, "+
					"or correct tuned_at (RFC 3339, such as 2026-12-07T10:00:00Z).\n\n"+
					fmt.Sprintf("Report: %s\nIdentity tuned_at: %s\nReport tuned_at: %s", uri, at, formatTime(got.TunedAt)))
		}
	}
	return diags
}

func orNone(s types.String) string {
	if s.ValueString() == "" {
		return "(none)"
	}
	return s.ValueString()
}
