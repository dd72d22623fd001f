package lambdasim

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// simParams is a simulated function's behaviour, read from its SIM_*
// environment variables so that any client can create one.
type simParams struct {
	cpuMs        float64 // SIM_CPU_MS: CPU work at one full vCPU
	threads      int     // SIM_THREADS: how many vCPUs the work can use
	ioMs         float64 // SIM_IO_MS: waiting that memory does not shorten
	initMs       float64 // SIM_INIT_MS: Init Duration at one vCPU
	noise        float64 // SIM_NOISE: relative standard deviation
	minMemory    int32   // SIM_MIN_MEMORY: below it the function runs out of memory
	errorRate    float64 // SIM_ERROR_RATE: fraction of invocations that fail
	errorType    string  // SIM_ERROR_TYPE
	errorMessage string  // SIM_ERROR_MESSAGE
	output       string  // SIM_OUTPUT: the response body
	hasOutput    bool
	logBytes     int // SIM_LOG_BYTES: application log printed per invocation
	// invocationMB (SIM_INVOCATION_MB) is the memory each in-flight
	// invocation holds in a managed-instances environment.
	invocationMB int64
	// responseBytes (SIM_RESPONSE_BYTES) is the size of the response the
	// function returns, a JSON string, instead of SIM_OUTPUT or the echo.
	responseBytes    int64
	hasResponseBytes bool
	// arm64CPUFactor (SIM_ARM64_CPU_FACTOR, default 1) scales the CPU work
	// on arm64: above 1 the code runs slower there, as native code built
	// for x86_64 or heavy vector work does.
	arm64CPUFactor float64
	// onlyArchitecture (SIM_ONLY_ARCHITECTURE) is the one architecture the
	// package's native code was built for; elsewhere every invocation fails.
	onlyArchitecture string
}

const (
	mbPerVCPU        = 1769.0
	maxVCPU          = 6.0
	runtimeOverhead  = 0.6   // ms every invocation spends in the runtime
	defaultInitMs    = 150.0 // a light runtime's cold start at one vCPU
	outlierRate      = 0.02  // share of noisy invocations that are outliers
	baseMemoryUsedMB = 35
)

// onArchitecture adapts the behaviour to the function's architecture.
func (p *simParams) onArchitecture(arch string) {
	if arch == "arm64" {
		p.cpuMs *= p.arm64CPUFactor
	}
	if p.onlyArchitecture != "" && arch != p.onlyArchitecture {
		p.errorRate = 1
		p.errorType = "Runtime.InvalidEntrypoint"
		p.errorMessage = "exec format error: the package's native code is built for " + p.onlyArchitecture
	}
}

func parseSimParams(env map[string]string) simParams {
	p := simParams{threads: 1, initMs: defaultInitMs, errorType: "Error", errorMessage: "Simulated failure", arm64CPUFactor: 1}
	num := func(key string, dst *float64) {
		if v, err := strconv.ParseFloat(env[key], 64); err == nil && v >= 0 && !math.IsInf(v, 0) {
			*dst = v
		}
	}
	num("SIM_CPU_MS", &p.cpuMs)
	num("SIM_IO_MS", &p.ioMs)
	num("SIM_INIT_MS", &p.initMs)
	num("SIM_NOISE", &p.noise)
	num("SIM_ERROR_RATE", &p.errorRate)
	num("SIM_ARM64_CPU_FACTOR", &p.arm64CPUFactor)
	if n, err := strconv.Atoi(env["SIM_THREADS"]); err == nil && n >= 1 {
		p.threads = n
	}
	if n, err := strconv.Atoi(env["SIM_MIN_MEMORY"]); err == nil && n > 0 {
		p.minMemory = int32(min(n, math.MaxInt32))
	}
	if n, err := strconv.ParseInt(env["SIM_INVOCATION_MB"], 10, 64); err == nil && n > 0 {
		p.invocationMB = n
	}
	if n, err := strconv.Atoi(env["SIM_LOG_BYTES"]); err == nil && n > 0 {
		p.logBytes = n
	}
	if n, err := strconv.ParseInt(env["SIM_RESPONSE_BYTES"], 10, 64); err == nil && n >= 0 {
		p.responseBytes, p.hasResponseBytes = n, true
	}
	if v, ok := env["SIM_ERROR_TYPE"]; ok && v != "" {
		p.errorType = v
	}
	if v, ok := env["SIM_ERROR_MESSAGE"]; ok && v != "" {
		p.errorMessage = v
	}
	p.onlyArchitecture = env["SIM_ONLY_ARCHITECTURE"]
	p.output, p.hasOutput = env["SIM_OUTPUT"]
	return p
}

