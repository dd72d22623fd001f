package lambdasim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/aws/smithy-go/eventstream"
)

// Response streaming (InvokeWithResponseStream): the function's response
// leaves as it is produced, in PayloadChunk events of an AWS event stream,
// and an InvokeComplete event closes it.
const (
	// streamUncappedBytes leave at full speed; beyond them Lambda streams
	// at about streamBytesPerSecond.
	streamUncappedBytes  = 6 << 20
	streamBytesPerSecond = 2 << 20
	// maxStreamBytes is the most a streamed response may carry (200 MB).
	maxStreamBytes = 200 << 20
	// firstByteShare is the share of the handler's own work done before it
	// writes its first byte.
	firstByteShare = 0.1
	// streamChunk is the most one PayloadChunk carries.
	streamChunk = 64 << 10

	eventStreamContentType = "application/vnd.amazon.eventstream"
)

// streamPlan says when a streamed response's bytes leave, in ms from the
// handler's start (after any init): the first byte after firstMs, the first
// 6 MB spread over the rest of the handler's work (computeMs), the rest at
// 2 MB/s after it.
type streamPlan struct {
	size      int64 // bytes sent
	firstMs   float64
	computeMs float64
}

// fast is how many of the bytes leave at full speed.
func (p *streamPlan) fast() int64 { return min(p.size, streamUncappedBytes) }

// at is when the first n bytes are out.
func (p *streamPlan) at(n int64) float64 {
	fast := p.fast()
	if n <= fast {
		if fast == 0 {
			return p.computeMs
		}
		return p.firstMs + (p.computeMs-p.firstMs)*float64(n)/float64(fast)
	}
	return p.computeMs + float64(n-fast)*1000/streamBytesPerSecond
}

// sentBy is how many bytes are out at t.
func (p *streamPlan) sentBy(t float64) int64 {
	fast := p.fast()
	switch {
	case t < p.firstMs:
		return 0
	case t < p.computeMs:
		return int64(float64(fast) * (t - p.firstMs) / (p.computeMs - p.firstMs))
	}
	return min(p.size, fast+int64((t-p.computeMs)*streamBytesPerSecond/1000))
}

// planStream lays out the response of a streamed invocation and makes the
// outcome account for it: the duration covers the transfer beyond 6 MB, and
// a transfer that outlasts the function's timeout is cut there.
func planStream(inv *invocation, timeoutS int32) (plan streamPlan, truncated bool) {
	o := &inv.outcome
	computeMs := float64(o.duration) / 100
	plan = streamPlan{firstMs: computeMs * firstByteShare, computeMs: computeMs}
	if o.failed() {
		return plan, false
	}
	size := inv.responseSize()
	plan.size = min(size, maxStreamBytes)
	end := plan.at(plan.size)
	if limit := float64(timeoutS) * 1000; end > limit {
		o.timedOut, o.discardEnvAfter = true, true
		plan.size = plan.sentBy(limit)
		end = limit
	}
	o.duration = hundredths(end)
	o.bill()
	return plan, size > maxStreamBytes && !o.timedOut
}

func handleInvokeStream(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	req, payload, apiErr := readInvocation(r, true)
	if apiErr != nil {
		apiErr.write(w)
		return
	}
	start := time.Now()
	s.mu.Lock()
	inv, apiErr := s.beginInvocation(r, rt, req, payload)
	var plan streamPlan
	var truncated bool
	if apiErr == nil && req.invType != "DryRun" {
		plan, truncated = planStream(inv, inv.timeout)
	}
	s.mu.Unlock()
	switch {
	case apiErr != nil:
		apiErr.write(w)
		return
	case req.invType == "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	}
	sw := &streamWriter{s: s, w: w, r: r, inv: inv, start: start, enc: eventstream.NewEncoder()}
	sw.initMs = float64(inv.outcome.init+inv.outcome.restore) / 100
	sw.send(&plan)
	sw.wait(sw.initMs + float64(inv.outcome.duration)/100)
	s.mu.Lock()
	s.finishInvocation(inv)
	s.mu.Unlock()
	if sw.err != nil {
		return
	}
	sw.complete(truncated)
}

// streamWriter writes one invocation's event stream, paced in real time by
// TimeScale.
type streamWriter struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	inv     *invocation
	start   time.Time
	initMs  float64
	enc     *eventstream.Encoder
	started bool
	err     error
}

