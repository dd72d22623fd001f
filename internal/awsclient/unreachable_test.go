package awsclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

func TestUnreachable(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"no such host", fmt.Errorf("send: %w", &net.DNSError{Err: "no such host", Name: "lambda.example.invalid", IsNotFound: true}), true},
		{"DNS timeout", &net.DNSError{Err: "i/o timeout", Name: "lambda.us-east-1.amazonaws.com", IsTimeout: true}, false},
		{"other", errors.New("boom"), false},
	} {
		if got := Unreachable(tt.err); got != tt.want {
			t.Errorf("%s: Unreachable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A refused connection is not retried: one attempt, an error that names
// the endpoint, where 25 attempts used to take minutes.
func TestRefusedConnectionIsNotRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String()
	_ = ln.Close() // nothing listens there any more

	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}
	c := New(cfg, ClientOptions{LambdaEndpoint: endpoint, MaxRetries: 25})
	_, err = c.Lambda("").GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	if !Unreachable(err) {
		t.Fatalf("error %v, want a refused connection", err)
	}
	var exhausted *retry.MaxAttemptsError
	if errors.As(err, &exhausted) {
		t.Errorf("retried %d times: %v", exhausted.Attempt, err)
	}
	if !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Errorf("error %q does not name the endpoint %s", err, endpoint)
	}
}
