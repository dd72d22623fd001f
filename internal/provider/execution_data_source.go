package provider

import (
	"context"
	"errors"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/stepfunctions"
)

var (
	_ datasource.DataSource              = (*executionDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*executionDataSource)(nil)
)

// executionDataSource is awspowertuning_execution: a finished execution of
// the original tool's state machine, read back.
type executionDataSource struct {
	data *providerData
}

func newExecutionDataSource() datasource.DataSource { return &executionDataSource{} }

// executionDataSourceModel is the execution, its main inputs and its outcome.
type executionDataSourceModel struct {
	ExecutionARN     types.String  `tfsdk:"execution_arn"`
	LambdaARN        types.String  `tfsdk:"lambda_arn"`
	Num              types.Int64   `tfsdk:"num"`
	Strategy         types.String  `tfsdk:"strategy"`
	DryRun           types.Bool    `tfsdk:"dry_run"`
	StateMachineCost types.Float64 `tfsdk:"state_machine_cost"`
	outcomeModel
}

func (d *executionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_execution"
}

func (d *executionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	var diags diag.Diagnostics
	d.data, diags = providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
}

func (d *executionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := map[string]schema.Attribute{
		"execution_arn": schema.StringAttribute{
			MarkdownDescription: "The execution of an AWS Lambda Power Tuning state machine to read, however it was " +
				"started: by `awspowertuning_run.state_machine_arn` (its `execution_arn`), the console, the tool's " +
				"`execute.sh` or a CI job. Needs `states:DescribeExecution` (and `states:GetExecutionHistory` to explain a failure).",
			Required:   true,
			Validators: []validator.String{executionARN()},
		},
		"lambda_arn":         schema.StringAttribute{MarkdownDescription: "The `lambdaARN` the execution was given.", Computed: true},
		"num":                schema.Int64Attribute{MarkdownDescription: "The `num` the execution was given.", Computed: true},
		"strategy":           schema.StringAttribute{MarkdownDescription: "The `strategy` the execution was given (empty: the tool's default, `cost`).", Computed: true},
		"dry_run":            schema.BoolAttribute{MarkdownDescription: "Whether the execution was a dry run (no results to act on).", Computed: true},
		"state_machine_cost": schema.Float64Attribute{MarkdownDescription: "The state machine's estimate of its own execution cost (`stateMachine.executionCost`, USD).", Computed: true},
		"results": schema.ListNestedAttribute{
			MarkdownDescription: descResults + " Filled when the execution was asked for `includeOutputResults`; " +
				"the original tool reports `power`, `average_cost` and `average_duration` only.",
			Computed:     true,
			NestedObject: schema.NestedAttributeObject{Attributes: reportComputedAttributes(resultFields)},
		},
	}
	maps.Copy(attributes, reportComputedAttributes(outcomeFields))
	attributes[managedOutcomeName] = reportManagedOutcomeAttribute()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the outcome of a finished execution of AWS Lambda Power Tuning's state machine " +
			"into the same attributes as `awspowertuning_run`, for deployments that already run the original tool.",
		Attributes: attributes,
	}
}

// executionARN accepts a Step Functions execution ARN.
func executionARN() validator.String {
	return stringCheck{
		description: "must be a Step Functions execution ARN",
		summary:     "Invalid Execution ARN",
		check: func(s string) string {
			if _, err := stepfunctions.ParseExecutionARN(s); err != nil {
				return err.Error() + "."
			}
			return ""
		},
	}
}

func (d *executionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config executionDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	arn := config.ExecutionARN.ValueString()
	region, _ := stepfunctions.ParseExecutionARN(arn) // checked by the schema
	api, _, err := d.data.stepFunctions(ctx, region)
	if err != nil {
		resp.Diagnostics.AddError("Step Functions Not Configured", err.Error())
		return
	}
	res, input, err := stepfunctions.Read(ctx, api, arn, func(lambdaARN string) report.Function {
		return d.function(ctx, lambdaARN, &resp.Diagnostics)
	})
	if err != nil {
		resp.Diagnostics.Append(executionReadDiagnostics(err, arn)...)
		return
	}
	outcome, diags := outcomeFromReport(ctx, res.Report)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state := executionDataSourceModel{
		ExecutionARN:     config.ExecutionARN,
		LambdaARN:        types.StringValue(input.LambdaARN),
		Num:              types.Int64Value(int64(input.Num)),
		Strategy:         types.StringValue(input.Strategy),
		DryRun:           types.BoolValue(input.DryRun),
		StateMachineCost: types.Float64Value(res.StateMachineCost),
		outcomeModel:     outcome,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// function describes the tuned function for the report; when it cannot be
// read (deleted since, another account) the outcome is still shown, with a
// warning and the Region's currency.
func (d *executionDataSource) function(ctx context.Context, lambdaARN string, diags *diag.Diagnostics) report.Function {
	fn, err := d.data.engine(ctx).DescribeFunction(ctx, lambdaARN)
	if err == nil {
		return fn
	}
	region, _, _ := spec.ParseFunctionARN(lambdaARN)
	diags.AddAttributeWarning(path.Root("execution_arn"), "Cannot Read Tuned Function",
		"The execution's results are shown, but the function it tuned could not be read, so architecture and "+
			"function_code_sha256 are empty. Allow lambda:GetFunction on it to see them.\n\nFunction: "+lambdaARN+
			"\n\nOriginal error: "+err.Error())
	return report.Function{ARN: lambdaARN, Region: region, Currency: d.data.config.Prices.Lookup(region, "x86_64").Currency}
}

// executionReadDiagnostics explains why an execution has no outcome to read.
func executionReadDiagnostics(err error, arn string) diag.Diagnostics {
	var summary, advice string
	var failed *stepfunctions.ExecutionError
	switch {
	case errors.Is(err, stepfunctions.ErrStillRunning):
		summary = "Execution Still Running"
		advice = "The execution has not finished, so it has no result yet. Read it once it has ended (the Step " +
			"Functions console shows its progress), or make this data source depend on the run that waits for it."
	case errors.As(err, &failed) && failed.EmptyOutput:
		summary = "Execution Returned No Result"
		advice = "The execution SUCCEEDED with no power in its output: AWS Lambda Power Tuning ends this way when " +
			"one of its steps failed and its clean-up state ran. The cause below is from the execution history."
	case errors.As(err, &failed):
		summary = "Execution Failed"
		advice = "The execution ended " + failed.Status + " without a tuning result."
	case errors.Is(err, stepfunctions.ErrNotPowerTuning):
		summary = "Not A Power Tuning Execution"
		advice = "The execution's input or output is not AWS Lambda Power Tuning's (lambdaARN in; power, cost, " +
			"duration and stateMachine out). Point execution_arn at an execution of the Power Tuning state machine."
	case faults.Classify(err) == faults.ClassNotFound || faults.ErrorCode(err) == "ExecutionDoesNotExist":
		summary = "Execution Not Found"
		advice = "No such execution. Check the ARN, and that the provider's region and credentials reach its account."
	case faults.Classify(err) == faults.ClassAccessDenied:
		summary = "Execution Access Denied"
		advice = "Allow states:DescribeExecution and states:GetExecutionHistory on the execution to the credentials Terraform uses."
	default:
		summary = "Cannot Read Execution"
		advice = "The execution could not be read from Step Functions."
	}
	var diags diag.Diagnostics
	diags.AddAttributeError(path.Root("execution_arn"), summary, advice+"\n\nExecution: "+arn+"\n\nOriginal error: "+err.Error())
	return diags
}
