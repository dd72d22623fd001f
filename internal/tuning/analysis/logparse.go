package analysis

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Measurement is what one invocation's REPORT says, and what the client
// saw of its response.
type Measurement struct {
	DurationMs        float64 // Duration + Init Duration + Restore Duration
	BilledDurationMs  float64 // Billed Duration as reported (already includes init and restore billing)
	InitDurationMs    float64
	RestoreDurationMs float64
	MemorySizeMB      int32
	MaxMemoryUsedMB   int32
	Status            string // "success" unless the platform reported another status ("timeout", "error", …)
	ErrorType         string
	// TimeToFirstByteMs is, for a streamed invocation, the time from sending
	// the request to the response's first byte, on the client; 0 when
	// buffered or when no byte came.
	TimeToFirstByteMs float64
	// ResponseBytes is the size of the response the client read.
	ResponseBytes int64
}

// ErrNoReport is returned (wrapped) by ParseLogTail when the tail holds no
// REPORT line and no platform.report record.
var ErrNoReport = errors.New("no REPORT line in the log tail")

// statusSuccess is the status of an invocation whose REPORT names none.
const statusSuccess = "success"

// textReportPrefix starts the platform's REPORT line in the Text log format.
// Only a line that starts with it counts: a JSON application line or a
// pretty-printed JSON document cannot start a line with it.
const textReportPrefix = "REPORT RequestId:"

// ParseLogTail finds the REPORT (text) or platform.report (JSON) record in a
// decoded log tail. When there are several, the last one wins: the
// platform writes its record after everything the function printed. The
// tail is the last 4 KB of the log, so its first line may be cut; a cut
// line simply does not match. The error never quotes the log, which may
// contain the payload.
func ParseLogTail(tail string) (Measurement, error) {
	lines := strings.Split(tail, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		line := strings.TrimRight(lines[i], "\r")
		if strings.HasPrefix(line, textReportPrefix) {
			return parseTextReport(line)
		}
		if rec, ok := platformReportRecord(line); ok {
			return parseJSONReport(rec)
		}
	}
	return Measurement{}, ErrNoReport
}

// parseTextReport reads a tab-separated REPORT line, e.g.
// "REPORT RequestId: id\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 36 MB\tInit Duration: 110.10 ms\t".
func parseTextReport(line string) (Measurement, error) {
	fields := make(map[string]string)
	for _, part := range strings.Split(line, "\t") {
		key, value, ok := strings.Cut(part, ": ")
		if !ok {
			continue
		}
		fields[strings.TrimSpace(key)] = strings.TrimSpace(value)
	}

	var m Measurement
	var duration float64
	var err error
	if duration, err = reportNumber(fields, "Duration", "ms", true); err != nil {
		return Measurement{}, err
	}
	if m.BilledDurationMs, err = reportNumber(fields, "Billed Duration", "ms", true); err != nil {
		return Measurement{}, err
	}
	if m.InitDurationMs, err = reportNumber(fields, "Init Duration", "ms", false); err != nil {
		return Measurement{}, err
	}
	if m.RestoreDurationMs, err = reportNumber(fields, "Restore Duration", "ms", false); err != nil {
		return Measurement{}, err
	}
	memory, err := reportNumber(fields, "Memory Size", "MB", false)
	if err != nil {
		return Measurement{}, err
	}
	maxUsed, err := reportNumber(fields, "Max Memory Used", "MB", false)
	if err != nil {
		return Measurement{}, err
	}
	m.MemorySizeMB = megabytesToInt32(memory)
	m.MaxMemoryUsedMB = megabytesToInt32(maxUsed)
	m.DurationMs = duration + m.InitDurationMs + m.RestoreDurationMs
	m.Status = fields["Status"]
	if m.Status == "" {
		m.Status = statusSuccess
	}
	m.ErrorType = fields["Error Type"]
	return checkedMeasurement(m)
}

