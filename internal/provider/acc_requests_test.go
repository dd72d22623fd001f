package provider

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// remember keeps r (its body restored for the emulator) while recording.
func (p *simProxy) remember(r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.record {
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	p.requests = append(p.requests, seenRequest{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery,
		tenant: r.Header.Get("X-Amz-Tenant-Id"), body: body})
}

// recorded are the requests seen so far whose path contains part.
func (p *simProxy) recorded(method, part string) []seenRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []seenRequest
	for _, r := range p.requests {
		if r.method == method && strings.Contains(r.path, part) {
			out = append(out, r)
		}
	}
	return out
}

// recordRequests makes the provider reach the emulator through a proxy that
// keeps every request. Call it before writing the configuration.
func (e *accEnv) recordRequests(t *testing.T) *simProxy {
	t.Helper()
	if e.proxy == nil {
		e.proxy = newSimProxy(t, e.sim)
	}
	e.proxy.mu.Lock()
	e.proxy.record = true
	e.proxy.mu.Unlock()
	return e.proxy
}
