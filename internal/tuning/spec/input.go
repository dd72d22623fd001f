// Package spec is the specification of a tuning run's input: the Input
// itself, its defaults and limits, the grammar of function ARNs and S3
// locations, and Validate, which names the attribute at fault and says how
// to fix it. The provider builds its plan-time validators from what is
// exported here, so a limit or a pattern is written once. Pure: it imports
// no AWS SDK package and does no I/O.
package spec

import (
	"slices"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// Isolation values: tune the function itself, or temporary copies of it.
const (
	IsolationNone   = "none"
	IsolationCopies = "copies"
)

// What auto_optimize_alias_routing does to an alias's weighted routing.
const (
	AliasRoutingKeep  = "keep"  // move the alias's version, keep the other versions' weights
	AliasRoutingClear = "clear" // move the alias's version and send it all traffic
)

// How invocations are made and read: InvokeModeAuto buffers unless the
// function's response is over the 6 MB a buffered Invoke returns, then
// streams (Report.InvokeMode says which was used).
const (
	InvokeModeAuto     = "auto"
	InvokeModeBuffered = "buffered"
	InvokeModeStream   = "stream"
)

// Sampling modes.
const (
	SamplingExhaustive = "exhaustive"
	SamplingAdaptive   = "adaptive"
)

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
	MaxConcurrency        int               `json:"max_concurrency,omitempty"` // invocations in flight across the run; 0: DefaultMaxConcurrency
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
	// TieBreaker chooses among the sizes the measurements cannot tell
	// apart from the optimum (analysis.TieRules); "" or "none" keeps the
	// strategy's optimum, the original tool's choice.
	TieBreaker string `json:"tie_breaker,omitempty"`
	// Sampling is SamplingExhaustive ("" too) or SamplingAdaptive.
	Sampling          string   `json:"sampling,omitempty"`
	AdaptiveTolerance *float64 `json:"adaptive_tolerance,omitempty"` // nil: analysis.DefaultAdaptiveTolerance
	// AutoOptimizeAllowUnreleased lets auto_optimize_alias publish $LATEST
	// even when its code or configuration differs from the alias's version.
	AutoOptimizeAllowUnreleased bool `json:"auto_optimize_allow_unreleased,omitempty"`
	// AutoOptimizeAliasRouting says what becomes of an alias's weighted
	// routing (a canary) when the optimum moves it: AliasRoutingKeep or
	// AliasRoutingClear; "" refuses to move a weighted alias.
	AutoOptimizeAliasRouting string   `json:"auto_optimize_alias_routing,omitempty"`
	Isolation                string   `json:"isolation,omitempty"`     // "": IsolationNone
	Architectures            []string `json:"architectures,omitempty"` // copies only; nil: the function's
	// CopiesCodeS3URI (s3://bucket/prefix) stages a zip package above the
	// 50 MB CreateFunction takes inline; copies only, used only when needed.
	CopiesCodeS3URI string `json:"copies_code_s3_uri,omitempty"`
	// TenantID is the tenant every invocation of a tenant-isolated function
	// runs as (its processors' too, when they are tenant-isolated).
	TenantID string `json:"tenant_id,omitempty"`
	// InvokeMode is InvokeModeAuto ("" too), InvokeModeBuffered or
	// InvokeModeStream (InvokeWithResponseStream).
	InvokeMode string `json:"invoke_mode,omitempty"`
	// PayloadPlaceholders replaces ${index} (the invocation's number within
	// its memory size, from 0) and ${power} (the memory size) in the
	// payload's string values, after weighting.
	PayloadPlaceholders bool `json:"payload_placeholders,omitempty"`
	// PayloadWriteOnly says Payload came from payload_wo, a value Terraform
	// never stores: payloads carry tokens. Errors then show no request
	// body, a stored report keeps only the payload's SHA-256, and input
	// errors name payload_wo. The report stores no payload, only its hash.
	PayloadWriteOnly bool `json:"-"`
	// PayloadWriteOnlyVersion is payload_wo_version, the number a user
	// changes to say the write-only payload changed; a stored report keeps
	// it so an import plans no change.
	PayloadWriteOnlyVersion int64 `json:"payload_wo_version,omitempty"`
	// ManagedInstances tunes the function for Lambda Managed Instances,
	// under load, instead of per invocation; nil: an ordinary tuning.
	ManagedInstances *ManagedInstances `json:"managed_instances,omitempty"`
}

