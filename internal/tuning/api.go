// Package tuning is the power-tuning engine: it decides everything about a
// tuning run and talks to AWS only through the small interfaces below. It
// knows nothing of Terraform.
package tuning

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// LambdaAPI is the part of the Lambda client the engine uses. The real
// *lambda.Client satisfies it.
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
	// ListVersionsByFunction tells the versions that existed before a run
	// from the ones it published, which are the only ones it may delete.
	// CreateFunction, ListFunctions: isolation = "copies" creates copies and
	// finds the ones a killed run left.
	CreateFunction(ctx context.Context, in *lambda.CreateFunctionInput, optFns ...func(*lambda.Options)) (*lambda.CreateFunctionOutput, error)
	ListFunctions(ctx context.Context, in *lambda.ListFunctionsInput, optFns ...func(*lambda.Options)) (*lambda.ListFunctionsOutput, error)
	// TagResource renews the lease on a run's copies; ListTags reads the
	// lease of copies another run made.
	TagResource(ctx context.Context, in *lambda.TagResourceInput, optFns ...func(*lambda.Options)) (*lambda.TagResourceOutput, error)
	ListTags(ctx context.Context, in *lambda.ListTagsInput, optFns ...func(*lambda.Options)) (*lambda.ListTagsOutput, error)
	ListVersionsByFunction(ctx context.Context, in *lambda.ListVersionsByFunctionInput, optFns ...func(*lambda.Options)) (*lambda.ListVersionsByFunctionOutput, error)
	DeleteFunction(ctx context.Context, in *lambda.DeleteFunctionInput, optFns ...func(*lambda.Options)) (*lambda.DeleteFunctionOutput, error)
	Invoke(ctx context.Context, in *lambda.InvokeInput, optFns ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

// S3API is the part of the S3 client the engine uses (payloads, reports,
// the reports' write check, and the code of copies staged through
// copies_code_s3_uri).
type S3API interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
}

// LogsAPI is the part of the CloudWatch Logs client the engine uses: it
// deletes the log groups of deleted copies.
type LogsAPI interface {
	DeleteLogGroup(ctx context.Context, in *cloudwatchlogs.DeleteLogGroupInput, optFns ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DeleteLogGroupOutput, error)
}

// Clients hands out AWS clients. Lambda clients are per region because a
// function ARN may name another region than the default one.
type Clients interface {
	Lambda(region string) LambdaAPI
	S3() S3API
	// Logs is the CloudWatch Logs client of a region (a copy's log group
	// is in its function's region).
	Logs(region string) LogsAPI
	DefaultRegion() string
}

// Clock is injected so tests control time; RealClock is the production one.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, returning ctx.Err() in that case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Default input values, shared by the engine and the provider's schema.
const (
	MinNum = 5
	// MaxNum bounds num: the original tool's executor makes all num
	// invocations of a power value inside one Lambda invocation, which may
	// last 15 minutes, and a synchronous Invoke round trip takes about 100 ms:
	// some 9,000 fit. Beyond that a run would take hours of Terraform apply.
	MaxNum = 10000
	// MaxColdStartVersions bounds num × power values with only_cold_starts,
	// which publishes a version and creates an alias per invocation: each
	// counts against the control-plane quota of 15 requests/s and the
	// function's code storage until clean-up.
	MaxColdStartVersions = 1000
	MinPower             = 128
	MaxPower             = 10240
)

// DefaultMaxConcurrency caps the invocations in flight across one run when
// neither max_concurrency nor Config.MaxInFlight says otherwise: as many as
// ten parallel memory sizes of num 25 start at once.
const DefaultMaxConcurrency = 256

// DefaultPollInterval is how often an update is polled near its expected
// completion: a settled update is noticed about 25 ms late on average.
const DefaultPollInterval = 50 * time.Millisecond

// DefaultPowerValues is used when neither the input nor the caller's Config
// names any power values.
var DefaultPowerValues = []int32{128, 256, 512, 1024, 1536, 3008}

