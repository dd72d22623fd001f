package spec

import (
	"regexp"
	"slices"
	"strings"
)

// ManagedInstances asks for a tuning on Lambda Managed Instances: each
// setting (memory, memory per vCPU, invocations per environment) is held
// under a concurrent load on a temporary copy on a capacity provider.
type ManagedInstances struct {
	// MemoryPerVCPU are the GiB of memory per vCPU to try: 2, 4 or 8.
	MemoryPerVCPU []float64 `json:"memory_per_vcpu"`
	// MaxConcurrencyPerEnvironment are the invocations one execution
	// environment may serve at once to try, 1 to 1600.
	MaxConcurrencyPerEnvironment []int `json:"max_concurrency_per_environment"`
	// PowerValues are the memory sizes to try, 2048 to 32768 MB; nil: the
	// function's.
	PowerValues []int32 `json:"power_values,omitempty"`
	// LoadSeconds is how long each setting is held under load once its
	// ramp is over; 0: DefaultLoadSeconds.
	LoadSeconds int `json:"load_seconds,omitempty"`
	// LatencyP99Ms is the latency goal: settings whose p99 is above it are
	// never chosen. 0: none.
	LatencyP99Ms float64 `json:"latency_p99_ms,omitempty"`
	// RequestsPerSecond is the user's steady traffic, for monthly figures.
	RequestsPerSecond float64 `json:"requests_per_second,omitempty"`
	// CapacityProviderARN puts the copies on this capacity provider (a
	// function on-demand today needs one); "": the function's own.
	CapacityProviderARN string `json:"capacity_provider_arn,omitempty"`
	// InstancePricePerHour overrides the built-in on-demand price of the
	// capacity provider's instance types.
	InstancePricePerHour float64 `json:"instance_price_per_hour,omitempty"`
	// CompareOnDemand also measures the function's best on-demand memory
	// size on ordinary copies and compares monthly costs.
	CompareOnDemand bool `json:"compare_on_demand,omitempty"`
}

// Limits of Lambda Managed Instances settings.
const (
	MinManagedPower       = 2048
	MaxManagedPower       = 32768
	MinManagedConcurrency = 1
	MaxManagedConcurrency = 1600
	DefaultLoadSeconds    = 60
	MinLoadSeconds        = 10
	MaxLoadSeconds        = 900
	// MaxManagedSettings caps how many settings one run holds under load:
	// each costs a copy's instance hours.
	MaxManagedSettings = 48
)

// ManagedMemoryPerVCPU are the memory-per-vCPU ratios Lambda offers, GiB.
func ManagedMemoryPerVCPU() []float64 { return []float64{2, 4, 8} }

// Attribute names of the managed_instances block, as paths from the root.
const (
	AttrManagedInstances     = "managed_instances"
	AttrManagedMemoryPerVCPU = AttrManagedInstances + ".memory_per_vcpu"
	AttrManagedConcurrency   = AttrManagedInstances + ".max_concurrency_per_environment"
	AttrManagedPowerValues   = AttrManagedInstances + ".power_values"
	AttrManagedLoadSeconds   = AttrManagedInstances + ".load_seconds"
	AttrManagedLatencyGoal   = AttrManagedInstances + ".latency_p99_ms"
	AttrManagedTraffic       = AttrManagedInstances + ".requests_per_second"
	AttrManagedProvider      = AttrManagedInstances + ".capacity_provider_arn"
	AttrManagedInstancePrice = AttrManagedInstances + ".instance_price_per_hour"
	AttrManagedCompare       = AttrManagedInstances + ".compare_on_demand"
)

// capacityProviderARNPattern is a capacity provider's ARN in any partition.
var capacityProviderARNPattern = regexp.MustCompile(`^arn:aws(?:-cn|-us-gov|-eusc|-iso|-iso-[a-z])?:lambda:[a-z]{2,}(?:-[a-z]+)+-[0-9]+:[0-9]{12}:capacity-provider:[a-zA-Z0-9_-]{1,64}$`)

// Settings are the settings the run measures, memory first, then memory
// per vCPU, then concurrency; powers stands in for PowerValues when nil.
func (m ManagedInstances) Settings(powers []int32) [][3]float64 {
	if len(m.PowerValues) > 0 {
		powers = m.PowerValues
	}
	var out [][3]float64
	for _, p := range slices.Sorted(slices.Values(powers)) {
		for _, r := range slices.Sorted(slices.Values(m.MemoryPerVCPU)) {
			for _, c := range slices.Sorted(slices.Values(m.MaxConcurrencyPerEnvironment)) {
				out = append(out, [3]float64{float64(p), r, float64(c)})
			}
		}
	}
	return out
}

// LoadDuration is how long each setting is held under load, in seconds.
func (m ManagedInstances) LoadDuration() int {
	if m.LoadSeconds == 0 {
		return DefaultLoadSeconds
	}
	return m.LoadSeconds
}

