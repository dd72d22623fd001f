package analysis_test

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// Time to first byte is trimmed like duration; response size is a plain
// mean over every measured invocation.
func TestAnalyzeTimeToFirstByteAndResponseSize(t *testing.T) {
	price := analysis.Price{PerGBSecond: 0.0000166667, PerRequest: 0.0000002}
	firstBytes := []float64{40, 41, 900, 42, 43} // one slow outlier
	ms := make([]analysis.Measurement, len(firstBytes))
	for i, ttfb := range firstBytes {
		ms[i] = analysis.Measurement{DurationMs: 100, BilledDurationMs: 100, TimeToFirstByteMs: ttfb, ResponseBytes: int64(1000 + i)}
	}
	got := analysis.Analyze(512, ms, 0, price, 0.2)
	if got.TimeToFirstByte != 42 { // drop 40 and 900: (41+42+43)/3
		t.Errorf("TimeToFirstByte = %v, want 42, the trimmed mean", got.TimeToFirstByte)
	}
	if got.ResponseBytes != 1002 {
		t.Errorf("ResponseBytes = %d, want the mean 1002", got.ResponseBytes)
	}

	// Buffered invocations have no first byte: the figure stays 0, so it is
	// left out of the JSON; a streamed invocation that sent no byte does not
	// pull the mean down.
	for i := range ms {
		ms[i].TimeToFirstByteMs = 0
	}
	if got := analysis.Analyze(512, ms, 0, price, 0.2); got.TimeToFirstByte != 0 || got.ResponseBytes != 1002 {
		t.Errorf("buffered: TimeToFirstByte %v, ResponseBytes %d; want 0 and 1002", got.TimeToFirstByte, got.ResponseBytes)
	}
	ms[0].TimeToFirstByteMs = 50
	if got := analysis.Analyze(512, ms, 0, price, 0.2); got.TimeToFirstByte != 50 {
		t.Errorf("one invocation with a first byte: TimeToFirstByte %v, want 50", got.TimeToFirstByte)
	}
}

func TestThrottledStreamMs(t *testing.T) {
	for _, tc := range []struct {
		bytes int64
		want  float64
	}{
		{0, 0},
		{5 << 20, 0},
		{6 << 20, 0},
		{8 << 20, 1000},   // 2 MiB beyond, at 2 MiB/s
		{40 << 20, 17000}, // 34 MiB beyond
	} {
		if got := analysis.ThrottledStreamMs(tc.bytes); got != tc.want {
			t.Errorf("ThrottledStreamMs(%d) = %v, want %v", tc.bytes, got, tc.want)
		}
	}
}

func TestThrottling(t *testing.T) {
	results := []analysis.PowerResult{
		{Power: 512, ResponseBytes: 8 << 20, AverageDuration: 2000},  // 1000 ms of 2000
		{Power: 1024, ResponseBytes: 8 << 20, AverageDuration: 1250}, // 1000 ms of 1250
		{Power: 128, ResponseBytes: 8 << 20, AverageDuration: 9000, Failed: true},
		{Power: 2048, ResponseBytes: 1 << 20, AverageDuration: 100}, // not throttled
	}
	got, ok := analysis.Throttling(results)
	want := analysis.StreamThrottling{MeanResponseBytes: 8 << 20, ThrottledMs: 1000, LowShare: 0.5, HighShare: 0.8}
	if !ok || got != want {
		t.Errorf("Throttling = %+v, %v; want %+v", got, ok, want)
	}
	if got, ok := analysis.Throttling(results[3:]); ok {
		t.Errorf("responses under 6 MiB: Throttling = %+v, want none", got)
	}
	// A transfer longer than the average duration (it is trimmed, the
	// transfer is not) is at most all of it.
	if got, _ := analysis.Throttling([]analysis.PowerResult{{ResponseBytes: 10 << 20, AverageDuration: 1500}}); got.HighShare != 1 {
		t.Errorf("HighShare = %v, want at most 1", got.HighShare)
	}
}
