package lambdasim

import (
	"regexp"
	"strconv"
)

// The kinds of function besides the plain one: tenant isolation, durable
// execution and Lambda Managed Instances (capacity providers). Each is a
// configuration block of CreateFunction that GetFunction and
// GetFunctionConfiguration show back exactly as it was given.

// tenantIsolationPerTenant is TenancyConfig.TenantIsolationMode's one value.
const tenantIsolationPerTenant = "PER_TENANT"

// Durable execution's bounds, from Lambda's API model.
const (
	minDurableTimeout       = 1
	maxDurableTimeout       = 31622400 // 366 days
	minDurableRetention     = 1
	maxDurableRetention     = 90
	defaultDurableRetention = 14
)

// Lambda Managed Instances' bounds, from Lambda's API model.
const (
	minMemoryGiBPerVCpu   = 2.0
	maxMemoryGiBPerVCpu   = 8.0
	minEnvMaxConcurrency  = 1
	maxEnvMaxConcurrency  = 1600
	maxCapacityProviderLn = 140

	capacityProviderPattern = `arn:aws[a-zA-Z-]*:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:capacity-provider:[a-zA-Z0-9-_]+`

	// durableNamePattern is DurableExecutionName's, in AWS's words.
	durableNamePattern = `[a-zA-Z0-9-_]+`
	maxDurableNameLen  = 64
)

var (
	capacityProviderARN = regexp.MustCompile(`^(?:` + capacityProviderPattern + `)$`)
	durableName         = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
)

// durableSettings is a DurableConfig as stored (comparable, so versions
// compare with ==). ExecutionTimeout is required, so enabled ⇔ it is set.
type durableSettings struct {
	enabled          bool
	executionTimeout int32
	retentionDays    int32
	kmsKeyArn        string // "" when not given
}

// capacitySettings is a CapacityProviderConfig as stored; the optional
// members remember whether they were given, so they are shown back only then.
type capacitySettings struct {
	arn               string // "" when the function runs on Lambda's own fleet
	memPerVCpu        float64
	hasMemPerVCpu     bool
	maxConcurrency    int32
	hasMaxConcurrency bool
}

// Request and response shapes, with the member names the SDK reads.

type tenancyJSON struct {
	TenantIsolationMode string
}

type durableJSON struct {
	ExecutionTimeout      *int32  `json:",omitempty"`
	RetentionPeriodInDays *int32  `json:",omitempty"`
	KMSKeyArn             *string `json:",omitempty"`
}

type capacityProviderJSON struct {
	LambdaManagedInstancesCapacityProviderConfig *managedInstancesJSON `json:",omitempty"`
}

type managedInstancesJSON struct {
	CapacityProviderArn                   *string  `json:",omitempty"`
	ExecutionEnvironmentMemoryGiBPerVCpu  *float64 `json:",omitempty"`
	PerExecutionEnvironmentMaxConcurrency *int32   `json:",omitempty"`
}

// addNull records AWS's violation for a required member left out.
func (v *violations) addNull(member string) {
	*v = append(*v, "Value null at '"+member+"' failed to satisfy constraint: Member must not be null")
}

// javaDouble prints a double the way AWS's messages do ("9.0", "1.5").
func javaDouble(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	for _, c := range s {
		if c == '.' || c == 'e' || c == 'N' || c == 'I' {
			return s
		}
	}
	return s + ".0"
}

// applyKinds checks and stores the tenancy, durable and capacity-provider
// blocks of a CreateFunction (creating) or UpdateFunctionConfiguration
// request. TenancyConfig exists only at creation (UpdateFunctionConfiguration
// has no such member, so it is ignored there); durable execution can only be
// enabled at creation, and a function moves neither onto nor off a capacity
// provider after it (see cmd/lambdasim/README.md).
func applyKinds(st *settings, in *functionInput, creating bool) *apiError {
	var v violations
	if creating && in.TenancyConfig != nil {
		mode := in.TenancyConfig.TenantIsolationMode
		switch {
		case mode == "":
			v.addNull("tenancyConfig.tenantIsolationMode")
		case mode != tenantIsolationPerTenant:
			v.add(mode, "tenancyConfig.tenantIsolationMode", "Member must satisfy enum value set: [PER_TENANT]")
		}
		st.TenancyMode = mode
	}
	if dc := in.DurableConfig; dc != nil {
		if !creating && !st.Durable.enabled {
			return errInvalidParameter("DurableConfig can only be set when the function is created: durable execution cannot be enabled on an existing function.")
		}
		if err := applyDurable(st, dc, &v); err != nil {
			return err
		}
	}
	if cp := in.CapacityProviderConfig; cp != nil {
		if !creating && st.Capacity.arn == "" {
			return errInvalidParameter("CapacityProviderConfig can only be set when the function is created: an existing function cannot be moved onto a capacity provider.")
		}
		applyCapacity(st, cp, &v)
	}
	if err := checkManagedMemory(st, in, creating, &v); err != nil {
		return err
	}
	return v.err()
}

