package lambdasim

import (
	"slices"
	"time"
)

// QuotaClass names the request-rate quota a call counts against: Lambda
// meters GetFunction on its own and every other control-plane call
// together, per account and Region.
type QuotaClass string

const (
	// QuotaGetFunction is GetFunction's own quota.
	QuotaGetFunction QuotaClass = "GetFunction"
	// QuotaControl is the quota every other control-plane call shares.
	QuotaControl QuotaClass = "control"
	// QuotaInvoke is Invoke and InvokeWithResponseStream, limited by
	// concurrency instead of a rate.
	QuotaInvoke QuotaClass = "invoke"
	// QuotaS3 is every S3 request, code downloads included.
	QuotaS3 QuotaClass = "s3"
	// QuotaLogs is every CloudWatch Logs request (no rate quota emulated).
	QuotaLogs QuotaClass = "logs"
)

// AWS's request-rate quotas, per account and Region, per second; neither
// can be raised.
const (
	AWSGetFunctionQuota = 100
	AWSControlQuota     = 15
)

// Call is one request as the emulator received it.
type Call struct {
	Operation string // "GetFunction", "Invoke", "PutObject", …
	Class     QuotaClass
	Region    string
	// Function is the function the request names (path label or tag
	// resource ARN), without qualifier; "" for CreateFunction, ListFunctions,
	// account and S3 calls.
	Function string
	Time     time.Time // arrival, by Options.Clock
	// Throttled: answered 429 TooManyRequestsException by the emulator
	// itself, for a request-rate quota or (Invoke) concurrency; injected
	// faults are not throttles.
	Throttled bool
}

// CallLog is calls in arrival order.
type CallLog []Call

// maxCallLog bounds the log: a server that runs for days forgets its
// oldest calls rather than its memory.
const maxCallLog = 1 << 18

// callLog records every request; the caller holds s.mu.
type callLog struct {
	calls   []Call
	dropped int // calls forgotten; sequence numbers keep counting them
}

// record appends c and returns its sequence number.
func (l *callLog) record(c Call) int {
	if len(l.calls) >= maxCallLog {
		half := len(l.calls) / 2
		l.calls = append(make([]Call, 0, maxCallLog), l.calls[half:]...)
		l.dropped += half
	}
	l.calls = append(l.calls, c)
	return l.dropped + len(l.calls) - 1
}

// markThrottled flags a call throttled after it was recorded (Invoke is
// admitted or refused only once its target is known).
func (l *callLog) markThrottled(seq int) {
	if i := seq - l.dropped; i >= 0 && i < len(l.calls) {
		l.calls[i].Throttled = true
	}
}

// Calls returns a copy of the most recent calls (up to 262144), throttled
// and faulted ones included, in arrival order.
func (s *Server) Calls() CallLog {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(CallLog(s.calls.calls))
}

// MaxPerWindow is Calls().MaxPerWindow(class, window).
func (s *Server) MaxPerWindow(class QuotaClass, window time.Duration) int {
	return s.Calls().MaxPerWindow(class, window)
}

// Since keeps the calls that arrived at t or later.
func (l CallLog) Since(t time.Time) CallLog {
	var out CallLog
	for _, c := range l {
		if !c.Time.Before(t) {
			out = append(out, c)
		}
	}
	return out
}

// Count is the number of calls of class.
func (l CallLog) Count(class QuotaClass) int {
	n := 0
	for _, c := range l {
		if c.Class == class {
			n++
		}
	}
	return n
}

// ForFunction keeps the calls that named function (a name, not an ARN).
func (l CallLog) ForFunction(function string) CallLog {
	var out CallLog
	for _, c := range l {
		if c.Function == function {
			out = append(out, c)
		}
	}
	return out
}

// Operations counts the calls by operation.
func (l CallLog) Operations() map[string]int {
	ops := map[string]int{}
	for _, c := range l {
		ops[c.Operation]++
	}
	return ops
}

// MaxPerWindow is the largest number of calls of class that arrived within
// any half-open window [t, t+window) in one region, throttled ones
// included: what a client sent, which is what a quota budget limits.
// Quotas are per account and Region, so regions are counted apart.
func (l CallLog) MaxPerWindow(class QuotaClass, window time.Duration) int {
	byRegion := make(map[string][]time.Time)
	for _, c := range l {
		if c.Class == class {
			byRegion[c.Region] = append(byRegion[c.Region], c.Time)
		}
	}
	best := 0
	for _, times := range byRegion {
		slices.SortFunc(times, time.Time.Compare)
		end := 0
		for start, t := range times {
			for end < len(times) && times[end].Before(t.Add(window)) {
				end++
			}
			best = max(best, end-start)
		}
	}
	return best
}
