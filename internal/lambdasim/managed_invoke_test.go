package lambdasim

import (
	"context"
	"encoding/base64"
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// managedCase is a capacity provider and one function on it.
type managedCase struct {
	maxVCpus    int32 // the provider's MaxVCpuCount
	memory      int32
	ratio       float64
	concurrency int32 // per environment
	env         map[string]string
}

// startManaged runs an emulator with the case's provider and function
// "lmi", publishes version 1 and returns a client.
func startManaged(t *testing.T, opts Options, mc managedCase) (*Server, *lambda.Client) {
	t.Helper()
	s := startServer(t, opts)
	if _, err := s.AddCapacityProvider(CapacityProviderDefinition{Name: "fleet", MaxVCpuCount: mc.maxVCpus}); err != nil {
		t.Fatal(err)
	}
	spec := FunctionSpec{Name: "lmi", MemorySize: mc.memory, Timeout: 60, Environment: mc.env,
		CapacityProvider: &CapacityProviderSpec{ARN: "fleet", ExecutionEnvironmentMemoryGiBPerVCpu: mc.ratio, PerExecutionEnvironmentMaxConcurrency: mc.concurrency}}
	if _, err := s.AddFunction(spec); err != nil {
		t.Fatal(err)
	}
	c := lambdaClient(s, "us-east-1")
	if _, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("lmi")}); err != nil {
		t.Fatal(err)
	}
	return s, c
}

// managedResult is one invocation of version 1 seen by its caller.
type managedResult struct {
	report    string
	duration  float64 // ms, from the REPORT line
	funcError string
	err       error
}

var reportDuration = regexp.MustCompile(`\tDuration: ([0-9.]+) ms`)

func invokeManaged(c *lambda.Client) managedResult {
	out, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("lmi"), Qualifier: aws.String("1"), LogType: types.LogTypeTail})
	if err != nil {
		return managedResult{err: err}
	}
	log, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	var r managedResult
	for _, line := range strings.Split(string(log), "\n") {
		if strings.HasPrefix(line, "REPORT ") {
			r.report = line
		}
	}
	if m := reportDuration.FindStringSubmatch(r.report); m != nil {
		r.duration, _ = strconv.ParseFloat(m[1], 64)
	}
	r.funcError = aws.ToString(out.FunctionError)
	return r
}

// invokeAtOnce sends n invocations together; with a time scale that holds
// each for long enough, all are in flight before the first ends.
func invokeAtOnce(c *lambda.Client, n int) []managedResult {
	out := make([]managedResult, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i] = invokeManaged(c) })
	}
	wg.Wait()
	return out
}

func durations(t *testing.T, rs []managedResult) []float64 {
	t.Helper()
	var ds []float64
	for _, r := range rs {
		if r.err != nil {
			t.Fatal(r.err)
		}
		ds = append(ds, r.duration)
	}
	slices.Sort(ds)
	return ds
}

