package provider

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// simProxy serves the emulator on a URL of its own and runs a hook once,
// after the emulator has answered a request of one operation and before
// that answer reaches the caller: what the hook does lands between that
// call and the caller's next one, as someone else's change would. The hook
// reaches the emulator on its own URL, past the proxy.
type simProxy struct {
	sim    *lambdasim.Server
	server *httptest.Server

	mu       sync.Mutex
	hooks    []*simHook
	requests []seenRequest // every Lambda request, when recording
	record   bool
}

// seenRequest is a request the provider sent, as the proxy saw it.
type seenRequest struct {
	method, path, query, tenant string
	body                        []byte
}

type simHook struct {
	op   string
	do   func()
	done bool
}

// hookedOperations are the Lambda operations a hook may follow, by method
// and path.
var hookedOperations = map[string]struct {
	method string
	path   *regexp.Regexp
}{
	"PublishVersion":              {http.MethodPost, regexp.MustCompile(`^/2015-03-31/functions/[^/]+/versions$`)},
	"UpdateFunctionConfiguration": {http.MethodPut, regexp.MustCompile(`^/2015-03-31/functions/[^/]+/configuration$`)},
}

func newSimProxy(t *testing.T, sim *lambdasim.Server) *simProxy {
	t.Helper()
	p := &simProxy{sim: sim}
	p.server = httptest.NewServer(p)
	t.Cleanup(p.server.Close)
	return p
}

// URL is the endpoint to give the provider.
func (p *simProxy) URL() string { return p.server.URL }

// after runs do once, after the emulator first answered op with success.
func (p *simProxy) after(t *testing.T, op string, do func()) {
	t.Helper()
	if _, ok := hookedOperations[op]; !ok {
		t.Fatalf("no hook after %s: add it to hookedOperations", op)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hooks = append(p.hooks, &simHook{op: op, do: do})
}

func (p *simProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.remember(r)
	hooks := p.pending(r)
	if len(hooks) == 0 {
		p.sim.ServeHTTP(w, r)
		return
	}
	answer := httptest.NewRecorder()
	p.sim.ServeHTTP(answer, r)
	if answer.Code/100 == 2 {
		for _, h := range hooks {
			if p.claim(h) {
				h.do()
			}
		}
	}
	for name, values := range answer.Header() {
		w.Header()[name] = values
	}
	w.WriteHeader(answer.Code)
	_, _ = w.Write(answer.Body.Bytes())
}

// pending are the hooks not run yet that follow r's operation.
func (p *simProxy) pending(r *http.Request) []*simHook {
	p.mu.Lock()
	defer p.mu.Unlock()
	var hooks []*simHook
	for _, h := range p.hooks {
		op := hookedOperations[h.op]
		if !h.done && r.Method == op.method && op.path.MatchString(r.URL.Path) {
			hooks = append(hooks, h)
		}
	}
	return hooks
}

// claim marks h run; false when another request ran it first.
func (p *simProxy) claim(h *simHook) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if h.done {
		return false
	}
	h.done = true
	return true
}

// after makes the provider reach the emulator through a proxy that runs do
// once, right after the emulator first answered op with success and before
// the provider reads that answer. Call it before writing the configuration.
func (e *accEnv) after(t *testing.T, op string, do func()) {
	t.Helper()
	if e.proxy == nil {
		e.proxy = newSimProxy(t, e.sim)
	}
	e.proxy.after(t, op, do)
}

// endpoint is where the provider reaches the emulator.
func (e *accEnv) endpoint() string {
	if e.proxy != nil {
		return e.proxy.URL()
	}
	return e.sim.URL()
}

// settle waits until the last update of function is done, as a deploy
// pipeline does; errors are the test's (it may run on the emulator's side).
func settle(t *testing.T, lam *lambda.Client, function string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := lam.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String(function)})
		if err != nil {
			t.Errorf("GetFunction %s: %v", function, err)
			return
		}
		if c := out.Configuration; c.LastUpdateStatus != types.LastUpdateStatusInProgress && c.State != types.StatePending {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("%s did not settle within 10s", function)
}

// codeSha256 is Lambda's CodeSha256 of a zip package.
func codeSha256(pkg []byte) string {
	sum := sha256.Sum256(pkg)
	return base64.StdEncoding.EncodeToString(sum[:])
}
