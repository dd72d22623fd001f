package analysis_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

const logRequestID = "8f5c1e9b-2c4d-4f3a-9b1e-0d2c3b4a5f6e"

// REPORT lines as Lambda writes them to CloudWatch Logs: the text format's
// tab-separated fields (a cold start's billed duration includes the init time
// since August 2025; before that it did not), and the JSON format's
// platform.* events.
const (
	textColdStartPre2025 = "REPORT RequestId: " + logRequestID + "\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t"
	textColdStart        = "REPORT RequestId: " + logRequestID + "\tDuration: 3.01 ms\tBilled Duration: 114 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t"
	textWarm             = "REPORT RequestId: " + logRequestID + "\tDuration: 21.37 ms\tBilled Duration: 22 ms\tMemory Size: 1024 MB\tMax Memory Used: 75 MB\t"
	textSnapStart        = "REPORT RequestId: " + logRequestID + "\tDuration: 20.50 ms\tBilled Duration: 221 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\tRestore Duration: 350.12 ms\tBilled Restore Duration: 200 ms\t"
	textTimeout          = "REPORT RequestId: " + logRequestID + "\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 52 MB\tStatus: timeout"
	textOutOfMemory      = "REPORT RequestId: " + logRequestID + "\tDuration: 812.44 ms\tBilled Duration: 813 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory"
	textXRay             = "XRAY TraceId: 1-5e1b4151-5ac6c58f5b5dbd8a3ed2bcdf\tSegmentId: 6c5a4b1e2e4f3d1b\tSampled: true"

	jsonInitStart    = `{"time":"2025-09-01T10:00:00.000Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs:20.v22","runtimeVersionArn":"arn:aws:lambda:us-east-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9","functionName":"tuned","functionVersion":"3"}}`
	jsonStart        = `{"time":"2025-09-01T10:00:00.180Z","type":"platform.start","record":{"requestId":"` + logRequestID + `","version":"3"}}`
	jsonAppLine      = `{"timestamp":"2025-09-01T10:00:00.185Z","level":"INFO","requestId":"` + logRequestID + `","message":"handled order 42"}`
	jsonRuntimeDone  = `{"time":"2025-09-01T10:00:00.192Z","type":"platform.runtimeDone","record":{"requestId":"` + logRequestID + `","status":"success","metrics":{"durationMs":11.5,"producedBytes":20}}}`
	jsonReport       = `{"time":"2025-09-01T10:00:00.193Z","type":"platform.report","record":{"requestId":"` + logRequestID + `","status":"success","metrics":{"durationMs":11.642,"billedDurationMs":12,"memorySizeMB":128,"maxMemoryUsedMB":67,"initDurationMs":174.055}}}`
	jsonWarmReport   = `{"time":"2025-09-01T10:00:01.000Z","type":"platform.report","record":{"requestId":"` + logRequestID + `","status":"success","metrics":{"durationMs":8.25,"billedDurationMs":9,"memorySizeMB":256,"maxMemoryUsedMB":70}}}`
	jsonSnapStart    = `{"time":"2025-09-01T10:00:01.000Z","type":"platform.report","record":{"requestId":"` + logRequestID + `","status":"success","metrics":{"durationMs":20.5,"billedDurationMs":221,"memorySizeMB":512,"maxMemoryUsedMB":90,"restoreDurationMs":350.12,"billedRestoreDurationMs":200}}}`
	jsonTimeout      = `{"time":"2025-09-01T10:00:03.000Z","type":"platform.report","record":{"requestId":"` + logRequestID + `","status":"timeout","metrics":{"durationMs":3000.0,"billedDurationMs":3000,"memorySizeMB":128,"maxMemoryUsedMB":52}}}`
	jsonOutOfMemory  = `{"time":"2025-09-01T10:00:03.000Z","type":"platform.report","record":{"requestId":"` + logRequestID + `","status":"error","errorType":"Runtime.OutOfMemory","metrics":{"durationMs":812.44,"billedDurationMs":813,"memorySizeMB":128,"maxMemoryUsedMB":128}}}`
	jsonOnlyRequired = `{"type":"platform.report","record":{"metrics":{"durationMs":5,"billedDurationMs":5}}}`
)

// textLog wraps a REPORT line in the lines Lambda writes around it.
func textLog(cold bool, app []string, report string, after ...string) string {
	var lines []string
	if cold {
		lines = append(lines, "INIT_START Runtime Version: nodejs:20.v22\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0cdcfbde")
	}
	lines = append(lines, "START RequestId: "+logRequestID+" Version: 3")
	lines = append(lines, app...)
	lines = append(lines, "END RequestId: "+logRequestID, report)
	lines = append(lines, after...)
	return strings.Join(lines, "\n") + "\n"
}

