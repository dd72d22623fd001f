package lambdasim

import "math/rand/v2"

// The performance model of an invocation on Lambda Managed Instances. An
// execution environment has vCPUs = memory / memory per vCPU and runs many
// invocations at once: their waiting (SIM_IO_MS) overlaps freely, their
// CPU work (SIM_CPU_MS) shares the vCPUs. With n invocations in flight the
// CPU is saturated once n × CPU work exceeds what the vCPUs do in one
// invocation's time; past that point each invocation takes n × CPU work /
// vCPUs, its CPU part stretched by the competition. The figure is fixed
// when the invocation is admitted, from the n it finds (itself included),
// so a steady closed-loop load with n in flight sees exactly that duration.
//
// Each in-flight invocation also holds SIM_INVOCATION_MB of the
// environment's memory on top of the runtime's own; the one that finds too
// little left fails with Runtime.OutOfMemory.
//
// REPORT lines: AWS documents none specific to managed instances. The
// emulator writes Lambda's usual line, never with an Init Duration (callers
// meet no cold start), an assumption.

// managedDurationMs is one invocation's duration with n in flight on an
// environment of vcpus.
func managedDurationMs(cpuMs, ioMs float64, threads int, vcpus float64, n int) float64 {
	alone := cpuMs/min(vcpus, float64(threads)) + ioMs
	shared := float64(n) * cpuMs / vcpus
	return runtimeOverhead + max(alone, shared)
}

// simulateManaged runs the model once for an invocation admitted with n
// in flight on its environment.
func simulateManaged(p *simParams, st *settings, n int, rng *rand.Rand) outcome {
	var o outcome
	ms := managedDurationMs(p.cpuMs, p.ioMs, p.threads, envVCPUs(st), n) * noiseFactor(p.noise, rng)
	used := int64(baseMemoryUsedMB+4*p.threads) + int64(n)*p.invocationMB
	o.maxMemoryMB = int32(min(used, int64(st.MemorySize)))
	switch {
	case used > int64(st.MemorySize) || (p.minMemory > 0 && st.MemorySize < p.minMemory):
		o.outOfMemory = true
	case ms > float64(st.Timeout)*1000:
		o.timedOut = true
		ms = float64(st.Timeout) * 1000
	case p.errorRate > 0 && rng.Float64() < p.errorRate:
		o.functionError = true
	}
	o.duration = hundredths(ms)
	o.bill()
	return o
}

// ManagedLoad is a steady closed-loop load on one execution environment of
// a managed-instances function: Concurrency invocations always in flight.
type ManagedLoad struct {
	MemoryMB         int32   // the function's MemorySize
	MemoryGiBPerVCpu float64 // ExecutionEnvironmentMemoryGiBPerVCpu; 0: 2
	Concurrency      int     // in flight on the environment, at most PerExecutionEnvironmentMaxConcurrency
	CPUMs            float64 // SIM_CPU_MS
	IOMs             float64 // SIM_IO_MS
	Threads          int     // SIM_THREADS; 0: 1
}

// PredictedThroughput is the requests per second one execution environment
// serves under load, as the emulator's model has it (noise aside): a tuner's
// measured throughput can be checked against it. It is 0 for a load that
// cannot run (no concurrency, or less than one vCPU).
func PredictedThroughput(l ManagedLoad) float64 {
	ratio := l.MemoryGiBPerVCpu
	if ratio == 0 {
		ratio = defaultGiBPerVCpu
	}
	vcpus := float64(l.MemoryMB) / 1024 / ratio
	if l.Concurrency < 1 || vcpus < 1 {
		return 0
	}
	threads := max(l.Threads, 1)
	return 1000 * float64(l.Concurrency) / managedDurationMs(l.CPUMs, l.IOMs, threads, vcpus, l.Concurrency)
}
