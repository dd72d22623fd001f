package awsclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"testing"
	"testing/synctest"
)

// answersBeforeWritten answers at once and reports the request written
// only when release is closed, as a transport does when a fast server
// answers before its last read of the body.
type answersBeforeWritten struct{ release chan struct{} }

func (c answersBeforeWritten) Do(req *http.Request) (*http.Response, error) {
	trace := httptrace.ContextClientTrace(req.Context())
	go func() {
		<-c.release
		if trace != nil && trace.WroteRequest != nil {
			trace.WroteRequest(httptrace.WroteRequestInfo{})
		}
	}()
	return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
}

// The SDK closes a request's body once Do returns: Do must not return
// while the transport may still read it.
func TestADoReturnsOnlyOnceItsRequestIsWritten(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := answersBeforeWritten{release: make(chan struct{})}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://lambda.test/invocations", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		returned := make(chan struct{})
		go func() {
			resp, err := requestWrittenFirst{inner}.Do(req)
			if err != nil || resp.StatusCode != 200 {
				t.Errorf("Do = %v, %v", resp, err)
			}
			close(returned)
		}()
		synctest.Wait()
		select {
		case <-returned:
			t.Fatal("Do returned while the request was still being written")
		default:
		}
		close(inner.release)
		synctest.Wait()
		select {
		case <-returned:
		default:
			t.Fatal("Do did not return once the request was written")
		}
	})
}

// A request without a body has nothing to wait for.
func TestADoWithoutBodyDoesNotWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		inner := answersBeforeWritten{release: make(chan struct{})}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://lambda.test/functions", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := requestWrittenFirst{inner}.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("Do = %v, %v", resp, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		close(inner.release) // ends the fake's goroutine
	})
}