// wait sleeps until ms of simulated time have passed since the request
// began (scaled by TimeScale).
func (sw *streamWriter) wait(ms float64) {
	scale := sw.s.opts.TimeScale
	if scale <= 0 || sw.err != nil {
		return
	}
	at := sw.start.Add(time.Duration(ms * scale * float64(time.Millisecond)))
	if err := sleepCtx(sw.r.Context(), time.Until(at)); err != nil {
		sw.err = err
	}
}

// begin sends the response's headers: AWS answers once the function
// starts writing.
func (sw *streamWriter) begin() {
	if sw.started {
		return
	}
	sw.started = true
	h := sw.w.Header()
	h.Set("Content-Type", eventStreamContentType)
	h.Set("X-Amz-Executed-Version", sw.inv.label)
	sw.w.WriteHeader(http.StatusOK)
}

func (sw *streamWriter) event(eventType, contentType string, payload []byte) {
	if sw.err != nil {
		return
	}
	sw.begin()
	var msg eventstream.Message
	msg.Headers.Set(eventstream.EventTypeHeader, eventstream.StringValue(eventType))
	msg.Headers.Set(eventstream.ContentTypeHeader, eventstream.StringValue(contentType))
	msg.Headers.Set(eventstream.MessageTypeHeader, eventstream.StringValue(eventstream.EventMessageType))
	msg.Payload = payload
	if err := sw.enc.Encode(sw.w, msg); err != nil {
		sw.err = err
		return
	}
	if sw.s.opts.TimeScale > 0 {
		if err := http.NewResponseController(sw.w).Flush(); err != nil {
			sw.err = err
		}
	}
}

// send writes the planned bytes in PayloadChunk events, each when its last
// byte is due.
func (sw *streamWriter) send(plan *streamPlan) {
	p, n := sw.inv.params, sw.inv.responseSize()
	var body []byte // the whole response when it is not SIM_RESPONSE_BYTES
	if !p.hasResponseBytes {
		body = successBody(sw.inv)
	}
	buf := make([]byte, 0, min(plan.size, streamChunk))
	for off := int64(0); off < plan.size && sw.err == nil; off += streamChunk {
		end := min(off+streamChunk, plan.size)
		sw.wait(sw.initMs + plan.at(end))
		if body != nil {
			sw.event("PayloadChunk", "application/octet-stream", body[off:end])
			continue
		}
		buf = appendResponse(buf[:0], off, end, n)
		sw.event("PayloadChunk", "application/octet-stream", buf)
	}
}

// completeEvent is InvokeComplete's body.
type completeEvent struct {
	ErrorCode    string `json:",omitempty"`
	ErrorDetails string `json:",omitempty"`
	LogResult    string `json:",omitempty"`
}

// complete closes the stream with InvokeComplete: the function's error,
// if any, and the log tail when the caller asked for it.
func (sw *streamWriter) complete(truncated bool) {
	inv, o := sw.inv, &sw.inv.outcome
	var ev completeEvent
	switch {
	case o.timedOut:
		ev.ErrorCode = "Sandbox.Timedout"
		ev.ErrorDetails = "RequestId: " + inv.log.requestID + " Error: Task timed out after " + string(appendHundredths(nil, o.duration/1000)) + " seconds"
	case o.outOfMemory:
		ev.ErrorCode = "Runtime.OutOfMemory"
		ev.ErrorDetails = "RequestId: " + inv.log.requestID + " Error: Runtime exited with error: signal: killed"
	case o.functionError:
		ev.ErrorCode, ev.ErrorDetails = inv.params.errorType, inv.params.errorMessage
	case truncated:
		ev.ErrorCode, ev.ErrorDetails = errResponseTooLarge, responseTooLargeMessage(maxStreamBytes)
	}
	if sw.r.Header.Get("X-Amz-Log-Type") == "Tail" {
		ev.LogResult = base64.StdEncoding.EncodeToString(tail(renderLog(&inv.log, o)))
	}
	body, _ := json.Marshal(ev)
	sw.event("InvokeComplete", "application/json", body)
}