// lastBytes is what X-Amz-Log-Result carries: the last 4 KB of the log.
func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

func TestParseLogTail(t *testing.T) {
	// A function that printed 10 KB before its REPORT line.
	var longApp []string
	for i := range 200 {
		longApp = append(longApp, "2025-09-01T10:00:00.100Z\t"+logRequestID+"\tINFO\tprocessing item "+strings.Repeat("x", 20)+" #"+string(rune('a'+i%26)))
	}
	longText := textLog(false, longApp, textWarm)
	if len(longText) < 8192 {
		t.Fatalf("test setup: long log is only %d bytes", len(longText))
	}

	prettyJSONApp := []string{
		"{",
		`  "type": "platform.report",`,
		`  "record": {"metrics": {"durationMs": 999, "billedDurationMs": 999}},`,
		`  "note": "REPORT RequestId: fake\tDuration: 999 ms\tBilled Duration: 999 ms"`,
		"}",
	}

	tests := []struct {
		name string
		tail string
		want analysis.Measurement
	}{
		{
			name: "text cold start as recorded before init billing",
			tail: textLog(true, []string{"2025-09-01T10:00:00.100Z\t" + logRequestID + "\tINFO\thello"}, textColdStartPre2025),
			want: analysis.Measurement{DurationMs: 113.11, BilledDurationMs: 4, InitDurationMs: 110.10, MemorySizeMB: 128, MaxMemoryUsedMB: 36, Status: "success"},
		},
		{
			name: "text cold start with init billed",
			tail: textLog(true, nil, textColdStart),
			want: analysis.Measurement{DurationMs: 113.11, BilledDurationMs: 114, InitDurationMs: 110.10, MemorySizeMB: 128, MaxMemoryUsedMB: 36, Status: "success"},
		},
		{
			name: "text warm start",
			tail: textLog(false, nil, textWarm),
			want: analysis.Measurement{DurationMs: 21.37, BilledDurationMs: 22, MemorySizeMB: 1024, MaxMemoryUsedMB: 75, Status: "success"},
		},
		{
			name: "text SnapStart restore is not billed twice",
			tail: textLog(false, nil, textSnapStart),
			want: analysis.Measurement{DurationMs: 370.62, BilledDurationMs: 221, RestoreDurationMs: 350.12, MemorySizeMB: 512, MaxMemoryUsedMB: 90, Status: "success"},
		},
		{
			name: "text timeout",
			tail: textLog(false, []string{"2025-09-01T10:00:03.000Z " + logRequestID + " Task timed out after 3.00 seconds"}, textTimeout),
			want: analysis.Measurement{DurationMs: 3000, BilledDurationMs: 3000, MemorySizeMB: 128, MaxMemoryUsedMB: 52, Status: "timeout"},
		},
		{
			name: "text out of memory",
			tail: textLog(false, nil, textOutOfMemory),
			want: analysis.Measurement{DurationMs: 812.44, BilledDurationMs: 813, MemorySizeMB: 128, MaxMemoryUsedMB: 128, Status: "error", ErrorType: "Runtime.OutOfMemory"},
		},
		{
			name: "text with an XRAY line after the REPORT",
			tail: textLog(true, nil, textColdStart, textXRay),
			want: analysis.Measurement{DurationMs: 113.11, BilledDurationMs: 114, InitDurationMs: 110.10, MemorySizeMB: 128, MaxMemoryUsedMB: 36, Status: "success"},
		},
		{
			name: "text with CRLF line ends",
			tail: strings.ReplaceAll(textLog(false, nil, textWarm), "\n", "\r\n"),
			want: analysis.Measurement{DurationMs: 21.37, BilledDurationMs: 22, MemorySizeMB: 1024, MaxMemoryUsedMB: 75, Status: "success"},
		},
		{
			name: "text REPORT after more than 4 KB of application log, cut to the last 4096 bytes",
			tail: lastBytes(longText, 4096),
			want: analysis.Measurement{DurationMs: 21.37, BilledDurationMs: 22, MemorySizeMB: 1024, MaxMemoryUsedMB: 75, Status: "success"},
		},
		{
			name: "text after multi-line JSON application output that mentions REPORT and platform.report",
			tail: textLog(false, prettyJSONApp, textWarm),
			want: analysis.Measurement{DurationMs: 21.37, BilledDurationMs: 22, MemorySizeMB: 1024, MaxMemoryUsedMB: 75, Status: "success"},
		},
		{
			name: "text: the last of several REPORT lines wins",
			tail: textLog(false, nil, textTimeout) + textLog(false, nil, textWarm),
			want: analysis.Measurement{DurationMs: 21.37, BilledDurationMs: 22, MemorySizeMB: 1024, MaxMemoryUsedMB: 75, Status: "success"},
		},
		{
			name: "text without a trailing newline",
			tail: strings.TrimSuffix(textLog(false, nil, textWarm), "\n"),
			want: analysis.Measurement{DurationMs: 21.37, BilledDurationMs: 22, MemorySizeMB: 1024, MaxMemoryUsedMB: 75, Status: "success"},
		},
		{
			name: "JSON cold start",
			tail: strings.Join([]string{jsonInitStart, jsonStart, jsonAppLine, jsonRuntimeDone, jsonReport}, "\n") + "\n",
			want: analysis.Measurement{DurationMs: 185.697, BilledDurationMs: 12, InitDurationMs: 174.055, MemorySizeMB: 128, MaxMemoryUsedMB: 67, Status: "success"},
		},
		{
			name: "JSON warm start without initDurationMs",
			tail: strings.Join([]string{jsonStart, jsonAppLine, jsonRuntimeDone, jsonWarmReport}, "\n"),
			want: analysis.Measurement{DurationMs: 8.25, BilledDurationMs: 9, MemorySizeMB: 256, MaxMemoryUsedMB: 70, Status: "success"},
		},
		{
			name: "JSON SnapStart restore is not billed twice",
			tail: strings.Join([]string{jsonStart, jsonSnapStart}, "\n"),
			want: analysis.Measurement{DurationMs: 370.62, BilledDurationMs: 221, RestoreDurationMs: 350.12, MemorySizeMB: 512, MaxMemoryUsedMB: 90, Status: "success"},
		},
		{
			name: "JSON timeout",
			tail: strings.Join([]string{jsonStart, jsonTimeout}, "\n"),
			want: analysis.Measurement{DurationMs: 3000, BilledDurationMs: 3000, MemorySizeMB: 128, MaxMemoryUsedMB: 52, Status: "timeout"},
		},
		{
			name: "JSON out of memory",
			tail: strings.Join([]string{jsonStart, jsonOutOfMemory}, "\n"),
			want: analysis.Measurement{DurationMs: 812.44, BilledDurationMs: 813, MemorySizeMB: 128, MaxMemoryUsedMB: 128, Status: "error", ErrorType: "Runtime.OutOfMemory"},
		},
		{
			name: "JSON with only the required metrics and no status",
			tail: jsonOnlyRequired,
			want: analysis.Measurement{DurationMs: 5, BilledDurationMs: 5, Status: "success"},
		},
		{
			name: "JSON report followed by application lines that quote or nest platform.report",
			tail: strings.Join([]string{
				jsonStart,
				jsonWarmReport,
				`{"level":"INFO","message":"{\"type\":\"platform.report\",\"record\":{\"metrics\":{\"durationMs\":9999,\"billedDurationMs\":9999}}}"}`,
				`{"level":"INFO","event":{"type":"platform.report","record":{"metrics":{"durationMs":9999,"billedDurationMs":9999}}}}`,
				`{"level":"INFO","message":"REPORT RequestId: fake\tDuration: 9999 ms\tBilled Duration: 9999 ms"}`,
				textXRay,
			}, "\n"),
			want: analysis.Measurement{DurationMs: 8.25, BilledDurationMs: 9, MemorySizeMB: 256, MaxMemoryUsedMB: 70, Status: "success"},
		},
		{
			name: "JSON after multi-line JSON application output",
			tail: strings.Join(append(append([]string{jsonStart}, prettyJSONApp...), jsonWarmReport), "\n"),
			want: analysis.Measurement{DurationMs: 8.25, BilledDurationMs: 9, MemorySizeMB: 256, MaxMemoryUsedMB: 70, Status: "success"},
		},
		{
			name: "JSON report after more than 4 KB of application log, cut to the last 4096 bytes",
			tail: lastBytes(strings.Repeat(jsonAppLine+"\n", 60)+jsonWarmReport+"\n", 4096),
			want: analysis.Measurement{DurationMs: 8.25, BilledDurationMs: 9, MemorySizeMB: 256, MaxMemoryUsedMB: 70, Status: "success"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := analysis.ParseLogTail(tt.tail)
			if err != nil {
				t.Fatalf("ParseLogTail: %v", err)
			}
			assertMeasurement(t, got, tt.want)
		})
	}
}

