package lambdasim

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// streamed is what the SDK's event reader read from one
// InvokeWithResponseStream.
type streamed struct {
	out      *lambda.InvokeWithResponseStreamOutput
	body     []byte
	chunks   int
	complete *types.InvokeWithResponseStreamCompleteEvent
	log      string        // the decoded LogResult
	first    time.Duration // from the call to the first PayloadChunk
	took     time.Duration // from the call to the end of the stream
}

// invokeStream calls InvokeWithResponseStream through the real SDK client
// and reads every event; InvokeComplete must come once, last.
func invokeStream(t *testing.T, c *lambda.Client, in *lambda.InvokeWithResponseStreamInput) *streamed {
	t.Helper()
	start := time.Now()
	out, err := c.InvokeWithResponseStream(ctx(t), in)
	if err != nil {
		t.Fatalf("InvokeWithResponseStream %s: %v", aws.ToString(in.FunctionName), err)
	}
	res := &streamed{out: out}
	stream := out.GetStream()
	defer stream.Close()
	for ev := range stream.Events() {
		if res.complete != nil {
			t.Fatalf("an event after InvokeComplete: %T", ev)
		}
		switch v := ev.(type) {
		case *types.InvokeWithResponseStreamResponseEventMemberPayloadChunk:
			if res.chunks == 0 {
				res.first = time.Since(start)
			}
			res.chunks++
			res.body = append(res.body, v.Value.Payload...)
		case *types.InvokeWithResponseStreamResponseEventMemberInvokeComplete:
			res.complete = &v.Value
		default:
			t.Fatalf("unexpected event %T", ev)
		}
	}
	res.took = time.Since(start)
	if err := stream.Err(); err != nil {
		t.Fatalf("reading the stream: %v", err)
	}
	if res.complete == nil {
		t.Fatal("the stream ended without InvokeComplete")
	}
	if res.complete.LogResult != nil {
		res.log = decodeTail(t, res.complete.LogResult)
	}
	return res
}

func streamInput(name string, payload string) *lambda.InvokeWithResponseStreamInput {
	return &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String(name), Payload: []byte(payload), LogType: types.LogTypeTail}
}

func TestStreamedResponsesReadByTheSDK(t *testing.T) {
	const big = 8 << 20
	s, c := startWith(t, Options{Seed: 5},
		FunctionSpec{Name: "echo", MemorySize: 1769, Environment: map[string]string{"SIM_CPU_MS": "100"}},
		FunctionSpec{Name: "output", Environment: map[string]string{"SIM_OUTPUT": `{"ok":true}`}},
		FunctionSpec{Name: "big", MemorySize: 1769, Environment: map[string]string{"SIM_CPU_MS": "100", "SIM_RESPONSE_BYTES": strconv.Itoa(big)}},
		FunctionSpec{Name: "failing", Environment: map[string]string{"SIM_ERROR_RATE": "1", "SIM_ERROR_TYPE": "TypeError", "SIM_ERROR_MESSAGE": "boom"}},
		FunctionSpec{Name: "json-logs", LogFormat: "JSON", Environment: map[string]string{"SIM_RESPONSE_BYTES": "300000"}},
	)
	tests := []struct {
		name, function, payload string
		size                    int
		body                    string // when not "": the exact body
		errorCode, errorDetails string
		noTail                  bool
	}{
		{name: "echo", function: "echo", payload: `{"hello":"world"}`, body: `{"hello":"world"}`},
		{name: "empty-payload", function: "echo", body: `{}`},
		{name: "no-log-tail", function: "echo", payload: `[1,2,3]`, body: `[1,2,3]`, noTail: true},
		{name: "sim-output", function: "output", body: `{"ok":true}`},
		{name: "8MB", function: "big", size: big},
		{name: "function-error", function: "failing", errorCode: "TypeError", errorDetails: "boom"},
		{name: "json-log-format", function: "json-logs", size: 300000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := streamInput(tc.function, tc.payload)
			if tc.noTail {
				in.LogType = ""
			}
			res := invokeStream(t, c, in)
			if res.out.StatusCode != 200 || aws.ToString(res.out.ExecutedVersion) != "$LATEST" ||
				aws.ToString(res.out.ResponseStreamContentType) != "application/vnd.amazon.eventstream" {
				t.Errorf("status %d, version %q, content type %q", res.out.StatusCode, aws.ToString(res.out.ExecutedVersion), aws.ToString(res.out.ResponseStreamContentType))
			}
			switch {
			case tc.body != "" && string(res.body) != tc.body:
				t.Errorf("body = %.100q, want %q", res.body, tc.body)
			case tc.size > 0 && (len(res.body) != tc.size || !json.Valid(res.body)):
				t.Errorf("body: %d bytes (valid JSON: %v), want %d", len(res.body), json.Valid(res.body), tc.size)
			}
			if tc.size > 0 && res.chunks < tc.size/streamChunk {
				t.Errorf("%d bytes came in %d PayloadChunk events, want at most %d bytes each", len(res.body), res.chunks, streamChunk)
			}
			if tc.errorCode != "" && len(res.body) != 0 {
				t.Errorf("a failed function streamed %d bytes", len(res.body))
			}
			if got, want := aws.ToString(res.complete.ErrorCode), tc.errorCode; got != want {
				t.Errorf("ErrorCode = %q, want %q", got, want)
			}
			if got, want := aws.ToString(res.complete.ErrorDetails), tc.errorDetails; got != want {
				t.Errorf("ErrorDetails = %q, want %q", got, want)
			}
			if tc.noTail {
				if res.complete.LogResult != nil {
					t.Error("LogResult without LogType Tail")
				}
				return
			}
			if tc.function == "json-logs" {
				if !strings.Contains(res.log, `"type":"platform.report"`) {
					t.Errorf("JSON log without platform.report:\n%s", res.log)
				}
				return
			}
			rep := parseReport(t, reportLine(t, res.log))
			if !strings.Contains(res.log, "START RequestId: "+rep.requestID) {
				t.Errorf("log tail:\n%s", res.log)
			}
		})
	}
	if got := s.Stats().Requests["InvokeWithResponseStream"]; got != len(tests) {
		t.Errorf("Requests[InvokeWithResponseStream] = %d, want %d", got, len(tests))
	}
	if got := s.Calls().Count(QuotaInvoke); got != len(tests) {
		t.Errorf("invoke-class calls = %d, want %d", got, len(tests))
	}
}

