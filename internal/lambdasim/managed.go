package lambdasim

import (
	"math"
	"strings"
)

// Functions on Lambda Managed Instances: the rules that tie a function's
// CapacityProviderConfig to its memory and to its capacity provider.

// Memory of a managed-instances function, from Lambda's documentation:
// 2 GB to 32 GB, 2048 MB when not given.
const (
	minManagedMemory     = 2048
	maxManagedMemory     = 32768
	defaultManagedMemory = 2048
	defaultGiBPerVCpu    = 2.0
)

// managedRatios are the memory-per-vCPU values AWS accepts: the API model
// allows any double from 2.0 to 8.0, the service only these three.
var managedRatios = []float64{2, 4, 8}

// onCapacityProvider reports whether a request makes or changes a function
// that runs on a capacity provider.
func onCapacityProvider(st *settings, in *functionInput) bool {
	return st.Capacity.arn != "" || in.CapacityProviderConfig != nil
}

// checkManagedMemory applies a managed-instances function's memory rules
// after its CapacityProviderConfig is stored: the range goes into v with
// the other constraint violations; the service's own rules are returned.
func checkManagedMemory(st *settings, in *functionInput, creating bool, v *violations) *apiError {
	if st.Capacity.arn == "" || len(*v) > 0 {
		return nil
	}
	if creating && in.MemorySize == nil {
		st.MemorySize = defaultManagedMemory
	}
	if st.MemorySize < minManagedMemory || st.MemorySize > maxManagedMemory {
		v.checkRange("memorySize", st.MemorySize, minManagedMemory, maxManagedMemory)
		return nil
	}
	ratio := st.Capacity.gibPerVCpu()
	if st.Capacity.hasMemPerVCpu && !validRatio(ratio) {
		return errInvalidParameter("ExecutionEnvironmentMemoryGiBPerVCpu must be 2.0, 4.0 or 8.0, not %s.", javaDouble(ratio))
	}
	if st.MemorySize < int32(ratio*1024) {
		return errInvalidParameter("MemorySize %d MB is less than one vCPU at %s GiB per vCPU: use at least %d MB.", st.MemorySize, javaDouble(ratio), int32(ratio*1024))
	}
	return nil
}

func validRatio(r float64) bool {
	for _, ok := range managedRatios {
		if r == ok {
			return true
		}
	}
	return false
}

// gibPerVCpu is the memory per vCPU in effect.
func (c capacitySettings) gibPerVCpu() float64 {
	if c.hasMemPerVCpu {
		return c.memPerVCpu
	}
	return defaultGiBPerVCpu
}

// envVCPUs is how many vCPUs one execution environment of st has.
func envVCPUs(st *settings) float64 {
	return float64(st.MemorySize) / 1024 / st.Capacity.gibPerVCpu()
}

// envMaxConcurrency is how many invocations one environment serves at
// once: the setting, or AWS's default per vCPU for the runtime.
func envMaxConcurrency(st *settings) int {
	if st.Capacity.hasMaxConcurrency {
		return int(st.Capacity.maxConcurrency)
	}
	perVCpu := 16.0 // Python and the rest
	switch rt := st.Runtime; {
	case strings.HasPrefix(rt, "nodejs"):
		perVCpu = 64
	case strings.HasPrefix(rt, "java"), strings.HasPrefix(rt, "dotnet"):
		perVCpu = 32
	}
	return int(min(maxEnvMaxConcurrency, max(1, math.Ceil(perVCpu*envVCPUs(st)))))
}

// providerFor finds the capacity provider a function names, settled.
// The caller holds s.mu.
func (s *Server) providerFor(st *settings) *capacityProvider {
	parts := strings.Split(st.Capacity.arn, ":")
	if len(parts) != 7 || parts[4] != s.opts.AccountID {
		return nil
	}
	p := s.providers[providerKey{parts[3], parts[6]}]
	if p != nil {
		p.settle(s.now())
	}
	return p
}

// checkProvider: a function may only be put on a capacity provider that
// exists, is Active, has its architecture and an instance type its
// execution environments fit on. The caller holds s.mu.
func (s *Server) checkProvider(st *settings) *apiError {
	if st.Capacity.arn == "" {
		return nil
	}
	p := s.providerFor(st)
	switch {
	case p == nil:
		return errInvalidParameter("Capacity provider not found: %s", st.Capacity.arn)
	case p.doc.State != providerActive:
		return errConflict("The operation cannot be performed at this time. The capacity provider %s is currently in the following state: %s", st.Capacity.arn, p.doc.State)
	case p.architecture() != st.Architecture:
		return errInvalidParameter("The function's architecture %s is not supported by capacity provider %s, whose instances are %s.", st.Architecture, st.Capacity.arn, p.architecture())
	}
	vcpus := envVCPUs(st)
	for _, it := range p.usableInstanceTypes() {
		if it.fits(vcpus, st.MemorySize) {
			return nil
		}
	}
	return errInvalidParameter("No instance type of capacity provider %s fits an execution environment of %d MB and %s vCPUs.", st.Capacity.arn, st.MemorySize, javaDouble(vcpus))
}

// maxEnvironments is how many execution environments of st the provider's
// MaxVCpuCount allows, at least one.
func (s *Server) maxEnvironments(st *settings) int {
	limit := defaultMaxVCpuCount
	if p := s.providerFor(st); p != nil {
		limit = p.maxVCpus()
	}
	return max(1, int(float64(limit)/envVCPUs(st)))
}