// payloadAttribute is the attribute Payload came from.
func (in Input) payloadAttribute() string {
	if in.PayloadWriteOnly {
		return AttrPayloadWO
	}
	return AttrPayload
}

// PayloadHidden says whether the payload must stay out of logs, errors and
// stored reports.
func (in Input) PayloadHidden() bool { return in.DisablePayloadLogs || in.PayloadWriteOnly }

// InputError names the input (by its Terraform attribute name) that is wrong
// and says how to fix it. Validate returns these, joined with errors.Join.
type InputError struct {
	Attribute string
	Message   string
	Err       error // the cause, when there is one (such as analysis.ErrWeightedPayload)
}

func (e *InputError) Error() string { return e.Attribute + ": " + e.Message }

func (e *InputError) Unwrap() error { return e.Err }

// Analysis is how the run's measurements are judged, defaults applied.
type Analysis struct {
	Strategy  analysis.Strategy
	Weight    float64 // balanced_weight
	Discard   float64 // discard_top_bottom; 0 with only cold starts
	Tolerance float64 // adaptive_tolerance
}

// Analysis is in's strategy, weights and trimming with their defaults.
func (in Input) Analysis() Analysis {
	a := Analysis{Strategy: in.Strategy, Weight: analysis.DefaultBalancedWeight,
		Discard: analysis.DefaultDiscardTopBottom, Tolerance: analysis.DefaultAdaptiveTolerance}
	if a.Strategy == "" {
		a.Strategy = analysis.StrategyCost
	}
	if in.BalancedWeight != nil {
		a.Weight = *in.BalancedWeight
	}
	if in.DiscardTopBottom != nil {
		a.Discard = *in.DiscardTopBottom
	}
	if in.OnlyColdStarts {
		a.Discard = 0 // every sample is a cold start: none is an outlier
	}
	if in.AdaptiveTolerance != nil {
		a.Tolerance = *in.AdaptiveTolerance
	}
	return a
}

// InvocationsPerSize is how many invocations each memory size gets at most:
// num, or one in a dry run.
func (in Input) InvocationsPerSize() int {
	if in.DryRun {
		return 1
	}
	return in.Num
}

// AppliesOptimum says the run changes the function at its end
// (auto_optimize, unless in a dry run, which chooses nothing).
func (in Input) AppliesOptimum() bool { return in.AutoOptimize && !in.DryRun }

// AppliesToAlias: with auto_optimize_alias the optimum is published as a
// version the alias points to, after clean-up.
func (in Input) AppliesToAlias() bool { return in.AppliesOptimum() && in.AutoOptimizeAlias != "" }

// AppliesToLatest: without an alias $LATEST is left at the optimum, which
// clean-up sets instead of the original memory.
func (in Input) AppliesToLatest() bool { return in.AppliesOptimum() && in.AutoOptimizeAlias == "" }

// Concurrency is the cap on the run's invocations in flight across all its
// memory sizes: max_concurrency, else DefaultMaxConcurrency.
func (in Input) Concurrency() int {
	if in.MaxConcurrency > 0 {
		return in.MaxConcurrency
	}
	return DefaultMaxConcurrency
}

// ResolvePowerValues returns the power values a run uses, ascending and
// without duplicates: the input's, all of 128..3008 step 64 when
// PowerValuesAll, or the deployment default (DefaultPowerValues when that
// is empty). The result is always a fresh slice.
func ResolvePowerValues(in Input, deploymentDefault []int32) []int32 {
	var values []int32
	switch {
	case len(in.PowerValues) > 0:
		values = slices.Clone(in.PowerValues)
	case in.PowerValuesAll:
		for p := int32(MinPower); p <= AllPowerValuesMax; p += AllPowerValuesStep {
			values = append(values, p)
		}
	case len(deploymentDefault) > 0:
		values = slices.Clone(deploymentDefault)
	default:
		values = slices.Clone(DefaultPowerValues)
	}
	slices.Sort(values)
	return slices.Compact(values)
}
