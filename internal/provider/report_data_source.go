package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
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
	DryRun            types.Bool   `tfsdk:"dry_run"`
	outcomeModel
}

func (d *reportDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_report"
}

func (d *reportDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	d.data = data
}

func (d *reportDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedString := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	computedFloat := func(description string) schema.Float64Attribute {
		return schema.Float64Attribute{MarkdownDescription: description, Computed: true}
	}
	resultAttributes := make(map[string]schema.Attribute, len(resultAttrTypes))
	for name, t := range resultAttrTypes {
		switch t {
		case types.Int64Type:
			resultAttributes[name] = schema.Int64Attribute{MarkdownDescription: resultDescriptions[name], Computed: true}
		case types.Float64Type:
			resultAttributes[name] = computedFloat(resultDescriptions[name])
		case types.BoolType:
			resultAttributes[name] = schema.BoolAttribute{MarkdownDescription: resultDescriptions[name], Computed: true}
		default:
			resultAttributes[name] = computedString(resultDescriptions[name])
		}
	}

	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the report an `awspowertuning_run` stored at its `report_s3_uri`, so that one " +
			"workspace (or pipeline) can tune a function and another can use the results, for example to set " +
			"`memory_size`.",
		Attributes: map[string]schema.Attribute{
			"s3_uri": schema.StringAttribute{
				MarkdownDescription: "Where the report is stored: the `report_s3_uri` of the run, as `s3://bucket/key`. " +
					"Needs `s3:GetObject` on it.",
				Required:   true,
				Validators: []validator.String{s3URI()},
			},
			"lambda_arn":          computedString("The `lambda_arn` the run was given."),
			"num":                 schema.Int64Attribute{MarkdownDescription: "Invocations per memory size the run was given.", Computed: true},
			"power_values":        schema.ListAttribute{MarkdownDescription: "The `power_values` the run was given; null when it used the defaults.", Computed: true, ElementType: types.Int64Type},
			"strategy":            computedString("The strategy that chose `optimal_power`."),
			"auto_optimize":       schema.BoolAttribute{MarkdownDescription: "Whether the run applied the optimum to the function.", Computed: true},
			"auto_optimize_alias": computedString("The alias the run pointed at the optimum, if any."),
			"dry_run":             schema.BoolAttribute{MarkdownDescription: "Whether the run was a dry run (no results to act on).", Computed: true},

			"id":                   computedString(descID),
			"function_arn":         computedString(descFunctionARN),
			"optimal_power":        schema.Int64Attribute{MarkdownDescription: descOptimalPower, Computed: true},
			"optimal_cost":         computedFloat(descOptimalCost),
			"optimal_duration":     computedFloat(descOptimalDuration),
			"tuning_cost":          computedFloat(descTuningCost),
			"architecture":         computedString(descArchitecture),
			"currency":             computedString(descCurrency),
			"visualization_url":    computedString(descVisualizationURL),
			"results":              schema.ListNestedAttribute{MarkdownDescription: descResults, Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: resultAttributes}},
			"output":               computedString(descOutput),
			"tuned_at":             computedString(descTunedAt),
			"function_code_sha256": computedString(descFunctionCodeSha256),
		},
	}
}

func (d *reportDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config reportDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	uri := config.S3URI.ValueString()
	report, err := tuning.ReadReport(ctx, d.data.clients.S3(), uri)
	if err != nil {
		resp.Diagnostics.Append(reportReadDiagnostics(err, uri, path.Root("s3_uri"))...)
		return
	}

	inputs, diags := inputModelFromReport(ctx, report.Input)
	resp.Diagnostics.Append(diags...)
	outcome, diags := outcomeFromReport(ctx, report)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state := reportDataSourceModel{
		S3URI:             config.S3URI,
		LambdaARN:         inputs.LambdaARN,
		Num:               inputs.Num,
		PowerValues:       inputs.PowerValues,
		Strategy:          inputs.Strategy,
		AutoOptimize:      inputs.AutoOptimize,
		AutoOptimizeAlias: inputs.AutoOptimizeAlias,
		DryRun:            inputs.DryRun,
		outcomeModel:      outcome,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