// TestManagedCPUSharing: eight invocations in flight on two vCPUs. An
// I/O-bound function (10 ms CPU, 200 ms waiting) runs them all as fast as
// one; a CPU-bound one (200 ms CPU) stretches each by the work ahead of it.
func TestManagedCPUSharing(t *testing.T) {
	const n = 8
	// One environment of 2 vCPUs (4096 MB at 2 GiB per vCPU).
	ioBound := managedCase{maxVCpus: 2, memory: 4096, ratio: 2, concurrency: 64, env: map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"}}
	_, c := startManaged(t, Options{TimeScale: 0.5}, ioBound)
	for i, d := range durations(t, invokeAtOnce(c, n)) {
		if d != 210.6 {
			t.Errorf("I/O-bound invocation %d took %.2f ms, want 210.60 (no CPU contention)", i, d)
		}
	}

	cpuBound := ioBound
	cpuBound.env = map[string]string{"SIM_CPU_MS": "200"}
	_, c = startManaged(t, Options{TimeScale: 0.5}, cpuBound)
	got := durations(t, invokeAtOnce(c, n))
	for k, d := range got {
		// The k-th shares 2 vCPUs with k invocations: k × 200 / 2 ms.
		if want := max(200, float64(k+1)*100) + runtimeOverhead; math.Abs(d-want) > 0.01 {
			t.Errorf("CPU-bound invocation admitted %d-th took %.2f ms, want %.2f", k+1, d, want)
		}
	}

	// So more invocations in flight serve more requests for the I/O-bound
	// function, nearly in proportion, and none for the CPU-bound one once
	// its two vCPUs are busy.
	rate := func(cpuMs, ioMs float64, inFlight int) float64 {
		return PredictedThroughput(ManagedLoad{MemoryMB: 4096, MemoryGiBPerVCpu: 2, Concurrency: inFlight, CPUMs: cpuMs, IOMs: ioMs})
	}
	if gain := rate(10, 200, n) / rate(10, 200, 2); gain < 3.9 {
		t.Errorf("I/O-bound: %d in flight serve %.2f× what 2 do, want about 4×", n, gain)
	}
	if gain := rate(200, 0, n) / rate(200, 0, 2); gain > 1.01 {
		t.Errorf("CPU-bound: %d in flight serve %.2f× what 2 do, want no gain", n, gain)
	}
}

// TestManagedOutOfMemory: each in-flight invocation holds SIM_INVOCATION_MB;
// the one that finds the environment's memory used up fails.
func TestManagedOutOfMemory(t *testing.T) {
	// One environment of 4096 MB: the runtime and two invocations fit, not three.
	mc := managedCase{maxVCpus: 2, memory: 4096, ratio: 2, concurrency: 10, env: map[string]string{"SIM_IO_MS": "200", "SIM_INVOCATION_MB": "1500"}}
	_, c := startManaged(t, Options{TimeScale: 0.5}, mc)
	var oom []managedResult
	for _, r := range invokeAtOnce(c, 3) {
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.funcError != "" {
			oom = append(oom, r)
		}
	}
	if len(oom) != 1 {
		t.Fatalf("%d invocations failed, want 1", len(oom))
	}
	if !strings.HasSuffix(oom[0].report, "\tMax Memory Used: 4096 MB\tStatus: error\tError Type: Runtime.OutOfMemory") {
		t.Errorf("REPORT of the failed invocation: %q", oom[0].report)
	}
	// Alone, an invocation fits.
	if r := invokeManaged(c); r.err != nil || r.funcError != "" {
		t.Errorf("a lone invocation: %+v", r)
	}
}

// TestManagedThrottlingAndScaling: with every environment full the caller
// gets 429; the fleet doubles after ManagedScaleDelay, up to what the
// provider's MaxVCpuCount allows.
func TestManagedThrottlingAndScaling(t *testing.T) {
	clock := newFakeClock()
	// 2-vCPU environments, one invocation each; 8 vCPUs allow 4 environments.
	mc := managedCase{maxVCpus: 8, memory: 4096, ratio: 2, concurrency: 1, env: map[string]string{"SIM_IO_MS": "200"}}
	s, c := startManaged(t, Options{TimeScale: 0.5, ManagedScaleDelay: time.Minute, Clock: clock.Now}, mc)

	throttled := func(rs []managedResult) int {
		t.Helper()
		n := 0
		for _, r := range rs {
			var tm *types.TooManyRequestsException
			switch {
			case r.err == nil && r.funcError == "":
			case errors.As(r.err, &tm) && tm.Reason == types.ThrottleReasonConcurrentInvocationLimitExceeded:
				n++
			default:
				t.Fatalf("invocation: %+v", r)
			}
		}
		return n
	}
	if got := throttled(invokeAtOnce(c, 4)); got != 1 {
		t.Errorf("4 at once on 3 environments: %d throttled, want 1", got)
	}
	if n := s.ManagedEnvironments("", "lmi", "1"); n != initialEnvironments {
		t.Errorf("before the scale delay: %d environments, want %d", n, initialEnvironments)
	}
	clock.Advance(59 * time.Second)
	if got := throttled(invokeAtOnce(c, 4)); got != 1 {
		t.Errorf("still scaling: %d throttled, want 1", got)
	}
	clock.Advance(time.Second)
	if got := throttled(invokeAtOnce(c, 4)); got != 0 {
		t.Errorf("after scaling: %d throttled, want 0", got)
	}
	if got := throttled(invokeAtOnce(c, 5)); got != 1 {
		t.Errorf("5 at once at the provider's limit: %d throttled, want 1", got)
	}
	clock.Advance(time.Hour)
	if n := s.ManagedEnvironments("", "lmi", "1"); n != 4 {
		t.Errorf("at MaxVCpuCount 8: %d environments, want 4", n)
	}
	if st := s.Stats(); st.ColdStarts != 0 || st.Throttled != 3 {
		t.Errorf("stats: %d cold starts (want 0), %d throttled (want 3)", st.ColdStarts, st.Throttled)
	}
}

// TestManagedReportLine: no Init Duration, ever; memory as configured.
func TestManagedReportLine(t *testing.T) {
	mc := managedCase{memory: 8192, ratio: 4, env: map[string]string{"SIM_CPU_MS": "100"}}
	_, c := startManaged(t, Options{}, mc)
	r := invokeManaged(c)
	if r.err != nil {
		t.Fatal(r.err)
	}
	// 2 vCPUs, one thread: 100 ms of CPU.
	want := regexp.MustCompile(`^REPORT RequestId: [0-9a-f-]+\tDuration: 100\.60 ms\tBilled Duration: 101 ms\tMemory Size: 8192 MB\tMax Memory Used: 39 MB\t$`)
	if !want.MatchString(r.report) {
		t.Errorf("REPORT = %q", r.report)
	}
}

// TestPredictedThroughputMatchesClosedLoad: a closed loop keeping
// Concurrency invocations in flight on one environment measures, in
// simulated time (the durations its callers waited), the throughput
// PredictedThroughput states, within 10 %. The time scale keeps them in
// flight together for real.
func TestPredictedThroughputMatchesClosedLoad(t *testing.T) {
	const timeScale, rounds = 0.25, 6
	tests := []struct {
		name string
		load ManagedLoad
	}{
		{"cpu-bound", ManagedLoad{MemoryMB: 4096, MemoryGiBPerVCpu: 2, Concurrency: 4, CPUMs: 200}},
		{"io-bound", ManagedLoad{MemoryMB: 4096, MemoryGiBPerVCpu: 2, Concurrency: 16, CPUMs: 10, IOMs: 200}},
		{"mixed", ManagedLoad{MemoryMB: 8192, MemoryGiBPerVCpu: 4, Concurrency: 6, CPUMs: 60, IOMs: 100}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.load
			mc := managedCase{maxVCpus: int32(float64(l.MemoryMB) / 1024 / l.MemoryGiBPerVCpu), memory: l.MemoryMB, ratio: l.MemoryGiBPerVCpu,
				concurrency: int32(l.Concurrency), env: map[string]string{"SIM_CPU_MS": strconv.FormatFloat(l.CPUMs, 'f', -1, 64), "SIM_IO_MS": strconv.FormatFloat(l.IOMs, 'f', -1, 64)}}
			s, c := startManaged(t, Options{TimeScale: timeScale}, mc)
			// Each worker's own simulated time is the sum of the durations
			// it waited for; the load's length is the longest of them.
			busy := make([]float64, l.Concurrency)
			var wg sync.WaitGroup
			errs := make(chan error, l.Concurrency)
			for w := range l.Concurrency {
				wg.Go(func() {
					for range rounds {
						r := invokeManaged(c)
						if r.err != nil || r.funcError != "" {
							errs <- errors.Join(r.err, errors.New(r.funcError))
							return
						}
						busy[w] += r.duration
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			measured := float64(l.Concurrency*rounds) / (slices.Max(busy) / 1000)
			predicted := PredictedThroughput(l)
			if math.Abs(measured-predicted) > 0.1*predicted {
				t.Errorf("measured %.2f req/s, predicted %.2f", measured, predicted)
			}
			if n := s.ManagedEnvironments("", "lmi", "1"); n != 1 {
				t.Errorf("%d environments, want the one the provider allows", n)
			}
		})
	}
}

func TestPredictedThroughput(t *testing.T) {
	tests := []struct {
		load ManagedLoad
		want float64
	}{
		// 1 vCPU, 8 in flight, 10 ms CPU: CPU is not saturated (80 < 210).
		{ManagedLoad{MemoryMB: 2048, Concurrency: 8, CPUMs: 10, IOMs: 200}, 8000 / 210.6},
		// 2 vCPUs, saturated: 4 × 200 / 2 = 400 ms each.
		{ManagedLoad{MemoryMB: 4096, MemoryGiBPerVCpu: 2, Concurrency: 4, CPUMs: 200}, 4000 / 400.6},
		// 4 threads use the 4 vCPUs alone.
		{ManagedLoad{MemoryMB: 8192, MemoryGiBPerVCpu: 2, Concurrency: 1, CPUMs: 400, Threads: 4}, 1000 / 100.6},
		{ManagedLoad{MemoryMB: 2048, MemoryGiBPerVCpu: 4, Concurrency: 1, CPUMs: 10}, 0}, // half a vCPU
		{ManagedLoad{MemoryMB: 2048, CPUMs: 10}, 0},
	}
	for _, tc := range tests {
		if got := PredictedThroughput(tc.load); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("PredictedThroughput(%+v) = %v, want %v", tc.load, got, tc.want)
		}
	}
}
