package lambdasim

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// maxLogTail is how much of an invocation's log Invoke returns with LogType Tail.
const maxLogTail = 4096

// logContext is what an invocation's log mentions besides the outcome.
type logContext struct {
	requestID    string
	version      string // the executed version
	functionName string
	runtime      string
	region       string
	memoryMB     int32
	jsonFormat   bool
	traceID      string // "" without X-Ray
	segmentID    string
	now          time.Time
	logBytes     int
	errorType    string // the function error's type, for its log line
}

// renderLog writes the invocation's whole log as Lambda does in the
// function's log format (Text or JSON): the platform's lines around the
// application's own, the report last; the caller keeps the last 4 KB.
func renderLog(lc *logContext, o *outcome) []byte {
	b := make([]byte, 0, 512+lc.logBytes+lc.logBytes/4)
	if lc.jsonFormat {
		return renderJSONLog(b, lc, o)
	}
	return renderTextLog(b, lc, o)
}

func tail(log []byte) []byte {
	if len(log) > maxLogTail {
		return log[len(log)-maxLogTail:]
	}
	return log
}

func renderTextLog(b []byte, lc *logContext, o *outcome) []byte {
	ts := lc.now.UTC().Format("2006-01-02T15:04:05.000Z")
	rv, rvARN := runtimeVersion(lc.runtime, lc.region)
	switch {
	case o.init > 0:
		b = append(b, "INIT_START Runtime Version: "+rv+"\tRuntime Version ARN: "+rvARN+"\n"...)
	case o.restore > 0:
		b = append(b, "RESTORE_START Runtime Version: "+rv+"\tRuntime Version ARN: "+rvARN+"\n"...)
		b = append(b, "RESTORE_REPORT Restore Duration: "...)
		b = appendHundredths(b, o.restore)
		b = append(b, " ms\n"...)
	}
	b = append(b, "START RequestId: "+lc.requestID+" Version: "+lc.version+"\n"...)
	b = appendAppLines(b, lc, func(b []byte, msg string) []byte {
		return append(b, ts+"\t"+lc.requestID+"\tINFO\t"+msg+"\n"...)
	})
	switch {
	case o.timedOut:
		b = append(b, ts+" "+lc.requestID+" Task timed out after "...)
		b = appendHundredths(b, o.duration/1000)
		b = append(b, " seconds\n"...)
	case o.outOfMemory:
		b = append(b, "RequestId: "+lc.requestID+" Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\n"...)
	case o.functionError:
		b = append(b, ts+"\t"+lc.requestID+"\tERROR\tInvoke Error \t"+lc.errorType+"\n"...)
	}
	b = append(b, "END RequestId: "+lc.requestID+"\n"...)
	b = append(b, "REPORT RequestId: "+lc.requestID+"\tDuration: "...)
	b = appendHundredths(b, o.duration)
	b = append(b, " ms\tBilled Duration: "...)
	b = strconv.AppendInt(b, o.billed, 10)
	b = append(b, " ms\tMemory Size: "...)
	b = strconv.AppendInt(b, int64(lc.memoryMB), 10)
	b = append(b, " MB\tMax Memory Used: "...)
	b = strconv.AppendInt(b, int64(o.maxMemoryMB), 10)
	b = append(b, " MB\t"...)
	if o.init > 0 {
		b = append(b, "Init Duration: "...)
		b = appendHundredths(b, o.init)
		b = append(b, " ms\t"...)
	}
	if o.restore > 0 {
		b = append(b, "Restore Duration: "...)
		b = appendHundredths(b, o.restore)
		b = append(b, " ms\tBilled Restore Duration: "...)
		b = strconv.AppendInt(b, o.billedRestore, 10)
		b = append(b, " ms\t"...)
	}
	switch {
	case o.timedOut:
		b = append(b, "Status: timeout"...)
	case o.outOfMemory:
		b = append(b, "Status: error\tError Type: Runtime.OutOfMemory"...)
	}
	b = append(b, '\n')
	if lc.traceID != "" {
		b = append(b, "XRAY TraceId: "+lc.traceID+"\tSegmentId: "+lc.segmentID+"\tSampled: true\t\n"...)
	}
	return b
}