// TestStreamedDurationsModelTheTransfer: the first 6 MB leave at full speed,
// the rest at 2 MB/s, and the REPORT line's Duration counts it; a transfer
// longer than the function's timeout is cut there. TimeScale 0: nothing is
// slept, only reported.
func TestStreamedDurationsModelTheTransfer(t *testing.T) {
	fn := func(name string, bytes int, timeout int32) FunctionSpec {
		return FunctionSpec{Name: name, MemorySize: 1769, Timeout: timeout,
			Environment: map[string]string{"SIM_CPU_MS": "100", "SIM_INIT_MS": "200", "SIM_RESPONSE_BYTES": strconv.Itoa(bytes)}}
	}
	_, c := startWith(t, Options{},
		fn("small", 1000, 30), fn("six", 6<<20, 30), fn("eight", 8<<20, 30), fn("forty", 40<<20, 30), fn("slow", 40<<20, 3))
	const compute = 100.6 // 100 ms of CPU at one vCPU plus the runtime's 0.6 ms
	tests := []struct {
		function string
		size     int
		duration float64
		timeout  bool
	}{
		{"small", 1000, compute, false},
		{"six", 6 << 20, compute, false},
		{"eight", 8 << 20, compute + 1000, false},   // 2 MB beyond 6 MB at 2 MB/s
		{"forty", 40 << 20, compute + 17000, false}, // 34 MB beyond
		{"slow", -1, 3000, true},                    // cut by its 3 s timeout
	}
	for _, tc := range tests {
		t.Run(tc.function, func(t *testing.T) {
			res := invokeStream(t, c, streamInput(tc.function, ""))
			rep := parseReport(t, reportLine(t, res.log))
			if math.Abs(rep.duration-tc.duration) > 0.005 || !rep.hasInit {
				t.Errorf("REPORT Duration %.2f (init %v), want %.2f", rep.duration, rep.hasInit, tc.duration)
			}
			if want := int(rep.duration + rep.init + 0.999); rep.billed != want {
				t.Errorf("Billed Duration %d, want %d", rep.billed, want)
			}
			if !tc.timeout {
				if len(res.body) != tc.size || res.complete.ErrorCode != nil {
					t.Errorf("%d bytes, ErrorCode %q", len(res.body), aws.ToString(res.complete.ErrorCode))
				}
				return
			}
			plan := streamPlan{size: 40 << 20, firstMs: compute * firstByteShare, computeMs: compute}
			if want := plan.sentBy(3000); int64(len(res.body)) != want || want <= 6<<20 {
				t.Errorf("a cut stream carried %d bytes, want the %d out by the timeout", len(res.body), want)
			}
			if rep.status != "Status: timeout" || aws.ToString(res.complete.ErrorCode) != "Sandbox.Timedout" ||
				aws.ToString(res.complete.ErrorDetails) != "RequestId: "+rep.requestID+" Error: Task timed out after 3.00 seconds" {
				t.Errorf("REPORT status %q, ErrorCode %q, ErrorDetails %q", rep.status, aws.ToString(res.complete.ErrorCode), aws.ToString(res.complete.ErrorDetails))
			}
		})
	}

	// The same function invoked buffered reports its work alone (and, over
	// 6 MB, fails).
	out, log := invokeTail(t, c, "six", "", "")
	if rep := parseReport(t, reportLine(t, log)); rep.duration != compute || out.FunctionError != nil {
		t.Errorf("buffered: Duration %.2f, FunctionError %q", rep.duration, aws.ToString(out.FunctionError))
	}
}

