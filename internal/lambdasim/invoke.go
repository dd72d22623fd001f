package lambdasim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"time"
)

const (
	maxSyncPayload  = 6291456
	maxAsyncPayload = 262144
	// maxSyncResponse is the largest response a buffered invocation may
	// return: AWS's "6 MB", which its error message states as 6291556 bytes.
	maxSyncResponse = 6291556
)

// invocation is one admitted Invoke between its start and its end.
type invocation struct {
	f          *function
	label      string // the executed version
	env        envKey // the pool its execution environment returns to
	gen        int    // $LATEST environment generation it ran in
	unreserved bool
	outcome    outcome
	log        logContext
	payload    []byte
	params     *simParams
	timeout    int32 // the executed version's Timeout, in seconds
	// durableARN is the durable execution started (durable functions only).
	durableARN string
	// durableName is the caller's execution name to remember once admitted.
	durableName string
	payloadSum  [sha256.Size]byte
	// managed is the execution environment of a managed-instances
	// invocation; nil for Lambda's own fleet.
	managed *environment
}

// invokeRequest is what an Invoke or InvokeWithResponseStream request says
// besides its payload.
type invokeRequest struct {
	invType     string
	streaming   bool
	tenant      string
	hasTenant   bool
	durableName string
}

// Invocation type and header names, as the SDK sends them.
const (
	headerTenantID      = "X-Amz-Tenant-Id"
	headerDurableName   = "X-Amz-Durable-Execution-Name"
	headerDurableARN    = "X-Amz-Durable-Execution-Arn"
	headerFunctionError = "X-Amz-Function-Error"
)

