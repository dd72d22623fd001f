package spec

// Limits of the inputs, from Lambda's API and the original tool. The
// provider's schema validators are built from these.
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
	// AllPowerValuesMax and AllPowerValuesStep are power_values_all's range
	// (the original tool's "ALL"): 128 to 3008 MB in steps of 64.
	AllPowerValuesMax  = 3008
	AllPowerValuesStep = 64
	// MaxDiscardTopBottom leaves at least a fifth of the invocations in the
	// averages.
	MaxDiscardTopBottom = 0.4
	// MaxSleepBetweenRunsMs is an hour: a longer pause between invocations
	// would keep an apply waiting for days.
	MaxSleepBetweenRunsMs = 3_600_000
	// MaxAdaptiveTolerance keeps "practically equal" meaningful: beyond it
	// adaptive sampling would stop on nearly any two power values.
	MaxAdaptiveTolerance = 0.5
	// MaxAliasNameLength is Lambda's limit on an alias name.
	MaxAliasNameLength = 128
	// DefaultMaxConcurrency caps the invocations in flight across one run
	// when max_concurrency says nothing: as many as ten parallel memory
	// sizes of num 25 start at once.
	DefaultMaxConcurrency = 256
	// MaxTenantIDLength is the longest tenant identifier Lambda takes.
	MaxTenantIDLength = 256
)

// DefaultPowerValues is used when neither the input nor the deployment
// names any power values.
var DefaultPowerValues = []int32{128, 256, 512, 1024, 1536, 3008}

// Attribute names as Terraform users write them (the json tags of Input).
const (
	AttrLambdaARN           = "lambda_arn"
	AttrNum                 = "num"
	AttrPowerValues         = "power_values"
	AttrPowerValuesAll      = "power_values_all"
	AttrPayload             = "payload"
	AttrPayloadS3           = "payload_s3"
	AttrPayloadWO           = "payload_wo"
	AttrPayloadWOVersion    = "payload_wo_version"
	AttrParallelInvocation  = "parallel_invocation"
	AttrMaxConcurrency      = "max_concurrency"
	AttrStrategy            = "strategy"
	AttrBalancedWeight      = "balanced_weight"
	AttrAutoOptimize        = "auto_optimize"
	AttrAutoOptimizeAlias   = "auto_optimize_alias"
	AttrAllowUnreleased     = "auto_optimize_allow_unreleased"
	AttrAliasRouting        = "auto_optimize_alias_routing"
	AttrDryRun              = "dry_run"
	AttrPreProcessorARN     = "pre_processor_arn"
	AttrPostProcessorARN    = "post_processor_arn"
	AttrDiscardTopBottom    = "discard_top_bottom"
	AttrSleepBetweenRunsMs  = "sleep_between_runs_ms"
	AttrDisablePayloadLogs  = "disable_payload_logs"
	AttrIncludeOutput       = "include_output_results"
	AttrAllowedExceptions   = "allowed_exceptions"
	AttrOnlyColdStarts      = "only_cold_starts"
	AttrSkipFailed          = "skip_failed_power_values"
	AttrSampling            = "sampling"
	AttrTieBreaker          = "tie_breaker"
	AttrAdaptiveTolerance   = "adaptive_tolerance"
	AttrIsolation           = "isolation"
	AttrArchitectures       = "architectures"
	AttrCopiesCodeS3URI     = "copies_code_s3_uri"
	AttrTenantID            = "tenant_id"
	AttrInvokeMode          = "invoke_mode"
	AttrPayloadPlaceholders = "payload_placeholders"
)
