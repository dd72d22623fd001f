package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func (p *awsPowerTuningProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Power-tunes AWS Lambda functions during `terraform apply`: runs the function at several " +
			"memory sizes, measures cost and speed, and reports (or applies) the best one, like " +
			"[AWS Lambda Power Tuning](https://github.com/alexcasalboni/aws-lambda-power-tuning) without a Step Functions " +
			"deployment.\n\n" +
			"AWS settings work like the AWS provider's: every argument is optional, and standard AWS environment variables " +
			"and shared configuration files are used when it is not set.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				MarkdownDescription: "AWS Region of bare function names and of S3 requests. A function given by ARN is tuned in " +
					"the ARN's Region. Can also be set with the `AWS_REGION` or `AWS_DEFAULT_REGION` environment variable, " +
					"or the `region` of the shared config profile.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"profile": schema.StringAttribute{
				MarkdownDescription: "Name of the shared config and credentials profile. Can also be set with the " +
					"`AWS_PROFILE` environment variable.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"shared_config_files": schema.ListAttribute{
				MarkdownDescription: "Paths of shared config files. Can also be set with the `AWS_CONFIG_FILE` environment " +
					"variable. Defaults to `~/.aws/config`.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.List{listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"shared_credentials_files": schema.ListAttribute{
				MarkdownDescription: "Paths of shared credentials files. Can also be set with the " +
					"`AWS_SHARED_CREDENTIALS_FILE` environment variable. Defaults to `~/.aws/credentials`.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.List{listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"access_key": schema.StringAttribute{
				MarkdownDescription: "AWS access key ID. Can also be set with the `AWS_ACCESS_KEY_ID` environment variable. " +
					"Requires `secret_key`.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.AlsoRequires(path.MatchRoot("secret_key")),
				},
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "AWS secret access key. Can also be set with the `AWS_SECRET_ACCESS_KEY` environment " +
					"variable. Requires `access_key`.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.AlsoRequires(path.MatchRoot("access_key")),
				},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "Session token of temporary credentials. Can also be set with the " +
					"`AWS_SESSION_TOKEN` environment variable. Requires `access_key` and `secret_key`.",
				Optional:  true,
				Sensitive: true,
				Validators: []validator.String{
					stringvalidator.AlsoRequires(path.MatchRoot("access_key"), path.MatchRoot("secret_key")),
				},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Maximum number of attempts of an AWS request that is throttled or fails "+
					"with a retryable error. Parallel invocations are often throttled, so the default is generous. "+
					"Can also be set with the `AWS_MAX_ATTEMPTS` environment variable. Defaults to `%d`.", awsclient.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 100)},
			},
			"retry_mode": schema.StringAttribute{
				MarkdownDescription: "How throttled requests are retried: `standard` or `adaptive` (client-side rate limiting). " +
					"Can also be set with the `AWS_RETRY_MODE` environment variable. Defaults to `standard`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf("standard", "adaptive")},
			},
			"control_plane_requests_per_second": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Most Lambda control-plane requests (every call but `Invoke` and `GetFunction`: "+
					"configuration updates, versions, aliases, listings) that all runs of this provider send per second and Region, "+
					"retries included; no one-second window holds more. Lambda allows %d per account and Region for everything "+
					"that account runs, so leave room for other deployments; more only makes sense against an emulator. "+
					"Defaults to `%d`.", awsControlQuota, awsclient.DefaultControlPlaneRate),
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"get_function_requests_per_second": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Most `GetFunction` requests (reading the function, waiting for updates) that "+
					"all runs of this provider send per second and Region, retries included. Lambda allows %d per account and "+
					"Region; more only makes sense against an emulator. Defaults to `%d`.", awsGetFunctionQuota, awsclient.DefaultGetFunctionRate),
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"max_concurrent_invocations": schema.Int64Attribute{
				MarkdownDescription: "Most invocations in flight at once across all runs of this provider (an apply tunes up " +
					"to 10 resources at a time by default), on top of each run's `max_concurrency`. Set it below the " +
					"account's unreserved concurrency to leave room for production traffic. Defaults to no limit.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"default_power_values": schema.ListAttribute{
				MarkdownDescription: fmt.Sprintf("Memory sizes (MB) a run tests when it sets neither `power_values` nor "+
					"`power_values_all`. Each between %d and %d. Defaults to `%s`.",
					spec.MinPower, spec.MaxPower, formatPowerValues(spec.DefaultPowerValues)),
				Optional:    true,
				ElementType: types.Int64Type,
				Validators:  powerValuesValidators(),
			},
			"visualization_url": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Base URL of the results visualization; a run's `visualization_url` is this "+
					"URL followed by the encoded results. Defaults to `%s`.", analysis.DefaultVisualizationURL),
				Optional:   true,
				Validators: []validator.String{httpURL()},
			},
			"lambda_prices": schema.ListNestedAttribute{
				MarkdownDescription: "Overrides of the built-in Lambda on-demand prices, per Region and architecture " +
					"(for example negotiated prices, or a Region newer than this provider). Other Regions keep the built-in prices.",
				Optional: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"region": schema.StringAttribute{
							MarkdownDescription: "AWS Region the price applies to, e.g. `eu-west-1`.",
							Required:            true,
							Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
						},
						"architecture": schema.StringAttribute{
							MarkdownDescription: "Instruction set architecture the price applies to: " + codeList(spec.Architectures(), "or") + ".",
							Required:            true,
							Validators:          []validator.String{stringvalidator.OneOf(spec.Architectures()...)},
						},
						"price_per_gb_second": schema.Float64Attribute{
							MarkdownDescription: "Price of one GB-second of billed duration.",
							Required:            true,
							Validators:          []validator.Float64{float64validator.AtLeast(0)},
						},
						"price_per_request": schema.Float64Attribute{
							MarkdownDescription: "Price of one request.",
							Required:            true,
							Validators:          []validator.Float64{float64validator.AtLeast(0)},
						},
						"currency": schema.StringAttribute{
							MarkdownDescription: "Currency of both prices, as your bill for that Region is: `USD`, `CNY` or `EUR` " +
								"(the AWS European Sovereign Cloud). Defaults to `CNY` in China Regions and `USD` elsewhere.",
							Optional: true,
							Validators: []validator.String{stringvalidator.OneOf(
								analysis.CurrencyUSD, analysis.CurrencyCNY, analysis.CurrencyEUR)},
						},
					},
				},
				Validators: []validator.List{listvalidator.SizeAtLeast(1)},
			},
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "An IAM role to assume with the base credentials, for example to tune functions in " +
					"another account. The role is assumed lazily, on the first AWS request, and its credentials are " +
					"refreshed before they expire.",
				// Not Required on role_arn: the framework would then demand it even without the block.
				Validators: []validator.Object{objectvalidator.AlsoRequires(path.MatchRelative().AtName("role_arn"))},
				Attributes: map[string]schema.Attribute{
					"role_arn": schema.StringAttribute{
						MarkdownDescription: "ARN of the role to assume. Required in this block.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.RegexMatches(roleARNPattern, "must be an IAM role ARN such as arn:aws:iam::123456789012:role/tuner")},
					},
					"session_name": schema.StringAttribute{
						MarkdownDescription: "Session name of the assumed role; shows in CloudTrail. Defaults to a generated name.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.RegexMatches(sessionNamePattern, "must be 2 to 64 characters of letters, digits and =,.@-")},
					},
					"external_id": schema.StringAttribute{
						MarkdownDescription: "External ID the role's trust policy requires, if any.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthBetween(2, 1224)},
					},
					"duration": schema.StringAttribute{
						MarkdownDescription: "Lifetime of the assumed role's credentials as a duration such as `1h` or `45m`, " +
							"between 15 minutes and 12 hours. Defaults to 15 minutes; credentials are refreshed as needed.",
						Optional:   true,
						Validators: []validator.String{durationBetween(minAssumeRoleDuration, maxAssumeRoleDuration)},
					},
					"policy": schema.StringAttribute{
						MarkdownDescription: "IAM policy JSON that further restricts the assumed role's permissions.",
						Optional:            true,
						Validators:          []validator.String{jsonText()},
					},
					"policy_arns": schema.SetAttribute{
						MarkdownDescription: "ARNs of managed policies that further restrict the assumed role's permissions.",
						Optional:            true,
						ElementType:         types.StringType,
					},
					"tags": schema.MapAttribute{
						MarkdownDescription: "Session tags of the assumed role.",
						Optional:            true,
						ElementType:         types.StringType,
					},
				},
			},
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: "Custom service endpoints, for local emulators such as LocalStack, moto or `lambdasim`.",
				Attributes: map[string]schema.Attribute{
					"lambda": schema.StringAttribute{
						MarkdownDescription: "Lambda endpoint URL. Can also be set with the `AWS_ENDPOINT_URL_LAMBDA` or " +
							"`AWS_ENDPOINT_URL` environment variable.",
						Optional:   true,
						Validators: []validator.String{httpURL()},
					},
					"s3": schema.StringAttribute{
						MarkdownDescription: "S3 endpoint URL (path-style addressing is used with it). Can also be set with the " +
							"`AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` environment variable.",
						Optional:   true,
						Validators: []validator.String{httpURL()},
					},
					"sfn": schema.StringAttribute{
						MarkdownDescription: "Step Functions endpoint URL, used with `state_machine_arn` and by the " +
							"`awspowertuning_execution` data source. Can also be set with the `AWS_ENDPOINT_URL_SFN` or " +
							"`AWS_ENDPOINT_URL` environment variable.",
						Optional:   true,
						Validators: []validator.String{httpURL()},
					},
					"logs": schema.StringAttribute{
						MarkdownDescription: "CloudWatch Logs endpoint URL, used to delete the log groups of the copies " +
							"`isolation = \"copies\"` creates. Can also be set with the `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS` or " +
							"`AWS_ENDPOINT_URL` environment variable.",
						Optional:   true,
						Validators: []validator.String{httpURL()},
					},
					"sts": schema.StringAttribute{
						MarkdownDescription: "STS endpoint URL, used by `assume_role`. Can also be set with the " +
							"`AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL` environment variable.",
						Optional:   true,
						Validators: []validator.String{httpURL()},
					},
				},
			},
		},
	}
}

// Lambda's request-rate quotas per account and Region: GetFunction has its
// own 100 requests/s, every other control-plane call shares 15/s; neither can
// be raised.
const (
	awsControlQuota     = 15
	awsGetFunctionQuota = 100
)

// powerValuesValidators are shared by default_power_values and power_values.
func powerValuesValidators() []validator.List {
	return []validator.List{
		listvalidator.SizeAtLeast(1),
		listvalidator.UniqueValues(),
		listvalidator.ValueInt64sAre(int64validator.Between(spec.MinPower, spec.MaxPower)),
	}
}

// formatPowerValues renders power values for descriptions: [128, 256].
func formatPowerValues(values []int32) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = strconv.Itoa(int(v))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
