package faults

import "fmt"

// Faults of the function's kind or place, found before any change: what a
// run cannot invoke, measure or price as it was asked to.

// TenantRequiredError: the function (or a processor) has tenant isolation,
// so Lambda refuses every invocation that names no tenant, and tenant_id is
// not set.
type TenantRequiredError struct {
	Function string
	Role     string // "" for the tuned function, "pre-processor" or "post-processor"
	Mode     string // TenancyConfig.TenantIsolationMode, e.g. "PER_TENANT"
}

func (e *TenantRequiredError) Error() string {
	what := e.Function
	if e.Role != "" {
		what = "the " + e.Role + " " + e.Function
	}
	return fmt.Sprintf("%s has tenant isolation (mode %s): Lambda refuses every invocation of it that names no tenant, "+
		"and each tenant runs in execution environments of its own, so nothing was changed. Set tenant_id to the tenant "+
		"the run should invoke as", what, e.Mode)
}

// ManagedInstancesError: the function runs on Lambda Managed Instances (a
// capacity provider), which neither bill by GB-second nor size by memory
// alone, so tuning its memory size would measure and price the wrong thing.
type ManagedInstancesError struct {
	Function         string
	CapacityProvider string // its capacity provider's ARN
}

func (e *ManagedInstancesError) Error() string {
	return fmt.Sprintf("%s runs on the capacity provider %s (Lambda Managed Instances), so nothing was changed: GB-second pricing "+
		"and per-size memory tuning do not apply to functions on a capacity provider, which are billed per instance "+
		"(the EC2 price of its instances plus a 15 %% management fee) and $0.20 per million requests, and whose execution "+
		"environments serve many invocations at once. To tune it for Lambda Managed Instances, set managed_instances (with isolation = \"copies\"): "+
		"each setting is then measured under a held load on a temporary copy on the capacity provider",
		e.Function, e.CapacityProvider)
}

// UnpricedRegionError: no Lambda price is known for an architecture in the
// function's Region, so the run's costs, and a cost optimum, would be
// another Region's.
type UnpricedRegionError struct {
	Region       string
	Architecture string
}

func (e *UnpricedRegionError) Error() string {
	return fmt.Sprintf("no Lambda price is known for %s in %s, so nothing was changed: the built-in prices cover the commercial "+
		"and China Regions this provider knows, not GovCloud, the European Sovereign Cloud, the ISO Regions or Regions newer "+
		"than it. Set lambda_prices in the provider block (the provider's price overrides, by Region and architecture) to an "+
		"entry with region = %q and architecture = %q and that Region's prices per GB-second and per request",
		e.Architecture, e.Region, e.Region, e.Architecture)
}
