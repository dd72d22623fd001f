package lambdasim

import (
	"math/rand/v2"
	"net/http"
	"slices"
)

// faultSet holds the injected faults; the caller holds s.mu.
type faultSet struct {
	list []*activeFault
	rng  *rand.Rand // seeded: which requests a rate fault hits
}

type activeFault struct {
	Fault
	used int
}

func newFaultSet(seed int64) *faultSet {
	return &faultSet{rng: rand.New(rand.NewPCG(uint64(seed), 0x6661756c74))} // "fault"
}

// take returns the fault that applies to this request of op, if any, and
// counts it; faults whose count is used up are forgotten.
func (fs *faultSet) take(op string) (Fault, bool) {
	for i, f := range fs.list {
		if f.Operation != op && f.Operation != "*" {
			continue
		}
		if f.Rate > 0 && fs.rng.Float64() >= f.Rate {
			continue
		}
		f.used++
		if f.Count > 0 && f.used >= f.Count {
			fs.list = slices.Delete(fs.list, i, i+1)
		}
		return f.Fault, true
	}
	return Fault{}, false
}

// InjectFault adds a fault. Without Count or Rate it applies to every
// matching request until ClearFaults.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.list = append(s.faults.list, &activeFault{Fault: f})
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.list = nil
}

// applyFault waits the fault's delay, then drops the connection or answers
// with the fault's error. It reports false when the request should still be
// served normally (a pure delay).
func applyFault(w http.ResponseWriter, r *http.Request, rt *route, f Fault) bool {
	if err := sleepCtx(r.Context(), f.Delay); err != nil {
		return true // the client is gone
	}
	if f.Drop {
		dropConnection(w)
		return true
	}
	if f.Status == 0 && f.Code == "" {
		return false
	}
	if rt.isS3() {
		s3FaultError(f).write(w)
		return true
	}
	if rt.isLogs() {
		writeLogsError(w, lambdaFaultError(f))
		return true
	}
	lambdaFaultError(f).write(w)
	return true
}

// dropConnection closes the connection without any response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // no hijacking (HTTP/2, recorders): abort instead
	}
	_ = conn.Close()
}

// lambdaFaultError fills in AWS's code and text for a fault's status, or the
// status for its code.
func lambdaFaultError(f Fault) *apiError {
	statusFor := map[string]int{
		"TooManyRequestsException":    http.StatusTooManyRequests,
		"ServiceException":            http.StatusInternalServerError,
		"ServiceUnavailableException": http.StatusServiceUnavailable,
		"ResourceConflictException":   http.StatusConflict,
		"ResourceNotFoundException":   http.StatusNotFound,
	}
	e := &apiError{status: f.Status, code: f.Code, message: f.Message}
	if e.status == 0 {
		e.status = statusFor[e.code]
		if e.status == 0 {
			e.status = http.StatusInternalServerError
		}
	}
	if e.code == "" {
		switch e.status {
		case http.StatusTooManyRequests:
			e.code = "TooManyRequestsException"
		case http.StatusServiceUnavailable:
			e.code = "ServiceUnavailableException"
		default:
			e.code = "ServiceException"
		}
	}
	if e.message == "" {
		switch e.code {
		case "TooManyRequestsException":
			e.message = "Rate exceeded"
		case "ServiceUnavailableException":
			e.message = "Service Unavailable"
		case "ServiceException":
			e.message = "The AWS Lambda service encountered an internal error."
		default:
			e.message = e.code
		}
	}
	if e.code == "TooManyRequestsException" {
		e.reason = "CallerRateLimitExceeded"
	}
	return e
}
