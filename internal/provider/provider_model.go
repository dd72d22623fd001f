package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// providerModel is the provider block.
type providerModel struct {
	Region                 types.String     `tfsdk:"region"`
	Profile                types.String     `tfsdk:"profile"`
	SharedConfigFiles      types.List       `tfsdk:"shared_config_files"`
	SharedCredentialsFiles types.List       `tfsdk:"shared_credentials_files"`
	AccessKey              types.String     `tfsdk:"access_key"`
	SecretKey              types.String     `tfsdk:"secret_key"`
	Token                  types.String     `tfsdk:"token"`
	AssumeRole             *assumeRoleModel `tfsdk:"assume_role"`
	MaxRetries             types.Int64      `tfsdk:"max_retries"`
	RetryMode              types.String     `tfsdk:"retry_mode"`
	ControlPlaneRate       types.Int64      `tfsdk:"control_plane_requests_per_second"`
	GetFunctionRate        types.Int64      `tfsdk:"get_function_requests_per_second"`
	MaxInvocations         types.Int64      `tfsdk:"max_concurrent_invocations"`
	Endpoints              *endpointsModel  `tfsdk:"endpoints"`
	DefaultPowerValues     types.List       `tfsdk:"default_power_values"`
	VisualizationURL       types.String     `tfsdk:"visualization_url"`
	LambdaPrices           types.List       `tfsdk:"lambda_prices"`
}

// assumeRoleModel is the assume_role block; nil when the block is absent.
type assumeRoleModel struct {
	RoleARN     types.String `tfsdk:"role_arn"`
	SessionName types.String `tfsdk:"session_name"`
	ExternalID  types.String `tfsdk:"external_id"`
	Duration    types.String `tfsdk:"duration"`
	Policy      types.String `tfsdk:"policy"`
	PolicyARNs  types.Set    `tfsdk:"policy_arns"`
	Tags        types.Map    `tfsdk:"tags"`
}

// endpointsModel is the endpoints block; nil when the block is absent.
type endpointsModel struct {
	Lambda types.String `tfsdk:"lambda"`
	S3     types.String `tfsdk:"s3"`
	SFN    types.String `tfsdk:"sfn"`
	STS    types.String `tfsdk:"sts"`
	Logs   types.String `tfsdk:"logs"`
}

// lambdaPriceModel is one lambda_prices entry.
type lambdaPriceModel struct {
	Region           types.String  `tfsdk:"region"`
	Architecture     types.String  `tfsdk:"architecture"`
	PricePerGBSecond types.Float64 `tfsdk:"price_per_gb_second"`
	PricePerRequest  types.Float64 `tfsdk:"price_per_request"`
	Currency         types.String  `tfsdk:"currency"`
}
