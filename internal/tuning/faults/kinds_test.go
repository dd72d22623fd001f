package faults

import (
	"strings"
	"testing"
)

func TestKindFaultsSayWhatStoppedTheRunAndWhatToDo(t *testing.T) {
	fn := "arn:aws:lambda:us-east-1:123456789012:function:f"
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"tenant isolation", &TenantRequiredError{Function: fn, Mode: "PER_TENANT"},
			[]string{fn + " has tenant isolation (mode PER_TENANT)", "nothing was changed", "Set tenant_id to the tenant the run should invoke as"}},
		{"a processor's tenant isolation", &TenantRequiredError{Function: fn, Role: "post-processor", Mode: "PER_TENANT"},
			[]string{"the post-processor " + fn + " has tenant isolation", "tenant_id"}},
		{"a capacity provider", &ManagedInstancesError{Function: fn, CapacityProvider: "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet"},
			[]string{fn + " runs on the capacity provider arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet", "nothing was changed",
				"GB-second pricing and per-size memory tuning do not apply", "15 % management fee", "$0.20 per million requests",
				`set managed_instances (with isolation = "copies")`}},
		{"no price", &UnpricedRegionError{Region: "eusc-de-east-1", Architecture: "arm64"},
			[]string{"no Lambda price is known for arm64 in eusc-de-east-1", "nothing was changed", "lambda_prices",
				`region = "eusc-de-east-1" and architecture = "arm64"`}},
	}
	for _, tt := range tests {
		got := tt.err.Error()
		for _, want := range tt.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q does not say %q", tt.name, got, want)
			}
		}
	}
}
