package stepfunctions

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func TestRun_refusesKindsOfFunctionTheStateMachineCannotTuneBeforeStarting(t *testing.T) {
	fleet := "arn:aws:lambda:eu-west-1:123456789012:capacity-provider:fleet"
	for _, tt := range []struct {
		name  string
		setup func(*Request)
		check func(error) bool
	}{
		{"on a capacity provider", func(r *Request) { r.Function.CapacityProvider = fleet },
			func(err error) bool {
				var mi *faults.ManagedInstancesError
				return errors.As(err, &mi) && mi.CapacityProvider == fleet && strings.Contains(err.Error(), "Lambda Managed Instances")
			}},
		{"tenant-isolated", func(r *Request) { r.Function.TenantIsolation = "PER_TENANT" },
			func(err error) bool {
				var ti *TenantIsolatedError
				return errors.As(err, &ti) && strings.Contains(err.Error(), "Remove state_machine_arn and set tenant_id")
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeSFN()
			cfg, _, _ := testConfig()
			req := testRequest()
			tt.setup(&req)
			_, err := Run(context.Background(), api, cfg, req)
			if !tt.check(err) {
				t.Fatalf("error = %v, want the kind's refusal", err)
			}
			if len(api.starts) != 0 || api.describes != 0 {
				t.Errorf("%d StartExecution and %d DescribeExecution calls, want none", len(api.starts), api.describes)
			}
		})
	}
}

func TestUnsupported_tenantID(t *testing.T) {
	refused := Unsupported(spec.Input{Num: 5, TenantID: "tenant-42"})
	if len(refused) != 1 || refused[0].Attribute != spec.AttrTenantID || !strings.Contains(refused[0].Reason, "without a tenant") {
		t.Errorf("Unsupported = %+v, want tenant_id refused", refused)
	}
}

func TestUnsupported_managedInstances(t *testing.T) {
	refused := Unsupported(spec.Input{Num: 5, ManagedInstances: &spec.ManagedInstances{MemoryPerVCPU: []float64{2}, MaxConcurrencyPerEnvironment: []int{8}}})
	if len(refused) != 1 || refused[0].Attribute != spec.AttrManagedInstances || !strings.Contains(refused[0].Reason, "Remove state_machine_arn") {
		t.Errorf("Unsupported = %+v, want managed_instances refused", refused)
	}
}
