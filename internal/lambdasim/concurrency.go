package lambdasim

import (
	"math"
	"net/http"
)

// concurrency counts running invocations. Functions without reserved
// concurrency share what reservations leave of the account limit.
type concurrency struct {
	total       int
	unreserved  int
	reservedSum int
}

// Throttle reasons AWS puts in TooManyRequestsException bodies.
const (
	reasonReservedLimit = "ReservedFunctionConcurrentInvocationLimitExceeded"
	reasonAccountLimit  = "ConcurrentInvocationLimitExceeded"
)

// admit takes a concurrency slot for one invocation of f, or says why there
// is none. It reports whether the slot came from the unreserved pool, which
// release needs even if the reservation changes meanwhile. The caller holds s.mu.
func (s *Server) admit(f *function) (bool, *apiError) {
	unreserved := f.reserved == nil
	switch {
	case !unreserved && f.inFlight >= int(*f.reserved):
		return false, errThrottled(reasonReservedLimit)
	case unreserved && s.concurrency.unreserved >= s.opts.AccountConcurrency-s.concurrency.reservedSum:
		return false, errThrottled(reasonAccountLimit)
	}
	f.inFlight++
	s.concurrency.total++
	if unreserved {
		s.concurrency.unreserved++
	}
	s.stats.maxInFlight = max(s.stats.maxInFlight, s.concurrency.total)
	return unreserved, nil
}

// release gives the slot back. The caller holds s.mu.
func (s *Server) release(f *function, unreserved bool) {
	f.inFlight--
	s.concurrency.total--
	if unreserved {
		s.concurrency.unreserved--
	}
}

// reserve sets f's reserved concurrency (nil: none) and keeps the
// account's sum of reservations in step. The caller holds s.mu.
func (s *Server) reserve(f *function, n *int32) {
	if f.reserved != nil {
		s.concurrency.reservedSum -= int(*f.reserved)
	}
	if n != nil {
		s.concurrency.reservedSum += int(*n)
	}
	f.reserved = n
}

// minUnreserved is what reservations must leave unreserved: AWS keeps 100
// of the default 1000; smaller simulated accounts keep a tenth.
func (s *Server) minUnreserved() int {
	return min(100, s.opts.AccountConcurrency/10)
}

func handlePutFunctionConcurrency(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in struct{ ReservedConcurrentExecutions *int32 }
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	if in.ReservedConcurrentExecutions == nil {
		return 0, nil, errInvalidParameter("ReservedConcurrentExecutions is required.")
	}
	n := *in.ReservedConcurrentExecutions
	var v violations
	v.checkRange("reservedConcurrentExecutions", n, 0, math.MaxInt32)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupUnqualified(rt)
	if err != nil {
		return 0, nil, err
	}
	sum := s.concurrency.reservedSum + int(n)
	if f.reserved != nil {
		sum -= int(*f.reserved)
	}
	if floor := s.minUnreserved(); s.opts.AccountConcurrency-sum < floor {
		return 0, nil, errInvalidParameter("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", floor)
	}
	s.reserve(f, &n)
	return http.StatusOK, &struct{ ReservedConcurrentExecutions int32 }{n}, nil
}

func handleDeleteFunctionConcurrency(s *Server, _ *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupUnqualified(rt)
	if err != nil {
		return 0, nil, err
	}
	s.reserve(f, nil)
	return http.StatusNoContent, nil, nil
}

func handleGetFunctionConcurrency(s *Server, _ *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupUnqualified(rt)
	if err != nil {
		return 0, nil, err
	}
	out := &struct {
		ReservedConcurrentExecutions *int32 `json:",omitempty"`
	}{f.reserved}
	return http.StatusOK, out, nil
}

type accountSettingsJSON struct {
	AccountLimit struct {
		TotalCodeSize                  int64
		CodeSizeUnzipped               int64
		CodeSizeZipped                 int64
		ConcurrentExecutions           int
		UnreservedConcurrentExecutions int
	}
	AccountUsage struct {
		TotalCodeSize int64
		FunctionCount int64
	}
}

func handleGetAccountSettings(s *Server, _ *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := &accountSettingsJSON{}
	out.AccountLimit.TotalCodeSize = 80530636800
	out.AccountLimit.CodeSizeUnzipped = 262144000
	out.AccountLimit.CodeSizeZipped = 52428800
	out.AccountLimit.ConcurrentExecutions = s.opts.AccountConcurrency
	out.AccountLimit.UnreservedConcurrentExecutions = s.opts.AccountConcurrency - s.concurrency.reservedSum
	for key, f := range s.functions {
		if key.region != rt.region {
			continue
		}
		out.AccountUsage.FunctionCount++
		out.AccountUsage.TotalCodeSize += f.latest.CodeSize
		for _, v := range f.versions {
			out.AccountUsage.TotalCodeSize += v.settings.CodeSize
		}
	}
	return http.StatusOK, out, nil
}