// Input is one tuning run's request. JSON tags are the Terraform attribute
// names; a stored report carries its Input so imports reproduce it.
type Input struct {
	LambdaARN             string            `json:"lambda_arn"`
	Num                   int               `json:"num"`
	PowerValues           []int32           `json:"power_values,omitempty"`
	PowerValuesAll        bool              `json:"power_values_all,omitempty"`
	Payload               *string           `json:"payload,omitempty"` // JSON text; nil when unset
	PayloadS3             string            `json:"payload_s3,omitempty"`
	ParallelInvocation    bool              `json:"parallel_invocation,omitempty"`
	MaxConcurrency        int               `json:"max_concurrency,omitempty"` // invocations in flight across the run; 0: Config.MaxInFlight
	Strategy              analysis.Strategy `json:"strategy,omitempty"`        // "": cost
	BalancedWeight        *float64          `json:"balanced_weight,omitempty"` // nil: 0.5
	AutoOptimize          bool              `json:"auto_optimize,omitempty"`
	AutoOptimizeAlias     string            `json:"auto_optimize_alias,omitempty"`
	DryRun                bool              `json:"dry_run,omitempty"`
	PreProcessorARN       string            `json:"pre_processor_arn,omitempty"`
	PostProcessorARN      string            `json:"post_processor_arn,omitempty"`
	DiscardTopBottom      *float64          `json:"discard_top_bottom,omitempty"` // nil: 0.2
	SleepBetweenRunsMs    int               `json:"sleep_between_runs_ms,omitempty"`
	DisablePayloadLogs    bool              `json:"disable_payload_logs,omitempty"`
	IncludeOutputResults  bool              `json:"include_output_results,omitempty"`
	OnlyColdStarts        bool              `json:"only_cold_starts,omitempty"`
	AllowedExceptions     []string          `json:"allowed_exceptions,omitempty"`
	SkipFailedPowerValues bool              `json:"skip_failed_power_values,omitempty"`
	// Sampling is SamplingExhaustive ("" too) or SamplingAdaptive.
	Sampling          string   `json:"sampling,omitempty"`
	AdaptiveTolerance *float64 `json:"adaptive_tolerance,omitempty"` // nil: analysis.DefaultAdaptiveTolerance
	// AutoOptimizeAllowUnreleased lets auto_optimize_alias publish $LATEST
	// even when its code or configuration differs from the alias's version.
	AutoOptimizeAllowUnreleased bool     `json:"auto_optimize_allow_unreleased,omitempty"`
	Isolation                   string   `json:"isolation,omitempty"`     // "": IsolationNone
	Architectures               []string `json:"architectures,omitempty"` // copies only; nil: the function's
	// CopiesCodeS3URI (s3://bucket/prefix) stages a zip package above the
	// 50 MB CreateFunction takes inline; copies only, used only when needed.
	CopiesCodeS3URI string `json:"copies_code_s3_uri,omitempty"`
}

// InputError names the input (by its Terraform attribute name) that is wrong
// and says how to fix it. Validate returns these, joined with errors.Join.
type InputError struct {
	Attribute string
	Message   string
	Err       error // the cause, when there is one (such as analysis.ErrWeightedPayload)
}

func (e *InputError) Error() string { return e.Attribute + ": " + e.Message }

func (e *InputError) Unwrap() error { return e.Err }

// Config is everything the engine needs besides the Input.
type Config struct {
	Clients          Clients
	Prices           analysis.PriceTable // zero value: PRICING.md defaults
	PowerValues      []int32             // deployment default; nil: DefaultPowerValues
	VisualizationURL string              // "": DefaultVisualizationURL
	Clock            Clock               // nil: RealClock
	Seed             int64               // seeds jitter; 0: time-based
	Progress         func(Event)
	Observer         Observer // told each milestone of a run; nil: none
	// PollInterval is the wait between update-status polls near an
	// update's expected completion (twice that before a function's first
	// update is learned); past it, waits grow ×1.5 to MaxPollInterval.
	// Zero values: DefaultPollInterval and 2s.
	PollInterval    time.Duration
	MaxPollInterval time.Duration
	// Latencies is the update-latency model runs learn from and add to;
	// share one across Engines so that every run of a provider process
	// learns from the others. Nil: the Engine's own.
	Latencies *UpdateLatencies
	// ConflictTimeout bounds how long a 409 "update in progress" is waited
	// out. Zero: 5 minutes.
	ConflictTimeout time.Duration
	// CleanupTimeout bounds clean-up after the run's context ended. Zero: 2 minutes.
	CleanupTimeout time.Duration
	// MaxInFlight caps the invocations in flight across all power values of
	// one run when its Input sets no MaxConcurrency. Zero: DefaultMaxConcurrency.
	MaxInFlight int
	// ProviderVersion names the provider in the run record, so a waiting
	// run can say who holds the function.
	ProviderVersion string
	// LeaseDuration is how long a run's record stays live without a
	// heartbeat; a record older than that is an interrupted run's. The
	// heartbeat renews it every third of it. Zero: 2 minutes.
	LeaseDuration time.Duration
	// LockWait bounds how long a run waits for another live run on the
	// same function before failing with RunInProgressError. Zero: as long
	// as the run's context allows (the create timeout).
	LockWait time.Duration
	// LockPollInterval is how often a waiting run checks the other run's
	// record. Zero: 5 seconds, or a quarter of the lease if shorter.
	LockPollInterval time.Duration
	// HTTPClient downloads function packages (GetFunction's Code.Location)
	// for isolation = "copies". Nil: http.DefaultClient.
	HTTPClient *http.Client
	// InvocationBudget, when set, caps the invocations in flight across
	// every run that shares it (the provider's max_concurrent_invocations),
	// on top of each run's own cap.
	InvocationBudget *semaphore.Weighted
}