// reportNumber reads "<number> <unit>" of one REPORT field. A missing
// optional field is 0.
func reportNumber(fields map[string]string, key, unit string, required bool) (float64, error) {
	raw, ok := fields[key]
	if !ok {
		if required {
			return 0, fmt.Errorf("REPORT line has no %q field", key)
		}
		return 0, nil
	}
	number := strings.TrimSpace(strings.TrimSuffix(raw, unit))
	v, err := strconv.ParseFloat(number, 64)
	// The value is not quoted: whatever stands there is not ours to log.
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("REPORT field %q is not a non-negative number of %s", key, unit)
	}
	return v, nil
}

// jsonLogLine is the part of a JSON-format log line that identifies a
// platform record.
type jsonLogLine struct {
	Type   string          `json:"type"`
	Record json.RawMessage `json:"record"`
}

// platformReportRecord returns the record of a line that is a whole JSON
// object whose top-level type is platform.report. Application lines that
// merely mention platform.report (in a message string, a nested object or a
// fragment of a multi-line document) do not qualify.
func platformReportRecord(line string) (json.RawMessage, bool) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "{") || !strings.Contains(line, "platform.report") {
		return nil, false
	}
	var l jsonLogLine
	if err := json.Unmarshal([]byte(line), &l); err != nil || l.Type != "platform.report" {
		return nil, false
	}
	return l.Record, true
}

// jsonReport is the record of a platform.report line; optional metrics are
// pointers only so that null reads as absent.
type jsonReport struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Metrics   *struct {
		DurationMs        *float64 `json:"durationMs"`
		BilledDurationMs  *float64 `json:"billedDurationMs"`
		InitDurationMs    *float64 `json:"initDurationMs"`
		RestoreDurationMs *float64 `json:"restoreDurationMs"`
		MemorySizeMB      *float64 `json:"memorySizeMB"`
		MaxMemoryUsedMB   *float64 `json:"maxMemoryUsedMB"`
	} `json:"metrics"`
}

func parseJSONReport(raw json.RawMessage) (Measurement, error) {
	var r jsonReport
	if err := json.Unmarshal(raw, &r); err != nil {
		return Measurement{}, fmt.Errorf("platform.report record: %w", err)
	}
	if r.Metrics == nil || r.Metrics.DurationMs == nil || r.Metrics.BilledDurationMs == nil {
		return Measurement{}, errors.New("platform.report record has no metrics.durationMs or metrics.billedDurationMs")
	}
	mt := r.Metrics
	m := Measurement{
		BilledDurationMs:  optionalMetric(mt.BilledDurationMs),
		InitDurationMs:    optionalMetric(mt.InitDurationMs),
		RestoreDurationMs: optionalMetric(mt.RestoreDurationMs),
		MemorySizeMB:      megabytesToInt32(optionalMetric(mt.MemorySizeMB)),
		MaxMemoryUsedMB:   megabytesToInt32(optionalMetric(mt.MaxMemoryUsedMB)),
		Status:            r.Status,
		ErrorType:         r.ErrorType,
	}
	m.DurationMs = optionalMetric(mt.DurationMs) + m.InitDurationMs + m.RestoreDurationMs
	if m.Status == "" {
		m.Status = statusSuccess
	}
	return checkedMeasurement(m)
}

// checkedMeasurement rejects figures that no real REPORT has: durations so
// large that their sum overflows.
func checkedMeasurement(m Measurement) (Measurement, error) {
	if math.IsInf(m.DurationMs, 0) || math.IsInf(m.BilledDurationMs, 0) {
		return Measurement{}, errors.New("REPORT durations are out of range")
	}
	return m, nil
}

// optionalMetric reads an optional metric: absent or negative is 0.
func optionalMetric(v *float64) float64 {
	if v == nil || *v < 0 {
		return 0
	}
	return *v
}

// megabytesToInt32 converts a size in MB, saturating instead of wrapping.
func megabytesToInt32(v float64) int32 {
	if v >= math.MaxInt32 {
		return math.MaxInt32
	}
	if v <= 0 {
		return 0
	}
	return int32(v)
}