func renderJSONLog(b []byte, lc *logContext, o *outcome) []byte {
	ts := lc.now.UTC().Format("2006-01-02T15:04:05.000Z")
	event := func(b []byte, typ string) []byte {
		return append(b, `{"time":"`+ts+`","type":"`+typ+`","record":{`...)
	}
	rv, rvARN := runtimeVersion(lc.runtime, lc.region)
	origin := `"runtimeVersion":"` + rv + `","runtimeVersionArn":"` + rvARN +
		`","functionName":"` + lc.functionName + `","functionVersion":"` + lc.version + `"`
	switch {
	case o.init > 0:
		b = event(b, "platform.initStart")
		b = append(b, `"initializationType":"on-demand","phase":"init",`+origin+"}}\n"...)
	case o.restore > 0:
		b = event(b, "platform.restoreStart")
		b = append(b, origin+"}}\n"...)
		b = event(b, "platform.restoreReport")
		b = append(b, `"status":"success","metrics":{"durationMs":`...)
		b = appendJSONMs(b, o.restore)
		b = append(b, "}}}\n"...)
	}
	b = event(b, "platform.start")
	b = append(b, `"requestId":"`+lc.requestID+`","version":"`+lc.version+`"}}`+"\n"...)
	b = appendAppLines(b, lc, func(b []byte, msg string) []byte {
		return append(b, `{"timestamp":"`+ts+`","level":"INFO","requestId":"`+lc.requestID+`","message":"`+msg+`"}`+"\n"...)
	})
	status := `"success"`
	switch {
	case o.timedOut:
		status = `"timeout"`
	case o.outOfMemory:
		status = `"error","errorType":"Runtime.OutOfMemory"`
	case o.functionError:
		status = `"error"`
	}
	b = event(b, "platform.runtimeDone")
	b = append(b, `"requestId":"`+lc.requestID+`","status":`+status+`,"metrics":{"durationMs":`...)
	b = appendJSONMs(b, o.duration)
	b = append(b, `,"producedBytes":0}}}`+"\n"...)

	b = event(b, "platform.report")
	b = append(b, `"requestId":"`+lc.requestID+`","status":`+status+`,"metrics":{"durationMs":`...)
	b = appendJSONMs(b, o.duration)
	b = append(b, `,"billedDurationMs":`...)
	b = strconv.AppendInt(b, o.billed, 10)
	b = append(b, `,"memorySizeMB":`...)
	b = strconv.AppendInt(b, int64(lc.memoryMB), 10)
	b = append(b, `,"maxMemoryUsedMB":`...)
	b = strconv.AppendInt(b, int64(o.maxMemoryMB), 10)
	if o.init > 0 {
		b = append(b, `,"initDurationMs":`...)
		b = appendJSONMs(b, o.init)
	}
	if o.restore > 0 {
		b = append(b, `,"restoreDurationMs":`...)
		b = appendJSONMs(b, o.restore)
		b = append(b, `,"billedRestoreDurationMs":`...)
		b = strconv.AppendInt(b, o.billedRestore, 10)
	}
	b = append(b, '}')
	if lc.traceID != "" {
		b = append(b, `,"tracing":{"spanId":"`+lc.segmentID+`","type":"X-Amzn-Trace-Id","value":"Root=`+lc.traceID+`;Parent=`+lc.segmentID+`;Sampled=1"}`...)
	}
	return append(b, "}}\n"...)
}

// appLineSize is roughly how long one simulated application log line is.
const appLineSize = 80

// appendAppLines prints the function's own lines until about lc.logBytes
// bytes of messages are written.
func appendAppLines(b []byte, lc *logContext, line func([]byte, string) []byte) []byte {
	const filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt"
	for n, i := 0, 1; n < lc.logBytes; i++ {
		msg := "simulated log line " + strconv.Itoa(i) + ": " + filler[:min(len(filler), max(1, appLineSize-24))]
		b = line(b, msg)
		n += len(msg)
	}
	return b
}

// appendHundredths prints hundredths of a unit with two decimals, exactly.
func appendHundredths(b []byte, h int64) []byte {
	b = strconv.AppendInt(b, h/100, 10)
	b = append(b, '.')
	frac := h % 100
	if frac < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, frac, 10)
}

func appendJSONMs(b []byte, h int64) []byte {
	return strconv.AppendFloat(b, float64(h)/100, 'f', -1, 64)
}

// runtimeVersion names a runtime's version the way INIT_START prints it,
// e.g. "nodejs20.x" → "nodejs:20.v1", with a stable made-up ARN.
func runtimeVersion(runtime, region string) (string, string) {
	name := strings.TrimSuffix(runtime, ".x")
	i := strings.IndexFunc(name, func(r rune) bool { return r >= '0' && r <= '9' })
	if i > 0 {
		name = name[:i] + ":" + name[i:]
	}
	sum := sha256.Sum256([]byte(runtime))
	return name + ".v1", "arn:" + partition(region) + ":lambda:" + region + "::runtime:" + hex.EncodeToString(sum[:])
}
