package lambdasim

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

var reportText = regexp.MustCompile(`^REPORT RequestId: ([0-9a-f-]{36})\tDuration: (\d+\.\d\d) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB\t(Init Duration: (\d+\.\d\d) ms\t)?(Restore Duration: (\d+\.\d\d) ms\tBilled Restore Duration: (\d+) ms\t)?(Status: .*)?$`)

type report struct {
	requestID                     string
	duration, init, restore       float64
	billed, billedRestore, memory int
	status                        string
	hasInit, hasRestore           bool
}

func parseReport(t *testing.T, line string) report {
	t.Helper()
	m := reportText.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("REPORT line does not have AWS's shape: %q", line)
	}
	f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	i := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return report{requestID: m[1], duration: f(m[2]), billed: i(m[3]), memory: i(m[4]),
		init: f(m[7]), restore: f(m[9]), billedRestore: i(m[10]), status: m[11], hasInit: m[6] != "", hasRestore: m[8] != ""}
}

func TestInvokeTextLogAndBilling(t *testing.T) {
	_, c := startWith(t, Options{Seed: 7}, FunctionSpec{Name: "fn", MemorySize: 1769, Environment: map[string]string{"SIM_CPU_MS": "100", "SIM_INIT_MS": "200"}})

	out, log := invokeTail(t, c, "fn", "", `{"hello":"world"}`)
	if string(out.Payload) != `{"hello":"world"}` || out.StatusCode != 200 || out.FunctionError != nil {
		t.Errorf("echo: status %d payload %s error %v", out.StatusCode, out.Payload, out.FunctionError)
	}
	lines := strings.Split(strings.TrimSuffix(log, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "INIT_START Runtime Version: nodejs:20.") || !strings.HasPrefix(lines[1], "START RequestId: ") ||
		!strings.HasSuffix(lines[1], " Version: $LATEST") || !strings.HasPrefix(lines[2], "END RequestId: ") {
		t.Errorf("cold log lines:\n%s", log)
	}
	cold := parseReport(t, lines[3])
	if !strings.HasSuffix(lines[3], "\t") {
		t.Errorf("the REPORT line ends with a tab: %q", lines[3])
	}
	if !cold.hasInit || cold.memory != 1769 {
		t.Errorf("cold REPORT: %+v", cold)
	}
	// One full vCPU: 100 ms of CPU plus the runtime's overhead, no noise configured.
	if cold.duration < 100 || cold.duration > 101 {
		t.Errorf("Duration = %.2f, want about 100.6 at one vCPU", cold.duration)
	}
	if want := int(math.Ceil(cold.duration + cold.init)); cold.billed != want {
		t.Errorf("Billed Duration = %d, want ceil(Duration + Init Duration) = %d", cold.billed, want)
	}
	if !strings.Contains(lines[1], cold.requestID) {
		t.Errorf("START and REPORT name the same request: %s / %s", lines[1], cold.requestID)
	}

	_, log = invokeTail(t, c, "fn", "", `{}`)
	warm := parseReport(t, reportLine(t, log))
	if warm.hasInit || strings.Contains(log, "INIT_START") {
		t.Errorf("the second invocation is warm:\n%s", log)
	}
	if want := int(math.Ceil(warm.duration)); warm.billed != want {
		t.Errorf("warm Billed Duration = %d, want %d", warm.billed, want)
	}
}

func TestInvokeJSONLog(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn", LogFormat: "JSON", Environment: map[string]string{"SIM_CPU_MS": "20", "SIM_LOG_BYTES": "200"}})
	_, log := invokeTail(t, c, "fn", "", `{}`)
	var types []string
	var report struct {
		Record struct {
			RequestID string `json:"requestId"`
			Status    string `json:"status"`
			Metrics   struct {
				DurationMs       float64  `json:"durationMs"`
				BilledDurationMs int      `json:"billedDurationMs"`
				MemorySizeMB     int      `json:"memorySizeMB"`
				MaxMemoryUsedMB  int      `json:"maxMemoryUsedMB"`
				InitDurationMs   *float64 `json:"initDurationMs"`
			} `json:"metrics"`
		} `json:"record"`
	}
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("every JSON log line is an object: %q: %v", line, err)
		}
		typ, _ := ev["type"].(string)
		if typ == "" {
			typ = "app:" + ev["level"].(string)
		}
		types = append(types, typ)
		if typ == "platform.report" {
			_ = json.Unmarshal([]byte(line), &report)
		}
	}
	if types[0] != "platform.initStart" || types[1] != "platform.start" || types[2] != "app:INFO" ||
		types[len(types)-2] != "platform.runtimeDone" || types[len(types)-1] != "platform.report" {
		t.Errorf("JSON event order = %v", types)
	}
	m := report.Record.Metrics
	if report.Record.Status != "success" || m.MemorySizeMB != 128 || m.InitDurationMs == nil || m.MaxMemoryUsedMB <= 0 {
		t.Errorf("platform.report record = %+v", report.Record)
	}
	if want := int(math.Ceil(m.DurationMs + *m.InitDurationMs - 1e-9)); m.BilledDurationMs != want {
		t.Errorf("billedDurationMs = %d, want %d", m.BilledDurationMs, want)
	}
}

