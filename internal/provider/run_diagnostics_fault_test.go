package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Apply-time failures point at the argument at fault and give advice that
// is true of the error.
func TestRunErrorDiagnostics_attributeAtFault(t *testing.T) {
	quota := &smithy.GenericAPIError{Code: "InvalidParameterValueException", Message: "'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to 3008"}
	tests := []struct {
		name      string
		err       error
		attribute string // "" for none
		details   []string
		absent    []string
	}{
		{
			name:      "memory size the account quota refuses",
			err:       &faults.StepError{Operation: "UpdateFunctionConfiguration", Function: testFunction, Power: 4096, Err: quota},
			attribute: "power_values",
			details:   []string{"memory quota", "skip_failed_power_values = true", "Power value: 4096 MB"},
		},
		{
			name:      "failed update",
			err:       &faults.StepError{Operation: "UpdateFunctionConfiguration", Function: testFunction, Power: 4096, Err: faults.ErrUpdateFailed},
			attribute: "power_values",
			details:   []string{"skip_failed_power_values = true"},
		},
		{
			name: "post-processor failure",
			err: &faults.StepError{Operation: "Invoke", Function: testFunction, Power: 256,
				Err: &faults.FunctionError{Source: "post-processor", ErrorType: "Boom"}},
			attribute: "post_processor_arn",
			details:   []string{"failed with Boom"},
		},
		{
			name:      "missing payload_s3 object",
			err:       &faults.StepError{Operation: "GetObject", Function: testFunction, Err: fmt.Errorf("%w: s3://b/k", faults.ErrPayloadNotFound)},
			attribute: "payload_s3",
			details:   []string{"payload_s3 object does not exist"},
		},
		{
			name: "weighted payload_s3 body that cannot be laid out",
			err: &spec.InputError{Attribute: "payload_s3", Message: "invalid weighted payload: payload entry 0 has weight 0",
				Err: analysis.ErrWeightedPayload},
			attribute: "payload_s3",
			details:   []string{"payload_s3: invalid weighted payload", "Nothing was invoked or changed"},
		},
		{
			name: "function error with only the header (moto in Docker)",
			err: &faults.StepError{Operation: "Invoke", Function: testFunction, Power: 128,
				Err: &faults.FunctionError{Source: "RAM128", Header: "Handled"}},
			details: []string{"names no errorType", "cannot allow it"},
			absent:  []string{`list "Handled"`, `"Handled" in allowed_exceptions`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := runErrorDiagnostics(tt.err, testFunction, time.Minute)
			if len(diags) == 0 {
				t.Fatal("no diagnostics")
			}
			first := diags[0]
			t.Logf("%s: %s", first.Summary(), first.Detail())
			withPath, hasPath := first.(diag.DiagnosticWithPath)
			switch {
			case tt.attribute == "" && hasPath && !withPath.Path().Equal(path.Empty()):
				t.Errorf("error is on %s, want the resource", withPath.Path())
			case tt.attribute != "" && (!hasPath || !withPath.Path().Equal(path.Root(tt.attribute))):
				t.Errorf("error is not on %s", tt.attribute)
			}
			assertInOrder(t, first.Detail(), tt.details)
			for _, s := range tt.absent {
				if strings.Contains(first.Detail(), s) {
					t.Errorf("detail says %q:\n%s", s, first.Detail())
				}
			}
		})
	}
	if got := (&faults.FunctionError{Header: "Unhandled"}).Error(); !strings.Contains(got, "unknown error type (X-Amz-Function-Error: Unhandled)") {
		t.Errorf("FunctionError.Error() = %q, want the header shown as a header", got)
	}
	if errors.Unwrap(&spec.InputError{Err: analysis.ErrWeightedPayload}) != analysis.ErrWeightedPayload {
		t.Error("InputError does not unwrap to its cause")
	}
}