// TestStreamedResponseLimit: a streamed response carries at most 200 MB;
// beyond it the stream ends with Function.ResponseSizeTooLarge.
func TestStreamedResponseLimit(t *testing.T) {
	for _, tc := range []struct {
		size      int64
		sent      int64
		truncated bool
	}{
		{100 << 20, 100 << 20, false},
		{maxStreamBytes, maxStreamBytes, false},
		{maxStreamBytes + 1, maxStreamBytes, true},
		{1 << 30, maxStreamBytes, true},
	} {
		p := parseSimParams(map[string]string{"SIM_RESPONSE_BYTES": strconv.FormatInt(tc.size, 10)})
		inv := &invocation{params: &p, outcome: outcome{duration: 10000}}
		plan, truncated := planStream(inv, maxTimeout)
		if plan.size != tc.sent || truncated != tc.truncated {
			t.Errorf("%d bytes: plan sends %d (truncated %v), want %d (%v)", tc.size, plan.size, truncated, tc.sent, tc.truncated)
		}
		wantMs := 100 + float64(tc.sent-streamUncappedBytes)*1000/streamBytesPerSecond
		if got := float64(inv.outcome.duration) / 100; got < wantMs-0.01 || got > wantMs+0.01 {
			t.Errorf("%d bytes: Duration %.2f ms, want %.2f", tc.size, got, wantMs)
		}
	}
}

// TestStreamIsPacedInRealTime: with a TimeScale, the first chunk leaves
// after the init and a share of the work, and the stream beyond 6 MB takes
// its 2 MB/s. Only lower bounds: a loaded machine may be slower, never faster.
func TestStreamIsPacedInRealTime(t *testing.T) {
	const scale = 0.05
	_, c := startWith(t, Options{TimeScale: scale}, FunctionSpec{Name: "fn", MemorySize: 1769, Timeout: 30,
		Environment: map[string]string{"SIM_CPU_MS": "1000", "SIM_INIT_MS": "1000", "SIM_RESPONSE_BYTES": strconv.Itoa(8 << 20)}})
	ms := func(v float64) time.Duration { return time.Duration(v * scale * float64(time.Millisecond)) }

	cold := invokeStream(t, c, streamInput("fn", ""))
	rep := parseReport(t, reportLine(t, cold.log))
	if minFirst := ms(rep.init + 1000*firstByteShare); cold.first < minFirst {
		t.Errorf("cold: the first chunk came after %v, before the init and a tenth of the work (%v)", cold.first, minFirst)
	}
	if minTook := ms(rep.init + rep.duration); cold.took < minTook {
		t.Errorf("cold: the stream took %v, less than init + Duration scaled (%v)", cold.took, minTook)
	}
	warm := invokeStream(t, c, streamInput("fn", ""))
	rep = parseReport(t, reportLine(t, warm.log))
	if rep.hasInit || rep.duration < 2000 {
		t.Errorf("warm REPORT: %+v", rep)
	}
	if minTook := ms(rep.duration); warm.took < minTook {
		t.Errorf("warm: the stream took %v, less than its Duration scaled (%v)", warm.took, minTook)
	}
}

func TestStreamRequests(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "fn"}, FunctionSpec{Name: "isolated", TenantIsolationMode: "PER_TENANT"})

	// DryRun: 204, nothing run.
	out, err := c.InvokeWithResponseStream(ctx(t), &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("fn"), InvocationType: types.ResponseStreamingInvocationTypeDryRun})
	if err != nil || out.StatusCode != http.StatusNoContent {
		t.Fatalf("DryRun: %v, status %d", err, out.StatusCode)
	}
	// Its stream is empty. (Read it to its end: the client's event decoder
	// is shared by its streams, so they must not overlap.)
	for ev := range out.GetStream().Events() {
		t.Errorf("a DryRun streamed %T", ev)
	}
	_ = out.GetStream().Close()
	if got := s.Stats().Invocations; got != 0 {
		t.Errorf("a DryRun ran the function: Invocations = %d", got)
	}
	_, err = c.InvokeWithResponseStream(ctx(t), &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("fn"), InvocationType: "Event"})
	wantAPIError(t, err, http.StatusBadRequest, "ValidationException",
		"1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]")
	_, err = c.InvokeWithResponseStream(ctx(t), &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("missing")})
	wantAPIError(t, err, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+testARN+"missing")

	// A version or alias streams as Invoke runs it.
	publish(t, c, "fn", "")
	in := streamInput("fn", `{"v":1}`)
	in.Qualifier = aws.String("1")
	if res := invokeStream(t, c, in); aws.ToString(res.out.ExecutedVersion) != "1" || !bytes.Equal(res.body, []byte(`{"v":1}`)) {
		t.Errorf("version 1: ExecutedVersion %q, body %s", aws.ToString(res.out.ExecutedVersion), res.body)
	}

	// Tenants have environments of their own when streaming too.
	for i, step := range []struct {
		tenant string
		cold   bool
	}{{"blue", true}, {"blue", false}, {"green", true}} {
		in := streamInput("isolated", "")
		in.TenantId = aws.String(step.tenant)
		if rep := parseReport(t, reportLine(t, invokeStream(t, c, in).log)); rep.hasInit != step.cold {
			t.Errorf("step %d (%s): cold = %v, want %v", i, step.tenant, rep.hasInit, step.cold)
		}
	}
}
