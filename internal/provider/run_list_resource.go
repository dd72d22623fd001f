package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

var (
	_ list.ListResource              = (*runListResource)(nil)
	_ list.ListResourceWithConfigure = (*runListResource)(nil)
)

// runListResource lists past awspowertuning_run runs by the reports they
// stored under an S3 prefix (terraform query, Terraform 1.14 and later).
type runListResource struct {
	data *providerData
}

func newRunListResource() list.ListResource { return &runListResource{} }

// runListModel is the config block of a list "awspowertuning_run".
type runListModel struct {
	ReportS3Prefix types.String `tfsdk:"report_s3_prefix"`
}

func (l *runListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_run"
}

func (l *runListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	var diags diag.Diagnostics
	l.data, diags = providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
}

func (l *runListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the runs of `awspowertuning_run` that stored a report (`report_s3_uri`) under an S3 prefix, " +
			"each with its identity, so that `terraform query -generate-config-out` writes the resource and import " +
			"blocks that bring them under management. Objects that are not reports of this provider are skipped.",
		Attributes: map[string]listschema.Attribute{
			"report_s3_prefix": listschema.StringAttribute{
				Required: true,
				MarkdownDescription: "Where to look: `s3://bucket` or `s3://bucket/prefix`, the prefix taken as S3 takes it " +
					"(`s3://reports/runs/` finds `runs/orders.json`; `s3://reports/runs` also `runs-2026/orders.json`). " +
					"Needs `s3:ListBucket` on the bucket and `s3:GetObject` on the objects.",
				Validators: []validator.String{s3Prefix()},
			},
		},
	}
}

// s3Prefix accepts s3://bucket or s3://bucket/prefix with a valid bucket name.
func s3Prefix() validator.String {
	return stringCheck{
		description: "must be an S3 location of the form s3://bucket or s3://bucket/prefix",
		summary:     "Invalid S3 Prefix",
		check: func(s string) string {
			if _, _, err := spec.ParseS3Prefix(s); err != nil {
				return capitalize(err.Error()) + "."
			}
			return ""
		},
	}
}

// List reads every object under the prefix and returns the runs whose
// reports it finds, mapped as an import maps them.
func (l *runListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config runListModel
	if diags := req.Config.Get(ctx, &config); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	prefix := config.ReportS3Prefix.ValueString()
	ctx = tflog.SetField(ctx, "report_s3_prefix", prefix)
	skipped := func(uri string, why error) {
		tflog.Debug(ctx, "skipping an object that is not a tuning report", map[string]any{"object": uri, "reason": why.Error()})
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var n int64
		for stored, err := range report.ListReports(ctx, l.data.config.Clients.S3(), prefix, skipped) {
			if err != nil {
				push(list.ListResult{Diagnostics: listErrorDiagnostics(err, prefix, l.data.partition())})
				return
			}
			if !push(l.result(ctx, req, stored)) {
				return
			}
			if n++; req.Limit > 0 && n >= req.Limit {
				return
			}
		}
	}
}

// result is one run found: its identity, a name people recognise it by,
// and, when asked, the state an import of it would write.
func (l *runListResource) result(ctx context.Context, req list.ListRequest, found report.Stored) list.ListResult {
	result := req.NewListResult(ctx)
	stored, diags := storedRunOf(ctx, found.Report)
	state, mapDiags := importedRun(ctx, found.URI, stored)
	diags.Append(mapDiags...)
	if diags.HasError() {
		result.Diagnostics.Append(diags...)
		return result
	}
	result.DisplayName = runDisplayName(found.Report)
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, state)...)
	if req.IncludeResource {
		result.Diagnostics.Append(result.Resource.Set(ctx, &state)...)
	}
	return result
}

// runDisplayName names a run by its function, its time and its optimum:
// "orders @ 2026-12-07T10:00:00Z: 1024 MB".
func runDisplayName(r *report.Report) string {
	function := r.FunctionARN[strings.LastIndex(r.FunctionARN, ":")+1:]
	// To the second: the identity keeps the exact time.
	name := fmt.Sprintf("%s @ %s: %d MB", function, r.TunedAt.UTC().Format(time.RFC3339), r.OptimalPower)
	if r.OptimalArchitecture != "" && r.OptimalArchitecture != r.Architecture {
		name += " on " + r.OptimalArchitecture
	}
	return name
}

// listErrorDiagnostics explain why the reports under prefix could not all
// be read.
func listErrorDiagnostics(err error, prefix, partition string) diag.Diagnostics {
	at := path.Root("report_s3_prefix")
	var diags diag.Diagnostics
	var object *report.ObjectError
	switch {
	case errors.Is(err, report.ErrListAccessDenied):
		bucket, _, _ := spec.ParseS3Prefix(prefix)
		diags.AddAttributeError(at, "Report Listing Access Denied",
			fmt.Sprintf("S3 refused to list the objects under report_s3_prefix. Allow s3:ListBucket on arn:%s:s3:::%s "+
				"to the credentials Terraform uses.\n\nS3 prefix: %s\n\nOriginal error: %s", partition, bucket, prefix, err))
	case errors.As(err, &object):
		diags.Append(reportReadDiagnostics(object.Err, object.URI, partition, at)...)
	default:
		diags.AddAttributeError(at, "Cannot List Reports",
			fmt.Sprintf("The objects under report_s3_prefix could not be listed or read. Check that the bucket exists "+
				"in the account and Region the provider is configured for.\n\nS3 prefix: %s\n\nOriginal error: %s", prefix, err))
	}
	return diags
}