// Event is one progress report.
type Event struct {
	Phase   string // "resolve", "configure", "invoke", "analyze", "optimize", "cleanup"
	Power   int32  // 0 when the event is not about one power value
	Done    int
	Total   int
	Message string
}

// ReportKind marks a JSON document as one of our reports.
const ReportKind = "awspowertuning-report/v1"

// Report is the outcome of a run; it is also the JSON written to S3.
type Report struct {
	Kind               string  `json:"kind"`
	Input              Input   `json:"input"`
	FunctionARN        string  `json:"function_arn"`
	Region             string  `json:"region"`
	Architecture       string  `json:"architecture"`
	Currency           string  `json:"currency"`
	FunctionCodeSha256 string  `json:"function_code_sha256"`
	OptimalPower       int32   `json:"optimal_power"`
	OptimalCost        float64 `json:"optimal_cost"`
	OptimalDuration    float64 `json:"optimal_duration"`
	// BaselinePower is the memory size of $LATEST before the run; 0 in
	// reports written before it was recorded.
	BaselinePower int32 `json:"baseline_power,omitempty"`
	// OptimalRelativeCost and OptimalRelativeDuration are the optimum's
	// figures divided by the baseline's (0.96: 4 % cheaper); nil when the
	// baseline was not measured, failed, or no optimum was chosen.
	OptimalRelativeCost     *float64 `json:"optimal_relative_cost,omitempty"`
	OptimalRelativeDuration *float64 `json:"optimal_relative_duration,omitempty"`
	TuningCost              float64  `json:"tuning_cost"`
	// InvocationsSaved is how many fewer invocations adaptive sampling
	// made than exhaustive sampling would have (0 when exhaustive).
	InvocationsSaved int    `json:"invocations_saved,omitempty"`
	VisualizationURL string `json:"visualization_url"`
	// OptimalArchitecture is the optimum's architecture: the function's,
	// or with Input.Architectures the one the strategy chose.
	OptimalArchitecture string `json:"optimal_architecture,omitempty"`
	// VisualizationURLs has a chart per architecture with Input.Architectures.
	VisualizationURLs map[string]string      `json:"visualization_urls,omitempty"`
	Results           []analysis.PowerResult `json:"results"`
	Output            string                 `json:"output"` // upstream-shaped JSON text
	TunedAt           time.Time              `json:"tuned_at"`
	// HTMLReportURI is where the HTML page of this report was stored, if
	// anywhere, so that an import knows the run was asked for one.
	HTMLReportURI string `json:"html_report_s3_uri,omitempty"`
	// Recovery is what the run undid of an interrupted run first; nil when
	// there was none. Not stored.
	Recovery *Recovery `json:"-"`
	// Triggers are the caller's values that re-run the tuning when they
	// change, stored so that a run recreated from its report keeps them.
	Triggers map[string]string `json:"triggers,omitempty"`
	// PayloadSHA256 stands in for Input.Payload in a stored report when
	// Input.DisablePayloadLogs is set: the hex SHA-256 of the payload text.
	PayloadSHA256 string `json:"payload_sha256,omitempty"`
	// Warnings are what the user should act on though the run succeeded
	// (log groups of copies that could not be deleted). Not stored.
	Warnings []string `json:"-"`
}

// SDKClientSource hands out real SDK clients; awsclient.Clients is one.
type SDKClientSource interface {
	Lambda(region string) *lambda.Client
	S3() *s3.Client
	Logs(region string) *cloudwatchlogs.Client
	DefaultRegion() string
}

// FromSDK serves Clients from real SDK clients.
func FromSDK(src SDKClientSource) Clients { return sdkClients{src} }

type sdkClients struct{ src SDKClientSource }

func (c sdkClients) Lambda(region string) LambdaAPI { return c.src.Lambda(region) }
func (c sdkClients) S3() S3API                      { return c.src.S3() }
func (c sdkClients) Logs(region string) LogsAPI     { return c.src.Logs(region) }
func (c sdkClients) DefaultRegion() string          { return c.src.DefaultRegion() }
