// Package awsapi is the small surface of AWS the engine talks to: the parts
// of the Lambda, S3 and CloudWatch Logs clients it calls, and who hands them
// out. The real SDK clients satisfy these interfaces; tests pass the same
// clients pointed at the bundled emulator. It imports AWS SDK service
// packages and nothing of the project.
package awsapi

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// LambdaAPI is the part of the Lambda client the engine uses.
type LambdaAPI interface {
	GetFunction(ctx context.Context, in *lambda.GetFunctionInput, optFns ...func(*lambda.Options)) (*lambda.GetFunctionOutput, error)
	GetFunctionConfiguration(ctx context.Context, in *lambda.GetFunctionConfigurationInput, optFns ...func(*lambda.Options)) (*lambda.GetFunctionConfigurationOutput, error)
	UpdateFunctionConfiguration(ctx context.Context, in *lambda.UpdateFunctionConfigurationInput, optFns ...func(*lambda.Options)) (*lambda.UpdateFunctionConfigurationOutput, error)
	PublishVersion(ctx context.Context, in *lambda.PublishVersionInput, optFns ...func(*lambda.Options)) (*lambda.PublishVersionOutput, error)
	CreateAlias(ctx context.Context, in *lambda.CreateAliasInput, optFns ...func(*lambda.Options)) (*lambda.CreateAliasOutput, error)
	GetAlias(ctx context.Context, in *lambda.GetAliasInput, optFns ...func(*lambda.Options)) (*lambda.GetAliasOutput, error)
	UpdateAlias(ctx context.Context, in *lambda.UpdateAliasInput, optFns ...func(*lambda.Options)) (*lambda.UpdateAliasOutput, error)
	DeleteAlias(ctx context.Context, in *lambda.DeleteAliasInput, optFns ...func(*lambda.Options)) (*lambda.DeleteAliasOutput, error)
	ListAliases(ctx context.Context, in *lambda.ListAliasesInput, optFns ...func(*lambda.Options)) (*lambda.ListAliasesOutput, error)
	ListVersionsByFunction(ctx context.Context, in *lambda.ListVersionsByFunctionInput, optFns ...func(*lambda.Options)) (*lambda.ListVersionsByFunctionOutput, error)
	// CreateFunction, ListFunctions, TagResource and ListTags serve copies:
	// they are created, found again after a killed run, and carry a lease.
	CreateFunction(ctx context.Context, in *lambda.CreateFunctionInput, optFns ...func(*lambda.Options)) (*lambda.CreateFunctionOutput, error)
	ListFunctions(ctx context.Context, in *lambda.ListFunctionsInput, optFns ...func(*lambda.Options)) (*lambda.ListFunctionsOutput, error)
	TagResource(ctx context.Context, in *lambda.TagResourceInput, optFns ...func(*lambda.Options)) (*lambda.TagResourceOutput, error)
	ListTags(ctx context.Context, in *lambda.ListTagsInput, optFns ...func(*lambda.Options)) (*lambda.ListTagsOutput, error)
	DeleteFunction(ctx context.Context, in *lambda.DeleteFunctionInput, optFns ...func(*lambda.Options)) (*lambda.DeleteFunctionOutput, error)
	// GetCapacityProvider reads the capacity provider a run on Lambda
	// Managed Instances puts its copies on: its state, instance types and
	// vCPU limit.
	GetCapacityProvider(ctx context.Context, in *lambda.GetCapacityProviderInput, optFns ...func(*lambda.Options)) (*lambda.GetCapacityProviderOutput, error)
	Invoke(ctx context.Context, in *lambda.InvokeInput, optFns ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
	// InvokeWithResponseStream reads responses too large for Invoke.
	InvokeWithResponseStream(ctx context.Context, in *lambda.InvokeWithResponseStreamInput, optFns ...func(*lambda.Options)) (*lambda.InvokeWithResponseStreamOutput, error)
}

// S3API is the part of the S3 client the engine uses: payloads, reports and
// their write check, and the code of copies staged through S3.
type S3API interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

// LogsAPI is the part of the CloudWatch Logs client the engine uses: it
// deletes the log groups of deleted copies, and finds those of copies
// killed runs left.
type LogsAPI interface {
	DeleteLogGroup(ctx context.Context, in *cloudwatchlogs.DeleteLogGroupInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DeleteLogGroupOutput, error)
	DescribeLogGroups(ctx context.Context, in *cloudwatchlogs.DescribeLogGroupsInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error)
}

// HTTPDoer sends a plain HTTPS request, such as the download of a function
// package from its presigned Code.Location.
type HTTPDoer = aws.HTTPClient

// Clients hands out AWS clients. Lambda and CloudWatch Logs clients are per
// Region because a function ARN may name another Region than the default.
type Clients interface {
	Lambda(region string) LambdaAPI
	S3() S3API
	Logs(region string) LogsAPI
	// HTTP is the HTTP client the AWS clients use (proxy and CA settings
	// included), for requests that are not AWS API calls.
	HTTP() HTTPDoer
	DefaultRegion() string
}

// SDKClientSource hands out real SDK clients; awsclient.Clients is one.
type SDKClientSource interface {
	Lambda(region string) *lambda.Client
	S3() *s3.Client
	Logs(region string) *cloudwatchlogs.Client
	HTTPClient() HTTPDoer
	DefaultRegion() string
}

// FromSDK serves Clients from real SDK clients.
func FromSDK(src SDKClientSource) Clients { return sdkClients{src} }

type sdkClients struct{ src SDKClientSource }

func (c sdkClients) Lambda(region string) LambdaAPI { return c.src.Lambda(region) }
func (c sdkClients) S3() S3API                      { return c.src.S3() }
func (c sdkClients) Logs(region string) LogsAPI     { return c.src.Logs(region) }
func (c sdkClients) HTTP() HTTPDoer                 { return c.src.HTTPClient() }
func (c sdkClients) DefaultRegion() string          { return c.src.DefaultRegion() }
