package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/stepfunctions"
)

const testStateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:powerTuning"

// onStateMachine is a valid run on a state machine plus overrides.
func onStateMachine(overrides map[string]tftypes.Value) map[string]tftypes.Value {
	values := validRun(map[string]tftypes.Value{"state_machine_arn": str(testStateMachine)})
	for k, v := range overrides {
		values[k] = v
	}
	return values
}

// The plan refuses what the state machine cannot honour with the very
// reasons stepfunctions.Unsupported gives, one error on each attribute.
func TestRunValidation_stateMachineRefusesWhatUnsupportedRefuses(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]tftypes.Value
		input  spec.Input // the same inputs, as the specification has them
	}{
		{"max_concurrency", onStateMachine(map[string]tftypes.Value{"max_concurrency": num(4)}),
			spec.Input{MaxConcurrency: 4}},
		{"skip_failed_power_values", onStateMachine(map[string]tftypes.Value{"skip_failed_power_values": boolean(true)}),
			spec.Input{SkipFailedPowerValues: true}},
		{"adaptive sampling", onStateMachine(map[string]tftypes.Value{"sampling": str(spec.SamplingAdaptive)}),
			spec.Input{Sampling: spec.SamplingAdaptive}},
		{"copies", onStateMachine(map[string]tftypes.Value{"isolation": str(spec.IsolationCopies)}),
			spec.Input{Isolation: spec.IsolationCopies}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := stepfunctions.Unsupported(tt.input)
			if len(want) != 1 {
				t.Fatalf("the specification refuses %d inputs, want 1: %+v", len(want), want)
			}
			errs := errorDiagnostics(validateRun(t, tt.config))
			if len(errs) != 1 {
				t.Fatalf("want exactly one error, got %d:%s", len(errs), describeDiagnostics(errs))
			}
			got := errs[0]
			if got.Attribute == nil || !got.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(want[0].Attribute)) {
				t.Errorf("error is on %v, want %s", got.Attribute, want[0].Attribute)
			}
			if got.Summary != "Argument Not Supported With State Machine" {
				t.Errorf("summary = %q", got.Summary)
			}
			if got.Detail != want[0].Reason {
				t.Errorf("detail = %q, want the refusal's reason %q", got.Detail, want[0].Reason)
			}
		})
	}
}

// Values not known at plan time refuse nothing yet: the run checks them
// again when they are known.
func TestRunValidation_stateMachineUnknownValues(t *testing.T) {
	quiet := map[string]map[string]tftypes.Value{
		"unknown max_concurrency":          onStateMachine(map[string]tftypes.Value{"max_concurrency": unknown(tftypes.Number)}),
		"unknown skip_failed_power_values": onStateMachine(map[string]tftypes.Value{"skip_failed_power_values": unknown(tftypes.Bool)}),
		"unknown sampling":                 onStateMachine(map[string]tftypes.Value{"sampling": unknown(tftypes.String)}),
		"unknown isolation":                onStateMachine(map[string]tftypes.Value{"isolation": unknown(tftypes.String)}),
		"a power value not known yet": onStateMachine(map[string]tftypes.Value{
			"power_values": tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, []tftypes.Value{unknown(tftypes.Number), num(1024)}),
		}),
	}
	for name, config := range quiet {
		t.Run(name, func(t *testing.T) {
			if errs := errorDiagnostics(validateRun(t, config)); len(errs) > 0 {
				t.Fatalf("want no error, got:%s", describeDiagnostics(errs))
			}
		})
	}

	t.Run("a known refusal beside an unknown list", func(t *testing.T) {
		errs := errorDiagnostics(validateRun(t, onStateMachine(map[string]tftypes.Value{
			"max_concurrency": num(4),
			"power_values":    tftypes.NewValue(tftypes.List{ElementType: tftypes.Number}, []tftypes.Value{unknown(tftypes.Number)}),
		})))
		if len(errs) != 1 || errs[0].Summary != "Argument Not Supported With State Machine" {
			t.Fatalf("want one refusal of max_concurrency, got:%s", describeDiagnostics(errs))
		}
	})

	// A state machine ARN not known yet is almost always one created in the
	// same apply: its refusals are worth showing at plan time.
	t.Run("unknown state_machine_arn", func(t *testing.T) {
		errs := errorDiagnostics(validateRun(t, onStateMachine(map[string]tftypes.Value{
			"state_machine_arn": unknown(tftypes.String), "max_concurrency": num(4),
		})))
		if len(errs) != 1 || errs[0].Summary != "Argument Not Supported With State Machine" {
			t.Fatalf("want one refusal of max_concurrency, got:%s", describeDiagnostics(errs))
		}
	})

	t.Run("no state machine", func(t *testing.T) {
		if errs := errorDiagnostics(validateRun(t, validRun(map[string]tftypes.Value{"max_concurrency": num(4)}))); len(errs) > 0 {
			t.Fatalf("want no error, got:%s", describeDiagnostics(errs))
		}
	})
}
