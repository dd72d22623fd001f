package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// kindDiagnostic explains a run refused, before any change, for the kind of
// function or the place it is in: tenant isolation without tenant_id, Lambda
// Managed Instances, a Region without a price; and a tuning on Lambda Managed
// Instances that its capacity provider cannot take, or whose settings all
// missed the latency goal.
func kindDiagnostic(err error, function string) (diag.Diagnostic, bool) {
	var tenant *faults.TenantRequiredError
	var managed *faults.ManagedInstancesError
	var unpriced *faults.UnpricedRegionError
	var notActive *faults.CapacityProviderNotActiveError
	var missedGoal *faults.LatencyGoalError
	switch {
	case errors.As(err, &notActive):
		return diag.NewAttributeErrorDiagnostic(attributePath(spec.AttrManagedProvider), "Capacity Provider Not Active",
			fmt.Sprintf("%s.\n\nFunction: %s\nCapacity provider: %s\nState: %s", notActive.Error(), function, notActive.CapacityProvider, notActive.State)), true
	case errors.As(err, &missedGoal):
		return diag.NewAttributeErrorDiagnostic(attributePath(spec.AttrManagedLatencyGoal), "No Setting Met The Latency Goal",
			fmt.Sprintf("Every setting was measured on copies, now deleted, and nothing was changed on the function: %s.\n\nFunction: %s",
				missedGoal.Error(), function)), true
	case errors.As(err, &tenant):
		return diag.NewAttributeErrorDiagnostic(path.Root(spec.AttrTenantID), "Tenant ID Required",
			fmt.Sprintf("%s.\n\nFunction: %s\nTenant isolation: %s", tenant.Error(), tenant.Function, tenant.Mode)), true
	case errors.As(err, &managed):
		return diag.NewAttributeErrorDiagnostic(path.Root(spec.AttrLambdaARN), "Function Runs On Lambda Managed Instances",
			fmt.Sprintf("%s.\n\nFunction: %s\nCapacity provider: %s", managed.Error(), function, managed.CapacityProvider)), true
	case errors.As(err, &unpriced):
		return diag.NewErrorDiagnostic("No Lambda Price For Region",
			fmt.Sprintf("%s.\n\nFunction: %s\nRegion: %s\nArchitecture: %s", unpriced.Error(), function, unpriced.Region, unpriced.Architecture)), true
	}
	return nil, false
}
