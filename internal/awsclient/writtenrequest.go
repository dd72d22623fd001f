package awsclient

import (
	"net/http"
	"net/http/httptrace"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// requestWrittenFirst returns a response only once the transport has
// finished writing its request. The SDK closes a request's body as soon as
// Do returns, after which the body answers io.EOF; net/http, though, may
// still be making its last read of the body (the check that it holds no
// more than its Content-Length) when a fast server's answer arrives. That
// read then fails, and the transport closes the connection under the
// response being read: a streamed response dies mid-stream with "use of
// closed network connection", a buffered one is sent again. Waiting for
// the write costs nothing when the request was written before the answer
// came, as it almost always is.
type requestWrittenFirst struct{ aws.HTTPClient }

func (c requestWrittenFirst) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return c.HTTPClient.Do(req)
	}
	written := make(chan struct{})
	var once sync.Once
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(func() { close(written) }) }}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := c.HTTPClient.Do(req)
	if err != nil {
		return resp, err
	}
	select {
	case <-written:
	case <-req.Context().Done():
	}
	return resp, nil
}
