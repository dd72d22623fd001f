package lambdasim

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"time"
)

const (
	defaultRegion             = "us-east-1"
	defaultAccountID          = "123456789012"
	defaultAccountConcurrency = 1000
)

// counters back Stats.
type counters struct {
	requests    map[string]int
	invocations int
	coldStarts  int
	throttled   int
	rateLimited int
	faults      int
	maxInFlight int
}

// New returns an emulator that serves requests through ServeHTTP.
func New(opts Options) *Server {
	if opts.Region == "" {
		opts.Region = defaultRegion
	}
	if opts.AccountID == "" {
		opts.AccountID = defaultAccountID
	}
	if opts.AccountConcurrency <= 0 {
		opts.AccountConcurrency = defaultAccountConcurrency
	}
	if opts.MemoryQuota <= 0 || opts.MemoryQuota > maxMemory {
		opts.MemoryQuota = maxMemory
	}
	opts.DelayJitter = min(max(opts.DelayJitter, 0), 1)
	if opts.GetFunctionQuota <= 0 {
		opts.GetFunctionQuota = AWSGetFunctionQuota
	}
	if opts.ControlQuota <= 0 {
		opts.ControlQuota = AWSControlQuota
	}
	return &Server{
		opts:      opts,
		functions: make(map[functionKey]*function),
		providers: make(map[providerKey]*capacityProvider),
		ids:       newIDSource(opts.Seed),
		faults:    newFaultSet(opts.Seed),
		stats:     counters{requests: make(map[string]int)},
		s3:        newObjectStore(),
		quotas:    make(map[quotaKey]*rateWindow),
		packages:  make(map[string][]byte),
		logGroups: make(map[logGroupKey]int64),
		jitter:    newJitterRNG(opts.Seed),
	}
}

// Start returns an emulator listening on a free loopback port.
func Start(opts Options) (*Server, error) {
	return Listen("127.0.0.1:0", opts)
}

// Listen returns an emulator serving on addr (host:port; port 0 picks one).
func Listen(addr string, opts Options) (*Server, error) {
	s := New(opts)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("lambdasim: listen on %s: %w", addr, err)
	}
	s.listener = ln
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// URL is the endpoint to give SDK clients, e.g. "http://127.0.0.1:41234";
// "" when the server was made with New and does not listen.
func (s *Server) URL() string {
	if s.listener == nil {
		return ""
	}
	return "http://" + s.listener.Addr().String()
}

// Close stops listening and drops open connections.
func (s *Server) Close() error {
	if s.http == nil {
		return nil
	}
	if err := s.http.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("lambdasim: close: %w", err)
	}
	return nil
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Invocations: s.stats.invocations,
		ColdStarts:  s.stats.coldStarts,
		Throttled:   s.stats.throttled,
		RateLimited: s.stats.rateLimited,
		InFlight:    s.concurrency.total,
		MaxInFlight: s.stats.maxInFlight,
		Faults:      s.stats.faults,
		Requests:    maps.Clone(s.stats.requests),
	}
}

// ServeHTTP answers one Lambda or S3 request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rt := routeRequest(r, s.opts.Region)

	s.mu.Lock()
	s.stats.requests[rt.op]++
	rt.requestID = s.ids.uuid()
	now, class := s.now(), classOf(rt)
	// The quota is AWS's front door: a refused call reaches no fault.
	limited := s.overQuota(rt.region, class, now)
	rt.call = s.calls.record(Call{Operation: rt.op, Class: class, Region: rt.region, Function: rt.functionName(), Time: now, Throttled: limited})
	var fault Fault
	var faulted bool
	if limited {
		s.stats.rateLimited++
	} else if fault, faulted = s.faults.take(rt.op); faulted {
		s.stats.faults++
	}
	latency := s.controlPlaneDelay(class)
	s.mu.Unlock()

	if rt.isS3() {
		w.Header().Set("X-Amz-Request-Id", rt.requestID)
	} else {
		w.Header().Set("X-Amzn-RequestId", rt.requestID)
	}

	if s.opts.Logf != nil {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		w = rec
		defer func() {
			s.opts.Logf("lambdasim: %s %s %s -> %d (%s)", rt.op, r.Method, r.URL.RequestURI(), rec.status, time.Since(start).Round(time.Microsecond))
		}()
	}
	// AWS's round trip, outside the lock so concurrent calls each take it
	// in parallel; throttled and faulted answers pay it too.
	_ = sleepCtx(r.Context(), latency)
	if limited {
		errRateExceeded().write(w)
		return
	}
	if faulted && applyFault(w, r, rt, fault) {
		return
	}
	rt.serve(s, w, r, rt)
}

// sleepCtx waits d, or less if ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// statusRecorder remembers the status code for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Hijack for dropped connections.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