func (in Input) validateManagedInstances(add addFunc) {
	m := in.ManagedInstances
	if m == nil {
		return
	}
	why := "Lambda Managed Instances are measured under a held concurrent load on temporary copies"
	if in.Isolation != IsolationCopies {
		add(AttrIsolation, `must be "copies" with managed_instances: %s, never on the function itself; set isolation = "copies"`, why)
	}
	if in.OnlyColdStarts {
		add(AttrOnlyColdStarts, "cannot be combined with managed_instances: Lambda Managed Instances have no cold starts for callers; remove only_cold_starts")
	}
	if in.Sampling == SamplingAdaptive {
		add(AttrSampling, `cannot be "adaptive" with managed_instances: %s, each for load_seconds; remove sampling`, why)
	}
	if in.AutoOptimize {
		add(AttrAutoOptimize, "cannot be combined with managed_instances: %s and the function is never changed; remove auto_optimize", why)
	}
	m.validateSettings(add)
	if m.CompareOnDemand && m.RequestsPerSecond == 0 {
		add(AttrManagedCompare, "compares monthly costs at your traffic: set requests_per_second too, or remove compare_on_demand")
	}
	if m.CapacityProviderARN != "" && !capacityProviderARNPattern.MatchString(m.CapacityProviderARN) {
		add(AttrManagedProvider, "must be a capacity provider's ARN, arn:aws:lambda:<region>:<account-id>:capacity-provider:<name>; got %q", m.CapacityProviderARN)
	}
	if region, _, ok := ParseFunctionARN(in.LambdaARN); ok && m.CapacityProviderARN != "" {
		if cpRegion := regionOfARN(m.CapacityProviderARN); cpRegion != "" && cpRegion != region {
			add(AttrManagedProvider, "is in %s but the function is in %s: a function runs only on a capacity provider in its own Region", cpRegion, region)
		}
	}
	for attr, v := range map[string]float64{AttrManagedLatencyGoal: m.LatencyP99Ms, AttrManagedTraffic: m.RequestsPerSecond,
		AttrManagedInstancePrice: m.InstancePricePerHour} {
		if v < 0 {
			add(attr, "must not be negative, got %g", v)
		}
	}
	if m.LoadSeconds != 0 && (m.LoadSeconds < MinLoadSeconds || m.LoadSeconds > MaxLoadSeconds) {
		add(AttrManagedLoadSeconds, "must be between %d and %d seconds (a setting's throughput needs a held load; %d is the default), got %d",
			MinLoadSeconds, MaxLoadSeconds, DefaultLoadSeconds, m.LoadSeconds)
	}
}

func (m ManagedInstances) validateSettings(add addFunc) {
	if len(m.MemoryPerVCPU) == 0 {
		add(AttrManagedMemoryPerVCPU, "must list at least one of 2, 4 and 8 (GiB of memory per vCPU)")
	}
	for _, r := range m.MemoryPerVCPU {
		if !slices.Contains(ManagedMemoryPerVCPU(), r) {
			add(AttrManagedMemoryPerVCPU, "%g is not a ratio Lambda offers: use 2, 4 or 8 (GiB of memory per vCPU)", r)
		}
	}
	if hasDuplicate(m.MemoryPerVCPU) {
		add(AttrManagedMemoryPerVCPU, "lists a ratio more than once: list each once")
	}
	if len(m.MaxConcurrencyPerEnvironment) == 0 {
		add(AttrManagedConcurrency, "must list at least one number of invocations an environment serves at once, %d to %d",
			MinManagedConcurrency, MaxManagedConcurrency)
	}
	for _, c := range m.MaxConcurrencyPerEnvironment {
		if c < MinManagedConcurrency || c > MaxManagedConcurrency {
			add(AttrManagedConcurrency, "%d is out of range: each must be between %d and %d", c, MinManagedConcurrency, MaxManagedConcurrency)
		}
	}
	if hasDuplicate(m.MaxConcurrencyPerEnvironment) {
		add(AttrManagedConcurrency, "lists a value more than once: list each once")
	}
	for _, p := range m.PowerValues {
		if p < MinManagedPower || p > MaxManagedPower {
			add(AttrManagedPowerValues, "%d MB is out of range: Lambda Managed Instances take %d to %d MB", p, MinManagedPower, MaxManagedPower)
		}
	}
	if hasDuplicate(m.PowerValues) {
		add(AttrManagedPowerValues, "lists a memory size more than once: list each once")
	}
	powers := max(len(m.PowerValues), 1)
	if n := powers * len(m.MemoryPerVCPU) * len(m.MaxConcurrencyPerEnvironment); n > MaxManagedSettings {
		add(AttrManagedInstances, "asks for %d settings (memory sizes × ratios × concurrencies), each a copy held under load for "+
			"load_seconds: at most %d; list fewer values", n, MaxManagedSettings)
	}
}

func hasDuplicate[T comparable](values []T) bool {
	seen := map[T]bool{}
	for _, v := range values {
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	return false
}

// regionOfARN is the Region field of an ARN; "" when s is not one.
func regionOfARN(s string) string {
	parts := strings.SplitN(s, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}
