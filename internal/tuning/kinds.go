package tuning

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// The kinds of function that change how a run may invoke or price one:
// tenant isolation (every invocation names a tenant, and each tenant gets
// execution environments of its own), durable execution (Lambda invokes
// such a function only by a qualified ARN) and Lambda Managed Instances (a
// capacity provider's EC2 instances, billed per instance, not by the
// GB-second).

// tunedFunction stands for the tuned function and its copies in tenantFor.
const tunedFunction = ""

// checkKind refuses, from the function's read and before any change, a
// function no way of running can tune as asked, and learns whether its
// invocations carry a tenant.
func (r *run) checkKind(c *types.FunctionConfiguration) error {
	if c.CapacityProviderConfig != nil && r.managed == nil && !r.onLambdaFleet {
		// Only managed_instances measures what such a function costs; its
		// on-demand comparison runs on copies off the capacity provider.
		return &faults.ManagedInstancesError{Function: r.fn.ARN(), CapacityProvider: capacityProviderOf(c)}
	}
	mode := isolationMode(c.TenancyConfig)
	switch {
	case mode != "" && r.in.TenantID == "":
		return tenantRequired(r.fn.ARN(), "", mode)
	case mode != "":
		r.tenancy.tuned = true
	case r.in.TenantID != "":
		r.warn(fmt.Sprintf("%s: %s has no tenant isolation, and Lambda refuses a TenantId for such a function, so its "+
			"invocations name no tenant. Remove tenant_id unless a processor is tenant-isolated.", tenantIgnored, r.fn.ARN()))
	}
	return nil
}

// tenantIgnored starts the warning that tenant_id is not used for the
// function, so that callers can tell it from others.
const tenantIgnored = "tenant_id is ignored"

// tenantRequired refuses an isolated function (role "" for the tuned one)
// when tenant_id is not set: the attribute at fault is tenant_id.
func tenantRequired(function, role, mode string) error {
	fault := &faults.TenantRequiredError{Function: function, Role: role, Mode: mode}
	return &spec.InputError{Attribute: spec.AttrTenantID, Message: fault.Error(), Err: fault}
}

// tenantFor is the TenantId an invocation of fn carries (a processor's ARN,
// or tunedFunction): tenant_id when fn is tenant-isolated, else none.
func (r *run) tenantFor(fn string) *string {
	isolated := r.tenancy.tuned
	if fn != tunedFunction {
		isolated = r.tenancy.processors[fn]
	}
	if !isolated {
		return nil
	}
	return aws.String(r.in.TenantID)
}

// isolationMode is a function's tenant isolation mode; "" without one.
func isolationMode(tc *types.TenancyConfig) string {
	if tc == nil {
		return ""
	}
	return string(tc.TenantIsolationMode)
}

// capacityProviderOf is the ARN of the capacity provider the function runs
// on; "" on Lambda's own fleet.
func capacityProviderOf(c *types.FunctionConfiguration) string {
	if c.CapacityProviderConfig == nil || c.CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig == nil {
		return ""
	}
	return aws.ToString(c.CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig.CapacityProviderArn)
}

// durableUnqualified says why a durable processor named without a version
// or alias is refused: Lambda does not invoke a durable function by its
// bare ARN. The tuned function is always invoked by an alias or by a copy's
// version.
func durableUnqualified(role, arn string) string {
	return fmt.Sprintf("the %s %s is a durable function, which Lambda invokes only by a qualified ARN, so the run stopped before "+
		"changing anything: name one of its versions or aliases (%s:<version or alias>)", role, arn, arn)
}