func applyDurable(st *settings, dc *durableJSON, v *violations) *apiError {
	d := durableSettings{enabled: true, retentionDays: defaultDurableRetention}
	if dc.ExecutionTimeout == nil {
		return errInvalidParameter("DurableConfig.ExecutionTimeout is required.")
	}
	v.checkRange("durableConfig.executionTimeout", *dc.ExecutionTimeout, minDurableTimeout, maxDurableTimeout)
	d.executionTimeout = *dc.ExecutionTimeout
	if dc.RetentionPeriodInDays != nil {
		v.checkRange("durableConfig.retentionPeriodInDays", *dc.RetentionPeriodInDays, minDurableRetention, maxDurableRetention)
		d.retentionDays = *dc.RetentionPeriodInDays
	}
	if dc.KMSKeyArn != nil {
		d.kmsKeyArn = *dc.KMSKeyArn
	}
	st.Durable = d
	return nil
}

func applyCapacity(st *settings, cp *capacityProviderJSON, v *violations) {
	const prefix = "capacityProviderConfig.lambdaManagedInstancesCapacityProviderConfig"
	mi := cp.LambdaManagedInstancesCapacityProviderConfig
	if mi == nil {
		v.addNull(prefix)
		return
	}
	var c capacitySettings
	switch {
	case mi.CapacityProviderArn == nil:
		v.addNull(prefix + ".capacityProviderArn")
	case len(*mi.CapacityProviderArn) > maxCapacityProviderLn:
		v.add(*mi.CapacityProviderArn, prefix+".capacityProviderArn", "Member must have length less than or equal to 140")
	case !capacityProviderARN.MatchString(*mi.CapacityProviderArn):
		v.add(*mi.CapacityProviderArn, prefix+".capacityProviderArn", "Member must satisfy regular expression pattern: "+capacityProviderPattern)
	default:
		c.arn = *mi.CapacityProviderArn
	}
	if m := mi.ExecutionEnvironmentMemoryGiBPerVCpu; m != nil {
		switch {
		case *m < minMemoryGiBPerVCpu:
			v.add(javaDouble(*m), prefix+".executionEnvironmentMemoryGiBPerVCpu", "Member must have value greater than or equal to 2.0")
		case *m > maxMemoryGiBPerVCpu:
			v.add(javaDouble(*m), prefix+".executionEnvironmentMemoryGiBPerVCpu", "Member must have value less than or equal to 8.0")
		}
		c.memPerVCpu, c.hasMemPerVCpu = *m, true
	}
	if n := mi.PerExecutionEnvironmentMaxConcurrency; n != nil {
		v.checkRange(prefix+".perExecutionEnvironmentMaxConcurrency", *n, minEnvMaxConcurrency, maxEnvMaxConcurrency)
		c.maxConcurrency, c.hasMaxConcurrency = *n, true
	}
	st.Capacity = c
}

// kindsJSON fills the three blocks of a configuration answer.
func kindsJSON(c *configurationJSON, st *settings) {
	if st.TenancyMode != "" {
		c.TenancyConfig = &tenancyJSON{TenantIsolationMode: st.TenancyMode}
	}
	if d := st.Durable; d.enabled {
		out := &durableJSON{ExecutionTimeout: ptr(d.executionTimeout), RetentionPeriodInDays: ptr(d.retentionDays)}
		if d.kmsKeyArn != "" {
			out.KMSKeyArn = ptr(d.kmsKeyArn)
		}
		c.DurableConfig = out
	}
	if cp := st.Capacity; cp.arn != "" {
		mi := &managedInstancesJSON{CapacityProviderArn: ptr(cp.arn)}
		if cp.hasMemPerVCpu {
			mi.ExecutionEnvironmentMemoryGiBPerVCpu = ptr(cp.memPerVCpu)
		}
		if cp.hasMaxConcurrency {
			mi.PerExecutionEnvironmentMaxConcurrency = ptr(cp.maxConcurrency)
		}
		c.CapacityProviderConfig = &capacityProviderJSON{LambdaManagedInstancesCapacityProviderConfig: mi}
	}
}

// checkDurableName: 1–64 characters of [a-zA-Z0-9-_].
func checkDurableName(name string) *apiError {
	var v violations
	switch {
	case name == "":
		v.add(name, "durableExecutionName", "Member must have length greater than or equal to 1")
	case len(name) > maxDurableNameLen:
		v.add(name, "durableExecutionName", "Member must have length less than or equal to 64")
	case !durableName.MatchString(name):
		v.add(name, "durableExecutionName", "Member must satisfy regular expression pattern: "+durableNamePattern)
	}
	return v.err()
}
