package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

var (
	_ datasource.DataSource              = (*reportDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*reportDataSource)(nil)
)

// reportDataSource is awspowertuning_report: a stored run, read back.
type reportDataSource struct {
	data *providerData
}

func newReportDataSource() datasource.DataSource { return &reportDataSource{} }

// reportDataSourceModel is the S3 URI, the main inputs of the run, and its outcome.
type reportDataSourceModel struct {
	S3URI             types.String `tfsdk:"s3_uri"`
	LambdaARN         types.String `tfsdk:"lambda_arn"`
	Num               types.Int64  `tfsdk:"num"`
	PowerValues       types.List   `tfsdk:"power_values"`
	Strategy          types.String `tfsdk:"strategy"`
	AutoOptimize      types.Bool   `tfsdk:"auto_optimize"`
	AutoOptimizeAlias types.String `tfsdk:"auto_optimize_alias"`
	AliasRouting      types.String `tfsdk:"auto_optimize_alias_routing"`
	TieBreaker        types.String `tfsdk:"tie_breaker"`
	DryRun            types.Bool   `tfsdk:"dry_run"`
	HTML              types.String `tfsdk:"html"`
	outcomeModel
}

func (d *reportDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_report"
}

func (d *reportDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	var diags diag.Diagnostics
	d.data, diags = providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
}

func (d *reportDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"s3_uri": schema.StringAttribute{
			MarkdownDescription: "Where the report is stored: the `report_s3_uri` of the run, as `s3://bucket/key`. " +
				"Needs `s3:GetObject` on it.",
			Required:   true,
			Validators: []validator.String{s3URI()},
		},
		"lambda_arn":          schema.StringAttribute{MarkdownDescription: "The `lambda_arn` the run was given.", Computed: true},
		"num":                 schema.Int64Attribute{MarkdownDescription: "Invocations per memory size the run was given.", Computed: true},
		"power_values":        schema.ListAttribute{MarkdownDescription: "The `power_values` the run was given; null when it used the defaults.", Computed: true, ElementType: types.Int64Type},
		"strategy":            schema.StringAttribute{MarkdownDescription: "The strategy that chose `optimal_power`.", Computed: true},
		"auto_optimize":       schema.BoolAttribute{MarkdownDescription: "Whether the run applied the optimum to the function.", Computed: true},
		"auto_optimize_alias": schema.StringAttribute{MarkdownDescription: "The alias the run pointed at the optimum, if any.", Computed: true},
		"auto_optimize_alias_routing": schema.StringAttribute{MarkdownDescription: "What the run was told to do with the weighted routing " +
			"of `auto_optimize_alias` when it moved it: `keep` or `clear`; null when it was not told (an alias with weighted routing is then refused).", Computed: true},
		"tie_breaker": schema.StringAttribute{MarkdownDescription: "How the run chose among the memory sizes within noise " +
			"of the strategy's choice: `none`, `smallest_memory` or `cheapest` (`none` in reports stored before the rule existed).", Computed: true},
		"dry_run": schema.BoolAttribute{MarkdownDescription: "Whether the run was a dry run (no results to act on).", Computed: true},
		"html": schema.StringAttribute{
			MarkdownDescription: "The report as one self-contained HTML page: a chart of cost and duration against " +
				"memory size with the optimum and `baseline_power` marked, the table of `results`, and a sentence " +
				"comparing the optimum with the memory size before the run. It loads nothing from the network (the " +
				"only link is `visualization_url`). Write it to a file with `local_file`, or print it with " +
				"`terraform output -raw`, to attach it to a pull request.",
			Computed: true,
		},
		"results": schema.ListNestedAttribute{
			MarkdownDescription: descMeasuredResults,
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: reportComputedAttributes(resultFields)},
		},
	}
	maps.Copy(attributes, reportComputedAttributes(outcomeFields))
	attributes[managedOutcomeName] = reportManagedOutcomeAttribute()

	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the report an `awspowertuning_run` stored at its `report_s3_uri`, so that one " +
			"workspace (or pipeline) can tune a function and another can use the results, for example to set " +
			"`memory_size`.",
		Attributes: attributes,
	}
}

func (d *reportDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config reportDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	stored, diags := readStoredRun(ctx, d.data.config.Clients, config.S3URI.ValueString(), path.Root("s3_uri"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	page, err := report.RenderHTML(stored.report)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("html"), "Cannot Render HTML Report",
			"The report was read but could not be rendered as HTML; this is a bug in the provider, please report it. "+
				"Every other attribute is unaffected.\n\nS3 URI: "+config.S3URI.ValueString()+"\n\nOriginal error: "+err.Error())
		return
	}
	inputs := stored.inputs
	state := reportDataSourceModel{
		S3URI:             config.S3URI,
		LambdaARN:         inputs.LambdaARN,
		Num:               inputs.Num,
		PowerValues:       inputs.PowerValues,
		Strategy:          inputs.Strategy,
		AutoOptimize:      inputs.AutoOptimize,
		AutoOptimizeAlias: inputs.AutoOptimizeAlias,
		AliasRouting:      inputs.AutoOptimizeAliasRouting,
		TieBreaker:        inputs.TieBreaker,
		DryRun:            inputs.DryRun,
		HTML:              types.StringValue(string(page)),
		outcomeModel:      stored.outcome,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
