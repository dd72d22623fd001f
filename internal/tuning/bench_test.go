package tuning

// Benchmarks, run by `make bench`:
//
//	go test -run '^$' -bench . -benchtime 1x ./internal/tuning/
//
// The pipeline benchmarks run the same input twice on an emulator with
// realistic control-plane latency: in the engine's order and in the original
// tool's (configure everything, then execute everything), and report each
// run's wall time divided by its lower bound. The throughput benchmark runs
// the emulator as a separate process so that CPU and memory are the engine's.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// pipelineScenarios are the runs the pipeline benchmark measures, each at
// every pair of latencies of pipelineLatencies: an update settles in about
// 1–5 s on AWS, and every control-plane call takes tens of milliseconds to a
// few hundred (50–150 ms from inside the Region, more from a CI runner
// elsewhere), before the 15/s quota paces it further.
var (
	pipelineScenarios = []struct {
		name string
		in   spec.Input
	}{
		{"serial6num20", spec.Input{Num: 20, PowerValues: []int32{128, 256, 512, 1024, 1536, 3008}}},
		{"parallel10num50", spec.Input{Num: 50, ParallelInvocation: true,
			PowerValues: []int32{128, 256, 384, 512, 768, 1024, 1536, 2048, 3008, 4096}}},
	}
	pipelineLatencies = []benchLatency{
		{update: time.Second, call: 100 * time.Millisecond},
		{update: 1500 * time.Millisecond, call: 50 * time.Millisecond},
		{update: 1500 * time.Millisecond, call: 150 * time.Millisecond},
		{update: 2500 * time.Millisecond, call: 100 * time.Millisecond},
	}
)

// benchCall is the copies benchmark's control-plane call latency.
const benchCall = 100 * time.Millisecond

// benchLatency is how long the emulator takes to settle an update and to
// answer any control-plane call.
type benchLatency struct{ update, call time.Duration }

func (l benchLatency) String() string { return fmt.Sprintf("update=%v/call=%v", l.update, l.call) }

// BenchmarkPipeline runs each scenario at each pair of latencies twice on
// the same emulator: in the engine's order and in the original tool's
// (configure everything, then execute everything), and reports each wall
// time divided by the engine run's lower bound; the last lines are the
// whole table. The control plane runs in real time (every call takes the
// call latency, updates settle after the update latency, PublishVersion
// takes 100 ms more) within the production request budgets; invocations
// take a twentieth of their reported duration (a CPU-bound function:
// ~1.4 s at 128 MB, ~120 ms from 1769 MB).
func BenchmarkPipeline(b *testing.B) {
	var table []string
	for _, sc := range pipelineScenarios {
		for _, latency := range pipelineLatencies {
			name := sc.name + "/" + latency.String()
			b.Run(name, func(b *testing.B) {
				for range b.N {
					engine, original := benchPipeline(b, sc.in, latency)
					table = append(table, fmt.Sprintf("%-44s engine %.3f × lower bound   original order %.3f ×", name, engine, original))
				}
			})
		}
	}
	// Printed, not logged: a benchmark with sub-benchmarks shows no log of its own.
	fmt.Printf("wall time / lower bound, engine and the original tool's order on the same emulator:\n%s\n", strings.Join(table, "\n"))
}

// benchPipeline runs in once in each order and returns both ratios.
func benchPipeline(b *testing.B, in spec.Input, latency benchLatency) (engine, original float64) {
	sim, err := lambdasim.Start(lambdasim.Options{Seed: 1, TimeScale: 0.05,
		UpdateDelay: latency.update, PublishDelay: 100 * time.Millisecond, ControlPlaneLatency: latency.call})
	if err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	arn, err := sim.AddFunction(lambdasim.FunctionSpec{Name: "bench", Timeout: 60,
		Environment: map[string]string{"SIM_CPU_MS": "100", "SIM_IO_MS": "20", "SIM_NOISE": "0.05"}})
	if err != nil {
		b.Fatal(err)
	}
	in.LambdaARN = arn
	last := in.PowerValues[len(in.PowerValues)-1]
	clients := simClientsWithRates(sim.URL(), 50*time.Millisecond, awsclient.RequestRates{}) // production budgets

	tl := newTimeline(latency.update, latency.call)
	e := New(Config{Clients: clients, Seed: 1, Progress: tl.observe}) // production polling
	if _, err := e.Run(context.Background(), in); err != nil {
		b.Fatal(err)
	}
	wall, bound := tl.wall(), tl.lowerBound(last)
	originalWall, err := runInOriginalOrder(context.Background(), clients.Lambda(""), in)
	if err != nil {
		b.Fatal(err)
	}
	engine, original = float64(wall)/float64(bound), float64(originalWall)/float64(bound)
	b.ReportMetric(engine, "wall/lowerbound")
	b.ReportMetric(original, "original-wall/lowerbound")
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.Logf("engine: wall %v, lower bound %v (read, claim and release %v, chain steps %v, restore %v, last power %v); original order: wall %v",
		wall.Round(time.Millisecond), bound.Round(time.Millisecond), 3*tl.call, tl.steps.Round(time.Millisecond),
		tl.restore.Round(time.Millisecond), tl.execEnd[last].Sub(tl.execStart[last]).Round(time.Millisecond),
		originalWall.Round(time.Millisecond))
	return engine, original
}

