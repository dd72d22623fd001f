package lambdasim

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// startServer runs an emulator for one test.
func startServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// startWith runs an emulator with the given functions added and returns
// it with a client for us-east-1.
func startWith(t testing.TB, opts Options, specs ...FunctionSpec) (*Server, *lambda.Client) {
	t.Helper()
	s := startServer(t, opts)
	for _, spec := range specs {
		if _, err := s.AddFunction(spec); err != nil {
			t.Fatal(err)
		}
	}
	return s, lambdaClient(s, "us-east-1")
}

// sdkConfig is a real SDK configuration with retries off, so tests see the
// emulator's raw answers, and a connection pool wide enough for load tests.
func sdkConfig(region string) aws.Config {
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.MaxIdleConns = 512
		tr.MaxIdleConnsPerHost = 512
	})
	return aws.Config{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		HTTPClient:  httpClient,
	}
}

func lambdaClient(s *Server, region string) *lambda.Client {
	return lambda.NewFromConfig(sdkConfig(region), func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(s.URL())
	})
}

func s3Client(s *Server) *s3.Client {
	return s3.NewFromConfig(sdkConfig("us-east-1"), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(s.URL())
		o.UsePathStyle = true
	})
}

// fakeClock is a settable clock for Options.Clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// wantAPIError asserts an SDK error's HTTP status, error code and message.
func wantAPIError(t *testing.T, err error, status int, code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %d %s %q, got success", status, code, message)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want a ResponseError, got %T: %v", err, err)
	}
	if re.HTTPStatusCode() != status {
		t.Errorf("status = %d, want %d (%v)", re.HTTPStatusCode(), status, err)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want a smithy.APIError, got %T: %v", err, err)
	}
	if ae.ErrorCode() != code {
		t.Errorf("code = %q, want %q", ae.ErrorCode(), code)
	}
	if ae.ErrorMessage() != message {
		t.Errorf("message = %q,\n want %q", ae.ErrorMessage(), message)
	}
}

// invokeTail invokes with LogType Tail and returns the decoded log tail.
func invokeTail(t *testing.T, c *lambda.Client, name, qualifier, payload string) (*lambda.InvokeOutput, string) {
	t.Helper()
	in := &lambda.InvokeInput{FunctionName: aws.String(name), LogType: "Tail", Payload: []byte(payload)}
	if qualifier != "" {
		in.Qualifier = aws.String(qualifier)
	}
	out, err := c.Invoke(context.Background(), in)
	if err != nil {
		t.Fatalf("Invoke %s:%s: %v", name, qualifier, err)
	}
	log, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if err != nil {
		t.Fatalf("LogResult is not base64: %v", err)
	}
	return out, string(log)
}

// reportLine returns the log's REPORT line.
func reportLine(t *testing.T, log string) string {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		if strings.HasPrefix(line, "REPORT ") {
			return line
		}
	}
	t.Fatalf("no REPORT line in log:\n%s", log)
	return ""
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// testZip is a real deployment package holding index.js: CreateFunction and
// UpdateFunctionCode refuse what does not unzip, as AWS does.
func testZip(source string) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.Create("index.js")
	if err == nil {
		_, err = f.Write([]byte(source))
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// decodeTail decodes a LogResult.
func decodeTail(t *testing.T, logResult *string) string {
	t.Helper()
	log, err := base64.StdEncoding.DecodeString(aws.ToString(logResult))
	if err != nil {
		t.Fatalf("LogResult is not base64: %v", err)
	}
	return string(log)
}

// typesInvocation is an InvocationType from its name ("" for the default).
func typesInvocation(name string) types.InvocationType { return types.InvocationType(name) }
