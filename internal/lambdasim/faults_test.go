package lambdasim

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

func TestFaultsByCount(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	s.InjectFault(Fault{Operation: "Invoke", Count: 2, Status: 429})
	s.InjectFault(Fault{Operation: "GetFunction", Count: 1, Status: 500})
	s.InjectFault(Fault{Operation: "PublishVersion", Count: 1, Status: 503})

	invoke := func() error {
		_, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")})
		return err
	}
	wantAPIError(t, invoke(), 429, "TooManyRequestsException", "Rate exceeded")
	wantAPIError(t, invoke(), 429, "TooManyRequestsException", "Rate exceeded")
	if err := invoke(); err != nil {
		t.Errorf("the third invocation is past the fault's count: %v", err)
	}
	_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 500, "ServiceException", "The AWS Lambda service encountered an internal error.")
	_, err = c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn")})
	wantAPIError(t, err, 503, "ServiceUnavailableException", "Service Unavailable")

	st := s.Stats()
	if st.Faults != 4 || st.Requests["Invoke"] != 3 || st.Requests["GetFunction"] != 1 || st.Throttled != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

// The SDK's standard retryer treats injected throttles and 5xx as
// retryable, which is what reliability tests rely on.
func TestSDKRetriesInjectedFaults(t *testing.T) {
	s, _ := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	s.InjectFault(Fault{Operation: "Invoke", Count: 2, Status: 503})
	c := lambda.NewFromConfig(sdkConfig("us-east-1"), func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(s.URL())
		o.Retryer = retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
		})
	})
	if _, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatalf("third attempt should succeed: %v", err)
	}
	if got := s.Stats().Requests["Invoke"]; got != 3 {
		t.Errorf("Invoke requests = %d, want 3", got)
	}
}

func TestFaultRateIsSeeded(t *testing.T) {
	failures := func(seed int64) []bool {
		s, c := startWith(t, Options{Seed: seed}, FunctionSpec{Name: "fn"})
		s.InjectFault(Fault{Operation: "*", Rate: 0.3, Status: 500})
		var out []bool
		for range 40 {
			_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
			out = append(out, err != nil)
		}
		return out
	}
	a, b := failures(11), failures(11)
	n := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different fault pattern at request %d", i)
		}
		if a[i] {
			n++
		}
	}
	if n < 4 || n > 24 {
		t.Errorf("rate 0.3 failed %d of 40 requests", n)
	}
}

func TestDroppedConnection(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	s.InjectFault(Fault{Operation: "Invoke", Count: 1, Drop: true})
	_, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")})
	if err == nil {
		t.Fatal("a dropped connection must fail the call")
	}
	var apiErr interface{ ErrorCode() string }
	if errors.As(err, &apiErr) {
		t.Errorf("a dropped connection has no AWS error code, got %s", apiErr.ErrorCode())
	}
	if _, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")}); err != nil {
		t.Errorf("after the drop: %v", err)
	}
}

func TestSlowResponseHonoursTheClientDeadline(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "fn"})
	s.InjectFault(Fault{Operation: "GetFunction", Delay: time.Hour})
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GetFunction(short, &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a slow answer past the deadline: %v", err)
	}
	s.ClearFaults()
	if _, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

func TestParseFault(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want Fault
		bad  bool
	}{
		{spec: "op=Invoke,status=429,count=3", want: Fault{Operation: "Invoke", Status: 429, Count: 3}},
		{spec: "op=*,rate=0.05,status=503", want: Fault{Operation: "*", Rate: 0.05, Status: 503}},
		{spec: "op=Invoke,drop,count=1", want: Fault{Operation: "Invoke", Drop: true, Count: 1}},
		{spec: "op=PublishVersion,delay=2s", want: Fault{Operation: "PublishVersion", Delay: 2 * time.Second}},
		{spec: "op=GetObject,code=SlowDown,message=slow down", want: Fault{Operation: "GetObject", Code: "SlowDown", Message: "slow down"}},
		{spec: "status=500", bad: true},
		{spec: "op=Invoke", bad: true},
		{spec: "op=Invoke,rate=2,status=500", bad: true},
		{spec: "op=Invoke,colour=red", bad: true},
	} {
		got, err := ParseFault(tc.spec)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: want an error, got %+v", tc.spec, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %+v, %v; want %+v", tc.spec, got, err, tc.want)
		}
	}
}

func TestFaultJSONAcceptsDurationText(t *testing.T) {
	var f Fault
	if err := json.Unmarshal([]byte(`{"operation":"Invoke","delay":"250ms","count":1}`), &f); err != nil {
		t.Fatal(err)
	}
	if f != (Fault{Operation: "Invoke", Delay: 250 * time.Millisecond, Count: 1}) {
		t.Errorf("got %+v", f)
	}
	if err := json.Unmarshal([]byte(`{"operation":"Invoke","delay":"soon"}`), &f); err == nil {
		t.Error("a bad delay must be an error")
	}
}