func TestLogTailKeepsTheLast4KB(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "chatty", Environment: map[string]string{"SIM_LOG_BYTES": "20000"}})
	_, log := invokeTail(t, c, "chatty", "", "{}")
	if len(log) != 4096 {
		t.Errorf("tail is %d bytes, want 4096", len(log))
	}
	if strings.Contains(log, "START RequestId") {
		t.Error("the START line scrolled out of the tail")
	}
	parseReport(t, reportLine(t, log))
}

func TestCPUScalesWithMemoryAndThreads(t *testing.T) {
	s, c := startWith(t, Options{})
	duration := func(name string, memory int32, env map[string]string) float64 {
		if _, err := s.AddFunction(FunctionSpec{Name: name, MemorySize: memory, Timeout: 900, Environment: env}); err != nil {
			t.Fatal(err)
		}
		_, log := invokeTail(t, c, name, "", "{}")
		return parseReport(t, reportLine(t, log)).duration
	}
	cpu := map[string]string{"SIM_CPU_MS": "1000"}
	d128 := duration("m128", 128, cpu)
	d1769 := duration("m1769", 1769, cpu)
	d3538 := duration("m3538", 3538, cpu)
	threads := map[string]string{"SIM_CPU_MS": "1000", "SIM_THREADS": "2"}
	t3538 := duration("t3538", 3538, threads)
	t10240 := duration("t10240", 10240, map[string]string{"SIM_CPU_MS": "1200", "SIM_THREADS": "8"})
	io := duration("io", 128, map[string]string{"SIM_IO_MS": "300"})

	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1 {
			t.Errorf("%s: Duration %.2f, want about %.2f", name, got, want)
		}
	}
	near("128 MB, single thread", d128, 1000*1769.0/128+runtimeOverhead)
	near("1769 MB = 1 vCPU", d1769, 1000+runtimeOverhead)
	near("3538 MB, single thread cannot use 2 vCPUs", d3538, 1000+runtimeOverhead)
	near("3538 MB, 2 threads", t3538, 500+runtimeOverhead)
	near("10240 MB, 8 threads use all 5.79 vCPUs", t10240, 1200*1769.0/10240+runtimeOverhead)
	near("I/O does not shrink", io, 300+runtimeOverhead)
}