// outcome is what one simulated invocation reports. Durations are kept in
// hundredths of a millisecond, as the REPORT line prints them, so that
// billing computed from them matches the printed figures exactly.
type outcome struct {
	duration        int64 // 1/100 ms
	init            int64 // 1/100 ms; 0 when warm or restored
	restore         int64 // 1/100 ms; SnapStart restores only
	billedRestore   int64 // ms
	billed          int64 // ms
	maxMemoryMB     int32
	timedOut        bool
	outOfMemory     bool
	functionError   bool // SIM_ERROR_RATE hit
	discardEnvAfter bool
	// responseTooLarge: a buffered invocation's response was over 6 MB.
	responseTooLarge bool
}

// failed reports whether the function itself failed (the response too large
// for a buffered invocation is not the function's failure).
func (o *outcome) failed() bool {
	return o.timedOut || o.outOfMemory || o.functionError
}

// bill sets Billed Duration from the durations: SnapStart restores bill
// their own share, everything else the duration and init rounded up.
func (o *outcome) bill() {
	o.billed = ceilHundredths(o.duration+o.init) + o.billedRestore
}

// heldMs is the time the invocation occupies an environment, for the time scale.
func (o outcome) heldMs() float64 {
	return float64(o.duration+o.init+o.restore) / 100
}

// vCPUs is the CPU share Lambda gives a memory size.
func vCPUs(memoryMB int32) float64 {
	return min(float64(memoryMB)/mbPerVCPU, maxVCPU)
}

// simulate runs the performance model once. Draws from rng happen in a fixed
// order so that a seeded stream gives the same figures every run.
func simulate(p *simParams, memoryMB, timeoutS int32, cold, snapStart bool, rng *rand.Rand) outcome {
	var o outcome
	vcpu := vCPUs(memoryMB)
	usable := min(vcpu, float64(p.threads))
	ms := runtimeOverhead + p.cpuMs/usable + p.ioMs
	ms *= noiseFactor(p.noise, rng)

	if cold {
		// Heavy runtimes initialise faster with more CPU, but far less than
		// proportionally: scale by the square root of the missing share.
		initMs := p.initMs / math.Sqrt(min(vcpu, 1)) * noiseFactor(p.noise/2, rng)
		if snapStart {
			restoreMs := 100 + initMs/4
			o.restore = hundredths(restoreMs)
			o.billedRestore = int64(math.Ceil(restoreMs * 0.4))
		} else {
			o.init = hundredths(initMs)
		}
	}

	o.maxMemoryMB = min(max(int32(baseMemoryUsedMB+4*p.threads), p.minMemory*9/10), memoryMB)
	switch {
	case p.minMemory > 0 && memoryMB < p.minMemory:
		o.outOfMemory, o.discardEnvAfter = true, true
		o.maxMemoryMB = memoryMB
	case ms > float64(timeoutS)*1000:
		o.timedOut, o.discardEnvAfter = true, true
		ms = float64(timeoutS) * 1000
	case p.errorRate > 0 && rng.Float64() < p.errorRate:
		o.functionError = true
	}
	o.duration = hundredths(ms)

	o.bill()
	return o
}

// noiseFactor is 1 ± a normal deviation of sd, with rare outliers, never
// shrinking a duration below half.
func noiseFactor(sd float64, rng *rand.Rand) float64 {
	if sd <= 0 {
		return 1
	}
	f := 1 + sd*rng.NormFloat64()
	if rng.Float64() < outlierRate {
		f *= 1.5 + rng.Float64()
	}
	return max(f, 0.5)
}

func hundredths(ms float64) int64 { return int64(math.Round(ms * 100)) }

func ceilHundredths(h int64) int64 { return (h + 99) / 100 }
