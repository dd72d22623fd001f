package lambdasim

import (
	"net/http"
	"strings"
	"testing"
)

func TestDecodeAWSChunked(t *testing.T) {
	body := "5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"
	got, err := decodeAWSChunked(strings.NewReader(body))
	if err != nil || string(got) != "hello world" {
		t.Errorf("got %q, %v", got, err)
	}
	for _, bad := range []string{"zz\r\nhello\r\n0\r\n", "5\r\nhel", ""} {
		if _, err := decodeAWSChunked(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestPutObjectWithAWSChunkedBody(t *testing.T) {
	s := startServer(t, Options{})
	req, err := http.NewRequest(http.MethodPut, s.URL()+"/bucket/key", strings.NewReader("3\r\nabc\r\n0\r\n\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	s.mu.Lock()
	obj, e := s.s3.get("bucket", "key")
	s.mu.Unlock()
	if resp.StatusCode != 200 || e != nil || string(obj.body) != "abc" {
		t.Errorf("status %d, stored %v %v", resp.StatusCode, obj, e)
	}
}
