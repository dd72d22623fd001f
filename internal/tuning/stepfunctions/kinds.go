package stepfunctions

import (
	"fmt"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// refuseKind refuses, before an execution starts, a function the original
// tool would reconfigure and then fail to tune: one on a capacity provider,
// whose memory it would tune and price by the GB-second, and a
// tenant-isolated one, which it invokes without a tenant.
func refuseKind(fn report.Function) error {
	switch {
	case fn.CapacityProvider != "":
		return &faults.ManagedInstancesError{Function: fn.ARN, CapacityProvider: fn.CapacityProvider}
	case fn.TenantIsolation != "":
		return &TenantIsolatedError{Function: fn.ARN, Mode: fn.TenantIsolation}
	}
	return nil
}

// TenantIsolatedError: the function has tenant isolation, and AWS Lambda
// Power Tuning's state machine invokes it without a tenant, which Lambda
// refuses, once its initializer has published versions and aliases.
type TenantIsolatedError struct {
	Function string
	Mode     string // TenancyConfig.TenantIsolationMode
}

func (e *TenantIsolatedError) Error() string {
	return fmt.Sprintf("%s has tenant isolation (mode %s), and AWS Lambda Power Tuning's state machine invokes it without a tenant, "+
		"which Lambda refuses; no execution was started. Remove state_machine_arn and set tenant_id to tune it in the provider",
		e.Function, e.Mode)
}
