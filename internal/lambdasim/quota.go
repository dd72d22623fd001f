package lambdasim

import "time"

// quotaWindow is the span Lambda's request-rate quotas are stated over.
const quotaWindow = time.Second

// classOf is the quota a request counts against.
func classOf(rt *route) QuotaClass {
	switch {
	case rt.isS3():
		return QuotaS3
	case rt.isLogs():
		return QuotaLogs
	case rt.op == "Invoke", rt.op == "InvokeWithResponseStream":
		return QuotaInvoke
	case rt.op == "GetFunction":
		return QuotaGetFunction
	}
	return QuotaControl
}

// quotaKey identifies one quota: they are per account (the server has one)
// and Region.
type quotaKey struct {
	region string
	class  QuotaClass
}

// rateWindow admits at most a limit of calls in any window of quotaWindow.
// AWS does not say how it meters; a sliding window is the strictest
// reading of "N requests per second": no second, wherever it starts, holds
// more than N admitted calls, so CallLog.MaxPerWindow never exceeds N for
// the calls it let through.
type rateWindow struct {
	admitted []time.Time // within the last window, oldest first
}

func (w *rateWindow) admit(now time.Time, limit int) bool {
	cut := now.Add(-quotaWindow)
	i := 0
	for i < len(w.admitted) && !w.admitted[i].After(cut) {
		i++
	}
	w.admitted = w.admitted[i:]
	if len(w.admitted) >= limit {
		return false
	}
	w.admitted = append(w.admitted, now)
	return true
}

// quotaLimit is the calls per second a class may make; 0: no rate quota.
func (s *Server) quotaLimit(class QuotaClass) int {
	switch class {
	case QuotaGetFunction:
		return s.opts.GetFunctionQuota
	case QuotaControl:
		return s.opts.ControlQuota
	}
	return 0
}

// overQuota reports whether a call must be refused for its request-rate
// quota, and counts it against the quota when it is not. The caller holds s.mu.
func (s *Server) overQuota(region string, class QuotaClass, now time.Time) bool {
	limit := s.quotaLimit(class)
	if !s.opts.EnforceQuotas || limit <= 0 {
		return false
	}
	key := quotaKey{region, class}
	w := s.quotas[key]
	if w == nil {
		w = &rateWindow{}
		s.quotas[key] = w
	}
	return !w.admit(now, limit)
}