// readInvokeRequest reads and checks the request's headers.
func readInvokeRequest(r *http.Request, streaming bool) (*invokeRequest, *apiError) {
	req := &invokeRequest{invType: r.Header.Get("X-Amz-Invocation-Type"), streaming: streaming}
	if req.invType == "" {
		req.invType = "RequestResponse"
	}
	var v violations
	switch {
	case streaming && !oneOf(req.invType, "RequestResponse", "DryRun"):
		v.add(req.invType, "invocationType", "Member must satisfy enum value set: [RequestResponse, DryRun]")
	case !streaming && !oneOf(req.invType, "RequestResponse", "Event", "DryRun"):
		v.add(req.invType, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
	}
	if vals := r.Header.Values(headerTenantID); len(vals) > 0 {
		req.tenant, req.hasTenant = vals[0], true
		if req.tenant == "" {
			v.add("", "tenantId", "Member must have length greater than or equal to 1")
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	// InvokeWithResponseStream has no DurableExecutionName member.
	if vals := r.Header.Values(headerDurableName); len(vals) > 0 && !streaming {
		if err := checkDurableName(vals[0]); err != nil {
			return nil, err
		}
		req.durableName = vals[0]
	}
	return req, nil
}

// readInvokePayload reads the payload within the invocation type's limit.
func readInvokePayload(r *http.Request, invType string) ([]byte, *apiError) {
	limit := maxSyncPayload
	if invType == "Event" {
		limit = maxAsyncPayload
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		return nil, errBadJSON(err.Error())
	}
	if len(payload) > limit {
		return nil, &apiError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLargeException",
			message: fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", limit)}
	}
	return payload, nil
}

// readInvocation reads an Invoke or InvokeWithResponseStream request: its
// headers, then its payload within the limit of its invocation type.
func readInvocation(r *http.Request, streaming bool) (*invokeRequest, []byte, *apiError) {
	req, apiErr := readInvokeRequest(r, streaming)
	if apiErr != nil {
		return nil, nil, apiErr
	}
	payload, apiErr := readInvokePayload(r, req.invType)
	return req, payload, apiErr
}

func handleInvoke(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	req, payload, apiErr := readInvocation(r, false)
	if apiErr != nil {
		apiErr.write(w)
		return
	}

	s.mu.Lock()
	inv, apiErr := s.beginInvocation(r, rt, req, payload)
	s.mu.Unlock()
	switch {
	case apiErr != nil:
		apiErr.write(w)
		return
	case req.invType == "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	case req.invType == "Event":
		if inv.durableARN != "" {
			w.Header().Set(headerDurableARN, inv.durableARN)
		}
		w.WriteHeader(http.StatusAccepted)
		return
	}

	if s.opts.TimeScale > 0 {
		held := time.Duration(inv.outcome.heldMs() * s.opts.TimeScale * float64(time.Millisecond))
		_ = sleepCtx(r.Context(), held)
	}
	s.mu.Lock()
	s.finishInvocation(inv)
	s.mu.Unlock()
	s.writeInvocationResult(w, r, inv)
}

// beginInvocation resolves what to run, admits it and simulates it. The
// caller holds s.mu.
func (s *Server) beginInvocation(r *http.Request, rt *route, req *invokeRequest, payload []byte) (*invocation, *apiError) {
	f, ref, err := s.lookupQualified(r, rt)
	if err != nil {
		return nil, err
	}
	if f.status.State == statePending {
		return nil, errStatePending(f.status.State)
	}
	label, st, err := s.invocationTarget(f, ref.qualifier)
	if err != nil {
		return nil, err
	}
	if label == latestLabel && st.Capacity.arn != "" {
		return nil, errInvalidParameter("Functions on a capacity provider can only be invoked through a published version or an alias: $LATEST of %s is not invocable.", f.arn)
	}
	if len(payload) > 0 && !json.Valid(payload) {
		var v any
		jsonErr := json.Unmarshal(payload, &v)
		return nil, errBadJSON("Could not parse payload into json: " + jsonErr.Error())
	}
	if err := checkTenant(st, req); err != nil {
		return nil, err
	}
	inv := &invocation{f: f, label: label, payload: payload, params: &st.sim, timeout: st.Timeout, env: envKey{label: label}}
	if st.TenancyMode != "" {
		inv.env.tenant = req.tenant
	}
	if req.invType == "DryRun" {
		return inv, nil
	}
	if st.Durable.enabled {
		if err := s.startDurable(f, inv, req); err != nil {
			return nil, err
		}
	}
	if req.invType == "Event" {
		s.stats.invocations++
		s.rememberDurable(inv)
		return inv, nil
	}

	if st.Capacity.arn != "" {
		return s.beginManaged(inv, st, rt, req)
	}
	unreserved, err := s.admit(f)
	if err != nil {
		s.stats.throttled++
		s.calls.markThrottled(rt.call)
		return nil, err
	}
	s.rememberDurable(inv)
	inv.unreserved = unreserved
	inv.gen = f.latestGen
	s.ensureLogGroup(f.key.region, st.LogGroup)
	cold := f.warm[inv.env] == 0
	if cold {
		s.stats.coldStarts++
	} else {
		f.warm[inv.env]--
	}
	s.stats.invocations++

	snapStart := label != latestLabel && st.SnapStartApplyOn == snapStartPublished
	inv.outcome = simulate(&st.sim, st.MemorySize, st.Timeout, cold, snapStart, f.rng(s.opts.Seed, label))
	s.describeInvocation(inv, st, rt, req)
	return inv, nil
}

// beginManaged admits a managed-instances invocation on an environment of
// its version's fleet and simulates it there. The caller holds s.mu.
func (s *Server) beginManaged(inv *invocation, st *settings, rt *route, req *invokeRequest) (*invocation, *apiError) {
	f := inv.f
	env, n, err := s.admitManaged(f, inv.label, st)
	if err != nil {
		s.stats.throttled++
		s.calls.markThrottled(rt.call)
		return nil, err
	}
	s.rememberDurable(inv)
	inv.managed = env
	s.ensureLogGroup(f.key.region, st.LogGroup)
	s.stats.invocations++
	inv.outcome = simulateManaged(&st.sim, st, n, f.rng(s.opts.Seed, inv.label))
	s.describeInvocation(inv, st, rt, req)
	return inv, nil
}

// describeInvocation marks a response too large for a buffered invocation
// and records what the invocation's log mentions. The caller holds s.mu.
func (s *Server) describeInvocation(inv *invocation, st *settings, rt *route, req *invokeRequest) {
	f, label := inv.f, inv.label
	if !req.streaming && !inv.outcome.failed() && inv.responseSize() > maxSyncResponse {
		inv.outcome.responseTooLarge = true
	}
	inv.log = logContext{
		requestID:    rt.requestID,
		version:      label,
		functionName: f.key.name,
		runtime:      st.Runtime,
		region:       f.key.region,
		memoryMB:     st.MemorySize,
		jsonFormat:   st.LogFormat == "JSON",
		now:          s.now(),
		logBytes:     st.sim.logBytes,
		errorType:    st.sim.errorType,
	}
	if st.TracingMode == "Active" {
		inv.log.traceID = "1-" + strconv.FormatInt(inv.log.now.Unix(), 16) + "-" + s.ids.hexString(24)
		inv.log.segmentID = s.ids.hexString(16)
	}
}

// checkTenant: a function with tenant isolation must be given a TenantId,
// and one without must not be, as AWS answers both with
// InvalidParameterValueException.
func checkTenant(st *settings, req *invokeRequest) *apiError {
	switch isolated := st.TenancyMode != ""; {
	case isolated && !req.hasTenant:
		return errInvalidParameter("TenantId is required: the function has tenant isolation mode %s.", st.TenancyMode)
	case !isolated && req.hasTenant:
		return errInvalidParameter("TenantId is not supported: the function does not have tenant isolation mode enabled.")
	}
	return nil
}

// invocationTarget picks the version a qualifier runs: $LATEST runs its
// settled settings, an alias one of its versions by weight.
func (s *Server) invocationTarget(f *function, qualifier string) (string, *settings, *apiError) {
	label := qualifier
	if a := f.aliases[qualifier]; a != nil {
		label = a.version
		if len(a.weights) > 0 {
			label = a.pick(s.ids.rng.Float64())
		}
	}
	if label == "" || label == latestLabel {
		return latestLabel, f.running, nil
	}
	v := f.versions[label]
	if v == nil || !isVersionNumber(label) {
		return "", nil, errFunctionNotFound(f.qualifiedARN(qualifier))
	}
	if v.status.State == statePending && v.settings.Capacity.arn != "" {
		return "", nil, errStatePending(v.status.State)
	}
	if v.status.State == statePending {
		return "", nil, &apiError{status: http.StatusConflict, code: "SnapStartNotReadyException",
			message: "Lambda is initializing your function. It will be ready to invoke once your function's state is Active."}
	}
	return label, v.settings, nil
}

// pick chooses the version for one invocation through a weighted alias;
// versions are visited in a fixed order so a seeded draw is reproducible.
func (a *alias) pick(draw float64) string {
	for _, n := range slices.Sorted(maps.Keys(a.weights)) {
		w := a.weights[n]
		if draw < w {
			return n
		}
		draw -= w
	}
	return a.version
}

// rng is the seeded noise stream of one version of f.
func (f *function) rng(seed int64, label string) *rand.Rand {
	r := f.rngs[label]
	if r == nil {
		r = streamRNG(seed, f.key.region, f.key.name, label)
		f.rngs[label] = r
	}
	return r
}

// finishInvocation frees the slot and keeps the environment warm unless it
// crashed or its settings were replaced meanwhile. The caller holds s.mu.
func (s *Server) finishInvocation(inv *invocation) {
	f := inv.f
	s.release(f, inv.unreserved)
	if inv.managed != nil {
		inv.managed.inFlight--
		return
	}
	if inv.outcome.discardEnvAfter {
		return
	}
	if inv.label == latestLabel && inv.gen != f.latestGen {
		return
	}
	if inv.label != latestLabel && f.versions[inv.label] == nil {
		return
	}
	f.warm[inv.env]++
}

func (s *Server) writeInvocationResult(w http.ResponseWriter, r *http.Request, inv *invocation) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amz-Executed-Version", inv.label)
	if inv.durableARN != "" {
		h.Set(headerDurableARN, inv.durableARN)
	}
	o := &inv.outcome
	if o.failed() || o.responseTooLarge {
		h.Set(headerFunctionError, "Unhandled")
	}
	if r.Header.Get("X-Amz-Log-Type") == "Tail" {
		h.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString(tail(renderLog(&inv.log, o))))
	}
	body := invocationBody(inv)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// invocationBody is what the function returned, or its error document.
func invocationBody(inv *invocation) []byte {
	o, p, id := &inv.outcome, inv.params, inv.log.requestID
	switch {
	case o.timedOut:
		secs := appendHundredths(nil, o.duration/1000)
		return errorDocument("Sandbox.Timedout", "RequestId: "+id+" Error: Task timed out after "+string(secs)+" seconds", nil)
	case o.outOfMemory:
		return errorDocument("Runtime.OutOfMemory", "RequestId: "+id+" Error: Runtime exited with error: signal: killed", nil)
	case o.functionError:
		trace := []string{p.errorType + ": " + p.errorMessage, "    at handler (/var/task/index.js:12:11)"}
		return errorDocument(p.errorType, p.errorMessage, trace)
	case o.responseTooLarge:
		return responseTooLargeDocument(maxSyncResponse)
	}
	return successBody(inv)
}

// successBody is what the function returns when it succeeds.
func successBody(inv *invocation) []byte {
	p := inv.params
	switch {
	case p.hasResponseBytes:
		return appendResponse(make([]byte, 0, p.responseBytes), 0, p.responseBytes, p.responseBytes)
	case p.hasOutput:
		return []byte(p.output)
	case len(inv.payload) == 0:
		return []byte("{}")
	}
	return inv.payload
}

func errorDocument(typ, message string, trace []string) []byte {
	doc := struct {
		ErrorType    string   `json:"errorType"`
		ErrorMessage string   `json:"errorMessage"`
		StackTrace   []string `json:"stackTrace,omitempty"`
	}{typ, message, trace}
	b, _ := json.Marshal(doc)
	return b
}