// startBenchSim starts the copies benchmark's emulator: updates (and
// creations) take updateDelay to settle, every control-plane call 100 ms,
// PublishVersion 30 ms more, invocations a twentieth of their reported
// duration. It is closed with the benchmark.
func startBenchSim(b *testing.B, updateDelay time.Duration) (sim *lambdasim.Server, arn string) {
	sim, err := lambdasim.Start(lambdasim.Options{Seed: 1, TimeScale: 0.05, UpdateDelay: updateDelay, PublishDelay: 30 * time.Millisecond,
		ControlPlaneLatency: benchCall})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = sim.Close() })
	arn, err = sim.AddFunction(lambdasim.FunctionSpec{Name: "bench", Timeout: 60,
		Environment: map[string]string{"SIM_CPU_MS": "100", "SIM_IO_MS": "20", "SIM_NOISE": "0.05"}})
	if err != nil {
		b.Fatal(err)
	}
	return sim, arn
}

// BenchmarkThroughput20Num1000 runs 20 power values × 1000 parallel
// invocations at time scale 0 against an emulator process.
func BenchmarkThroughput20Num1000(b *testing.B) {
	url, stop := startSimProcess(b)
	defer stop()
	powers := make([]int32, 20)
	for i := range powers {
		powers[i] = int32(128 * (i + 1))
	}
	in := spec.Input{LambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:throughput", Num: 1000,
		PowerValues: powers, ParallelInvocation: true}
	clients := simClients(url, 50*time.Millisecond)
	resetPeakRSS()

	b.ResetTimer()
	for range b.N {
		cpuBefore := processCPU()
		began := time.Now()
		rep, err := New(Config{Clients: clients, Seed: 1, Waits: waiter.Settings{Min: 5 * time.Millisecond}}).Run(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		wall, cpu := time.Since(began), processCPU()-cpuBefore
		var invocations int
		for _, r := range rep.Results {
			invocations += r.Invocations
		}
		if invocations != 20*1000 {
			b.Fatalf("%d invocations, want 20000", invocations)
		}
		b.ReportMetric(float64(invocations)/wall.Seconds(), "invocations/s")
		b.ReportMetric(float64(cpu.Microseconds())/float64(invocations), "cpu-µs/invocation")
	}
	b.StopTimer()
	b.ReportMetric(float64(peakRSSKiB())/1024, "peak-rss-MB")
}

// startSimProcess builds cmd/lambdasim and runs it with the benchmark's
// function preloaded; stop ends it.
func startSimProcess(b *testing.B) (url string, stop func()) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "lambdasim")
	build := exec.Command("go", "build", "-o", bin, "github.com/awspowertuning/terraform-provider-awspowertuning/cmd/lambdasim")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building lambdasim: %v\n%s", err, out)
	}
	preload, err := json.Marshal(lambdasim.Config{Functions: []lambdasim.FunctionSpec{{Name: "throughput", Timeout: 60,
		Environment: map[string]string{"SIM_CPU_MS": "50", "SIM_NOISE": "0.05"}}}})
	if err != nil {
		b.Fatal(err)
	}
	config := filepath.Join(dir, "preload.json")
	if err := os.WriteFile(config, preload, 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-config", config, "-update-delay", "1ms", "-seed", "1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		b.Fatalf("lambdasim did not start: %v", err)
	}
	_, url, _ = strings.Cut(strings.TrimSpace(line), " on ")
	return url, func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if st := cmd.ProcessState; st != nil {
			b.Logf("emulator process CPU: %v", st.UserTime()+st.SystemTime())
		}
	}
}

// processCPU is this process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS starts a new peak-RSS measurement (Linux: clear_refs 5), so
// earlier benchmarks in this process (with in-process emulators) do not count.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSKiB reads VmHWM, the peak resident set size, from /proc.
func peakRSSKiB() int {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return n
		}
	}
	return 0
}