func assertMeasurement(t *testing.T, got, want analysis.Measurement) {
	t.Helper()
	floats := []struct {
		name      string
		got, want float64
	}{
		{"DurationMs", got.DurationMs, want.DurationMs},
		{"BilledDurationMs", got.BilledDurationMs, want.BilledDurationMs},
		{"InitDurationMs", got.InitDurationMs, want.InitDurationMs},
		{"RestoreDurationMs", got.RestoreDurationMs, want.RestoreDurationMs},
	}
	for _, f := range floats {
		if math.Abs(f.got-f.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}
	if got.MemorySizeMB != want.MemorySizeMB || got.MaxMemoryUsedMB != want.MaxMemoryUsedMB {
		t.Errorf("memory = %d/%d MB, want %d/%d MB", got.MaxMemoryUsedMB, got.MemorySizeMB, want.MaxMemoryUsedMB, want.MemorySizeMB)
	}
	if got.Status != want.Status || got.ErrorType != want.ErrorType {
		t.Errorf("status = %q/%q, want %q/%q", got.Status, got.ErrorType, want.Status, want.ErrorType)
	}
}

func TestParseLogTailErrors(t *testing.T) {
	const secret = "card-4111111111111111"
	tests := []struct {
		name     string
		tail     string
		noReport bool // the error must be ErrNoReport
	}{
		{name: "empty tail", tail: "", noReport: true},
		{name: "no REPORT line", tail: textLog(false, []string{"payload: " + secret}, "END RequestId: x"), noReport: true},
		{name: "REPORT mentioned only inside JSON application lines", noReport: true, tail: strings.Join([]string{
			`{"message":"REPORT RequestId: fake\tDuration: 1 ms\tBilled Duration: 1 ms","payload":"` + secret + `"}`,
			`{"type":"platform.start","record":{"note":"platform.report"}}`,
			`{"message":"{\"type\":\"platform.report\",\"record\":{\"metrics\":{\"durationMs\":1,\"billedDurationMs\":1}}}"}`,
			"  REPORT RequestId: indented, so printed by the function",
		}, "\n")},
		{name: "REPORT line cut at the start of the tail", noReport: true, tail: lastBytes(textWarm, 40)},
		{name: "REPORT without Billed Duration", tail: "REPORT RequestId: x\tDuration: 3.01 ms\tMemory Size: 128 MB\t"},
		{name: "REPORT with a Duration that is not a number", tail: "REPORT RequestId: x\tDuration: " + secret + " ms\tBilled Duration: 4 ms\t"},
		{name: "REPORT with a negative Duration", tail: "REPORT RequestId: x\tDuration: -3 ms\tBilled Duration: 4 ms\t"},
		{name: "REPORT durations that overflow", tail: "REPORT RequestId: x\tDuration: 1e308 ms\tBilled Duration: 4 ms\tInit Duration: 1e308 ms\t"},
		{name: "platform.report without metrics", tail: `{"type":"platform.report","record":{"requestId":"x","status":"success"}}`},
		{name: "platform.report without billedDurationMs", tail: `{"type":"platform.report","record":{"metrics":{"durationMs":3}}}`},
		{name: "platform.report whose record is not an object", tail: `{"type":"platform.report","record":"` + secret + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := analysis.ParseLogTail(tt.tail)
			if err == nil {
				t.Fatal("ParseLogTail succeeded, want an error")
			}
			if got := errors.Is(err, analysis.ErrNoReport); got != tt.noReport {
				t.Errorf("errors.Is(err, ErrNoReport) = %v, want %v (err: %v)", got, tt.noReport, err)
			}
			if tt.noReport && !strings.Contains(err.Error(), "no REPORT line in the log tail") {
				t.Errorf("error %q does not say that no REPORT line was found", err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes the log", err)
			}
		})
	}
}

func FuzzParseLogTail(f *testing.F) {
	seeds := []string{
		"", "\n", "REPORT RequestId:", "REPORT RequestId: \tDuration: \tBilled Duration: ms",
		textLog(true, nil, textColdStart, textXRay), textLog(false, nil, textSnapStart),
		textTimeout, textOutOfMemory, jsonReport, jsonSnapStart, jsonOutOfMemory, jsonOnlyRequired,
		`{"type":"platform.report","record":null}`, `{"type":"platform.report","record":{"metrics":null}}`,
		`{"type":"platform.report","record":{"metrics":{"durationMs":1e308,"billedDurationMs":1,"initDurationMs":1e308}}}`,
		lastBytes(strings.Repeat(jsonAppLine+"\n", 60)+jsonWarmReport, 4096),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tail string) {
		m, err := analysis.ParseLogTail(tail)
		if err != nil {
			return
		}
		for _, v := range []float64{m.DurationMs, m.BilledDurationMs, m.InitDurationMs, m.RestoreDurationMs} {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("ParseLogTail(%q) gave a duration of %v", tail, v)
			}
		}
		if m.MemorySizeMB < 0 || m.MaxMemoryUsedMB < 0 || m.Status == "" {
			t.Fatalf("ParseLogTail(%q) = %+v", tail, m)
		}
	})
}
