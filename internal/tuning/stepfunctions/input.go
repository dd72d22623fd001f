package stepfunctions

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// ExecutionInput is the execution input of AWS Lambda Power Tuning's state
// machine, with its names. Unset values are left out so the deployment's
// defaults apply.
type ExecutionInput struct {
	LambdaARN            string          `json:"lambdaARN"`
	Num                  int             `json:"num"`
	PowerValues          any             `json:"powerValues,omitempty"` // []int32, or "ALL"
	Payload              json.RawMessage `json:"payload,omitempty"`
	PayloadS3            string          `json:"payloadS3,omitempty"`
	ParallelInvocation   bool            `json:"parallelInvocation,omitempty"`
	Strategy             string          `json:"strategy,omitempty"`
	BalancedWeight       *float64        `json:"balancedWeight,omitempty"`
	AutoOptimize         bool            `json:"autoOptimize,omitempty"`
	AutoOptimizeAlias    string          `json:"autoOptimizeAlias,omitempty"`
	DryRun               bool            `json:"dryRun,omitempty"`
	PreProcessorARN      string          `json:"preProcessorARN,omitempty"`
	PostProcessorARN     string          `json:"postProcessorARN,omitempty"`
	DiscardTopBottom     *float64        `json:"discardTopBottom,omitempty"`
	SleepBetweenRunsMs   int             `json:"sleepBetweenRunsMs,omitempty"`
	DisablePayloadLogs   bool            `json:"disablePayloadLogs,omitempty"`
	IncludeOutputResults bool            `json:"includeOutputResults"`
	OnlyColdStarts       bool            `json:"onlyColdStarts,omitempty"`
	AllowedExceptions    []string        `json:"allowedExceptions,omitempty"`
}

// Unsupported lists the inputs (by attribute name) that the original tool
// has no equivalent for, with why and what to do instead; a run on the
// state machine refuses them, at plan time already.
func Unsupported(in spec.Input) []Refusal {
	var refused []Refusal
	if in.MaxConcurrency != 0 {
		refused = append(refused, Refusal{spec.AttrMaxConcurrency, "max_concurrency has no equivalent in AWS Lambda Power Tuning's state machine, which runs all num " +
			"invocations of a memory size at once with parallel_invocation. Remove max_concurrency, or remove state_machine_arn to tune in the provider."})
	}
	if in.SkipFailedPowerValues {
		refused = append(refused, Refusal{spec.AttrSkipFailed, "skip_failed_power_values has no equivalent in AWS Lambda Power Tuning's state machine: a memory size " +
			"that fails ends its execution. Use allowed_exceptions for error types that should not fail a run, remove skip_failed_power_values, " +
			"or remove state_machine_arn to tune in the provider."})
	}
	if in.Sampling == spec.SamplingAdaptive {
		refused = append(refused, Refusal{spec.AttrSampling, "sampling = \"adaptive\" has no equivalent in AWS Lambda Power Tuning's state machine, which always " +
			"invokes every memory size num times. Remove sampling (or set it to \"exhaustive\"), or remove state_machine_arn to tune in the provider."})
	}
	if in.AutoOptimizeAliasRouting != "" {
		refused = append(refused, Refusal{spec.AttrAliasRouting, "auto_optimize_alias_routing has no equivalent in AWS Lambda Power Tuning's state machine, " +
			"which moves the alias as it is. Remove auto_optimize_alias_routing (and check that the alias has no weighted routing), or remove " +
			"state_machine_arn to tune in the provider, which refuses a weighted alias unless you say what becomes of its routing."})
	}
	if in.TenantID != "" {
		refused = append(refused, Refusal{spec.AttrTenantID, "tenant_id has no equivalent in AWS Lambda Power Tuning's state machine, which invokes " +
			"the function without a tenant, as Lambda refuses for a tenant-isolated function. Remove tenant_id, or remove state_machine_arn " +
			"to tune a tenant-isolated function in the provider."})
	}
	if in.Isolation == spec.IsolationCopies {
		refused = append(refused, Refusal{spec.AttrIsolation, "isolation = \"copies\" has no equivalent in AWS Lambda Power Tuning's state machine, which always tunes " +
			"the function itself. Remove isolation (or set it to \"none\"), or remove state_machine_arn to tune copies in the provider."})
	}
	if in.ManagedInstances != nil {
		refused = append(refused, Refusal{spec.AttrManagedInstances, "managed_instances has no equivalent in AWS Lambda Power Tuning's state machine, " +
			"which measures single invocations, not a held concurrent load, and prices by the GB-second. Remove state_machine_arn to tune " +
			"on Lambda Managed Instances in the provider."})
	}
	return refused
}

// Refusal is an input a state machine run cannot honour.
type Refusal struct {
	Attribute string
	Reason    string // what it means there and how to fix it
}

// NewExecutionInput translates a run's input for the state machine.
// functionARN is lambda_arn resolved to the full unqualified ARN (the tool
// splits it on ":" and fails on anything else); defaultPowers are the
// provider's default_power_values (nil: the deployment's own default).
// includeOutputResults is always asked for: without stats there are no results.
func NewExecutionInput(in spec.Input, functionARN string, defaultPowers []int32) (ExecutionInput, error) {
	x := ExecutionInput{
		LambdaARN:            functionARN,
		Num:                  in.Num,
		PayloadS3:            in.PayloadS3,
		ParallelInvocation:   in.ParallelInvocation,
		Strategy:             string(in.Strategy),
		BalancedWeight:       in.BalancedWeight,
		AutoOptimize:         in.AutoOptimize,
		AutoOptimizeAlias:    in.AutoOptimizeAlias,
		DryRun:               in.DryRun,
		PreProcessorARN:      in.PreProcessorARN,
		PostProcessorARN:     in.PostProcessorARN,
		DiscardTopBottom:     in.DiscardTopBottom,
		SleepBetweenRunsMs:   in.SleepBetweenRunsMs,
		DisablePayloadLogs:   in.PayloadHidden(),
		IncludeOutputResults: true,
		OnlyColdStarts:       in.OnlyColdStarts,
		AllowedExceptions:    in.AllowedExceptions,
	}
	switch {
	case in.PowerValuesAll:
		x.PowerValues = "ALL"
	case len(in.PowerValues) > 0:
		x.PowerValues = in.PowerValues
	case len(defaultPowers) > 0:
		x.PowerValues = defaultPowers
	}
	if in.Payload != nil {
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(*in.Payload)); err != nil {
			return ExecutionInput{}, fmt.Errorf("payload is not JSON: %w", err)
		}
		x.Payload = compact.Bytes()
	}
	return x, nil
}

// JSON is the execution input as sent: the same inputs always give the same text.
func (x ExecutionInput) JSON() string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(x) // plain values only: cannot fail
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// namePrefix starts every execution name this provider gives.
const namePrefix = "awspowertuning-"

// digest identifies one set of inputs: the execution input and the triggers.
func digest(input string, triggers map[string]string) string {
	h := sha256.New()
	h.Write([]byte(input))
	for _, k := range slices.Sorted(maps.Keys(triggers)) {
		fmt.Fprintf(h, "\x00%s\x00%s", k, triggers[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// executionName is the seq-th name for one set of inputs (at most 80
// characters, as Step Functions requires).
func executionName(digest string, seq int) string {
	return fmt.Sprintf("%s%s-%d", namePrefix, digest, seq)
}