func TestFunctionFailures(t *testing.T) {
	_, c := startWith(t, Options{},
		FunctionSpec{Name: "slow", Timeout: 3, Environment: map[string]string{"SIM_CPU_MS": "5000"}, MemorySize: 1769},
		FunctionSpec{Name: "hungry", MemorySize: 256, Environment: map[string]string{"SIM_MIN_MEMORY": "512"}},
		FunctionSpec{Name: "broken", Environment: map[string]string{"SIM_ERROR_RATE": "1", "SIM_ERROR_TYPE": "CustomError", "SIM_ERROR_MESSAGE": "boom"}})

	out, log := invokeTail(t, c, "slow", "", "{}")
	rep := parseReport(t, reportLine(t, log))
	if aws.ToString(out.FunctionError) != "Unhandled" || rep.status != "Status: timeout" || rep.duration != 3000 {
		t.Errorf("timeout: error %q, REPORT %+v", aws.ToString(out.FunctionError), rep)
	}
	wantBody := `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: ` + rep.requestID + ` Error: Task timed out after 3.00 seconds"}`
	if string(out.Payload) != wantBody {
		t.Errorf("timeout body = %s\nwant %s", out.Payload, wantBody)
	}

	out, log = invokeTail(t, c, "hungry", "", "{}")
	rep = parseReport(t, reportLine(t, log))
	if aws.ToString(out.FunctionError) != "Unhandled" || rep.status != "Status: error\tError Type: Runtime.OutOfMemory" ||
		!bytes.Contains(out.Payload, []byte(`"errorType":"Runtime.OutOfMemory"`)) {
		t.Errorf("out of memory: error %q, status %q, body %s", aws.ToString(out.FunctionError), rep.status, out.Payload)
	}

	out, _ = invokeTail(t, c, "broken", "", "{}")
	var doc struct {
		ErrorType    string   `json:"errorType"`
		ErrorMessage string   `json:"errorMessage"`
		StackTrace   []string `json:"stackTrace"`
	}
	if err := json.Unmarshal(out.Payload, &doc); err != nil {
		t.Fatalf("function error body: %v", err)
	}
	if out.StatusCode != 200 || aws.ToString(out.FunctionError) != "Unhandled" || doc.ErrorType != "CustomError" || doc.ErrorMessage != "boom" || len(doc.StackTrace) == 0 {
		t.Errorf("function error: status %d, header %q, body %+v", out.StatusCode, aws.ToString(out.FunctionError), doc)
	}
}

