// Package report is a run's outcome as people and other tools read it: the
// Report (also the JSON stored in S3), how it is built from the measured
// results, stored and read back, rendered as one HTML page, and the
// original tool's output shape. It knows nothing of how the results were
// measured: it imports analysis, spec, ledger, faults and awsapi (S3).
package report

import (
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Kind marks a JSON document as one of our reports.
const Kind = "awspowertuning-report/v1"

// Report is the outcome of a run; it is also the JSON written to S3.
type Report struct {
	Kind               string     `json:"kind"`
	Input              spec.Input `json:"input"`
	FunctionARN        string     `json:"function_arn"`
	Region             string     `json:"region"`
	Architecture       string     `json:"architecture"`
	Currency           string     `json:"currency"`
	FunctionCodeSha256 string     `json:"function_code_sha256"`
	OptimalPower       int32      `json:"optimal_power"`
	OptimalCost        float64    `json:"optimal_cost"`
	OptimalDuration    float64    `json:"optimal_duration"`
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
	// WithinNoise are the sizes the measurements cannot tell apart from the
	// optimum (results mark them too); nil in reports written before.
	WithinNoise []analysis.SizeKey `json:"within_noise,omitempty"`
	// InvokeMode is how every invocation was made and read: "buffered"
	// (Invoke) or "stream" (InvokeWithResponseStream); "" in reports
	// written before it was recorded.
	InvokeMode string `json:"invoke_mode,omitempty"`
	// Managed is the outcome of a tuning on Lambda Managed Instances
	// (Input.ManagedInstances); Results then holds the on-demand sizes
	// compared, if any.
	Managed *Managed `json:"managed_instances,omitempty"`
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
	Recovery *ledger.Recovery `json:"-"`
	// Triggers are the caller's values that re-run the tuning when they
	// change, stored so that a run recreated from its report keeps them.
	Triggers map[string]string `json:"triggers,omitempty"`
	// Timeouts is the run's timeouts block as configured (attribute name →
	// duration, "" for one left out of the block); nil without a block.
	// Stored so that a run recreated from its report plans no change.
	Timeouts map[string]string `json:"timeouts,omitempty"`
	// PayloadSHA256 stands in for Input.Payload in a stored report when
	// Input.PayloadHidden(): the hex SHA-256 of the payload text.
	PayloadSHA256 string `json:"payload_sha256,omitempty"`
	// Warnings are what the user should act on though the run succeeded
	// (log groups of copies that could not be deleted). Not stored.
	Warnings []string `json:"-"`
}

// Function is what a report says about the tuned function.
type Function struct {
	ARN          string // unqualified
	Region       string
	Architecture string
	CodeSha256   string
	Currency     string // of the prices in the function's Region
	MemorySize   int32  // of $LATEST: the baseline the optimum is compared with

	// TenantIsolation is the function's tenant isolation mode ("" without),
	// and CapacityProvider the capacity provider it runs on ("" on Lambda's
	// own fleet): kinds of function a way of running may have to refuse.
	TenantIsolation  string
	CapacityProvider string
}