func TestInvokeRequestChecks(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn", Environment: map[string]string{"SIM_OUTPUT": `"fixed"`}})

	big := append(append([]byte(`"`), bytes.Repeat([]byte("x"), maxSyncPayload)...), '"')
	_, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn"), Payload: big})
	wantAPIError(t, err, 413, "RequestEntityTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation")

	_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn"), Payload: []byte("not json")})
	if err == nil || !strings.Contains(err.Error(), "Could not parse request body into json: ") {
		t.Errorf("invalid JSON: %v", err)
	}
	var code interface{ ErrorCode() string }
	if !errors.As(err, &code) || code.ErrorCode() != "InvalidRequestContentException" {
		t.Errorf("invalid JSON code: %v", err)
	}

	out, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn"), Payload: []byte(`{}`)})
	if err != nil || string(out.Payload) != `"fixed"` {
		t.Errorf("SIM_OUTPUT: %v %s", err, out.Payload)
	}
	out, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn"), InvocationType: types.InvocationTypeDryRun})
	if err != nil || out.StatusCode != 204 {
		t.Errorf("DryRun: %v status %d", err, out.StatusCode)
	}
	out, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{}`)})
	if err != nil || out.StatusCode != 202 {
		t.Errorf("Event: %v status %d", err, out.StatusCode)
	}
}

func TestSeedMakesMeasurementsReproducible(t *testing.T) {
	durations := func(seed int64) []float64 {
		_, c := startWith(t, Options{Seed: seed}, FunctionSpec{Name: "noisy", Environment: map[string]string{"SIM_CPU_MS": "100", "SIM_NOISE": "0.1"}})
		var out []float64
		for range 5 {
			_, log := invokeTail(t, c, "noisy", "", "{}")
			out = append(out, parseReport(t, reportLine(t, log)).duration)
		}
		return out
	}
	a, b, other := durations(3), durations(3), durations(4)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different durations: %v vs %v", a, b)
	}
	if slices.Equal(a, other) {
		t.Errorf("different seeds gave identical noise: %v", a)
	}
	distinct := map[float64]bool{}
	for _, d := range a {
		distinct[d] = true
	}
	if len(distinct) < 4 {
		t.Errorf("noise should vary durations: %v", a)
	}
}

func TestActiveTracingAddsTheXRayLine(t *testing.T) {
	_, c := startWith(t, Options{})
	in := createInput("traced")
	in.TracingConfig = &types.TracingConfig{Mode: types.TracingModeActive}
	if _, err := c.CreateFunction(ctx(t), in); err != nil {
		t.Fatal(err)
	}
	waitActive := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	})
	if err := waitActive.Wait(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("traced")}, 10*time.Second); err != nil {
		t.Fatalf("FunctionActiveV2 waiter: %v", err)
	}
	_, log := invokeTail(t, c, "traced", "", "{}")
	lines := strings.Split(strings.TrimSuffix(log, "\n"), "\n")
	last := lines[len(lines)-1]
	if !regexp.MustCompile(`^XRAY TraceId: 1-[0-9a-f]{8}-[0-9a-f]{24}\tSegmentId: [0-9a-f]{16}\tSampled: true\t$`).MatchString(last) {
		t.Errorf("last line = %q, want the XRAY line", last)
	}
	parseReport(t, lines[len(lines)-2])
}

func TestUpdateFunctionCodeCanPublish(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	out, err := c.UpdateFunctionCode(ctx(t), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("fn"), ZipFile: testZip("v2"), Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Version) != "1" || aws.ToString(out.CodeSha256) != codeSha256(testZip("v2")) {
		t.Errorf("published %s with %s", aws.ToString(out.Version), aws.ToString(out.CodeSha256))
	}
}

func TestInvokeArchitectureDependentPerformance(t *testing.T) {
	env := map[string]string{"SIM_CPU_MS": "100", "SIM_ARM64_CPU_FACTOR": "1.5"}
	native := map[string]string{"SIM_CPU_MS": "100", "SIM_ONLY_ARCHITECTURE": "x86_64"}
	_, c := startWith(t, Options{Seed: 7},
		FunctionSpec{Name: "x86", MemorySize: 1769, Environment: env},
		FunctionSpec{Name: "arm", MemorySize: 1769, Architecture: "arm64", Environment: env},
		FunctionSpec{Name: "native-x86", MemorySize: 1769, Environment: native},
		FunctionSpec{Name: "native-arm", MemorySize: 1769, Architecture: "arm64", Environment: native},
	)
	duration := func(name string) float64 {
		_, log := invokeTail(t, c, name, "", `{}`)
		return parseReport(t, reportLine(t, log)).duration
	}
	if x, a := duration("x86"), duration("arm"); x < 100 || x > 101 || a < 150 || a > 151 {
		t.Errorf("durations x86_64 %.2f ms, arm64 %.2f ms; want about 100.6 and 150.6 (SIM_ARM64_CPU_FACTOR 1.5)", x, a)
	}
	if out, _ := invokeTail(t, c, "native-x86", "", `{}`); out.FunctionError != nil {
		t.Errorf("native code on its own architecture failed: %s", out.Payload)
	}
	out, _ := invokeTail(t, c, "native-arm", "", `{}`)
	if out.FunctionError == nil || !strings.Contains(string(out.Payload), "Runtime.InvalidEntrypoint") {
		t.Errorf("x86_64 native code on arm64: error %v, payload %s; want Runtime.InvalidEntrypoint", out.FunctionError, out.Payload)
	}
}
