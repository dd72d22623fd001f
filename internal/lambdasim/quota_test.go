package lambdasim

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// wantRateExceeded asserts AWS's answer to a call beyond a request-rate
// quota, and that the SDK's retryer takes it for a throttle.
func wantRateExceeded(t *testing.T, err error) {
	t.Helper()
	wantAPIError(t, err, 429, "TooManyRequestsException", "Rate exceeded")
	var tm *types.TooManyRequestsException
	if !errors.As(err, &tm) || tm.Reason != types.ThrottleReasonCallerRateLimitExceeded {
		t.Errorf("want TooManyRequestsException with Reason CallerRateLimitExceeded, got %v", err)
	}
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary {
		t.Errorf("the SDK's retryer does not see a throttle in %v", err)
	}
}

func getConfig(c *lambda.Client, t *testing.T) error {
	_, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("fn")})
	return err
}

func TestControlPlaneQuotaIsSharedAndSlides(t *testing.T) {
	clock := newFakeClock()
	s, c := startWith(t, Options{EnforceQuotas: true, Clock: clock.Now}, FunctionSpec{Name: "fn"})

	// Fifteen calls of different operations share one quota.
	calls := []func() error{
		func() error { return getConfig(c, t) },
		func() error {
			_, err := c.ListAliases(ctx(t), &lambda.ListAliasesInput{FunctionName: aws.String("fn")})
			return err
		},
		func() error {
			_, err := c.ListVersionsByFunction(ctx(t), &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("fn")})
			return err
		},
	}
	for i := range AWSControlQuota {
		if err := calls[i%len(calls)](); err != nil {
			t.Fatalf("control call %d within the quota: %v", i+1, err)
		}
	}
	_, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn")})
	wantRateExceeded(t, err)

	// GetFunction and Invoke are not in that quota.
	if _, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Errorf("GetFunction has its own quota: %v", err)
	}
	if _, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")}); err != nil {
		t.Errorf("Invoke has no request-rate quota here: %v", err)
	}
	// Nor is another region's quota.
	if _, err := lambdaClient(s, "eu-west-1").ListFunctions(ctx(t), &lambda.ListFunctionsInput{}); err != nil {
		t.Errorf("each region has its own quota: %v", err)
	}

	// The window slides: the quota is whole again only a full second after
	// the calls that used it.
	clock.Advance(time.Second - time.Millisecond)
	wantRateExceeded(t, getConfig(c, t))
	clock.Advance(time.Millisecond)
	for i := range AWSControlQuota {
		if err := getConfig(c, t); err != nil {
			t.Fatalf("call %d one second after the first ones: %v", i+1, err)
		}
	}
	wantRateExceeded(t, getConfig(c, t))

	st := s.Stats()
	if st.RateLimited != 3 || st.Throttled != 0 {
		t.Errorf("RateLimited = %d, Throttled = %d; want 3 and 0", st.RateLimited, st.Throttled)
	}
	log := s.Calls()
	if got := log.Count(QuotaControl); got != 2*AWSControlQuota+4 {
		t.Errorf("control calls logged = %d, want %d", got, 2*AWSControlQuota+4)
	}
	throttled := 0
	for _, call := range log {
		if call.Throttled {
			throttled++
		}
	}
	if throttled != 3 {
		t.Errorf("%d calls marked throttled, want 3", throttled)
	}
	// What the client sent, refusals included, is what MaxPerWindow sees.
	if got := log.MaxPerWindow(QuotaControl, time.Second); got != AWSControlQuota+2 {
		t.Errorf("MaxPerWindow(control) = %d, want %d", got, AWSControlQuota+2)
	}
}

func TestGetFunctionQuotaAndOverrides(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{EnforceQuotas: true, Clock: clock.Now, GetFunctionQuota: 4, ControlQuota: 2}, FunctionSpec{Name: "fn"})
	for i := range 4 {
		if _, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")}); err != nil {
			t.Fatalf("GetFunction %d: %v", i+1, err)
		}
	}
	_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	wantRateExceeded(t, err)
	// The control-plane quota is untouched by GetFunction.
	for i := range 2 {
		if err := getConfig(c, t); err != nil {
			t.Fatalf("control call %d: %v", i+1, err)
		}
	}
	wantRateExceeded(t, getConfig(c, t))
}

func TestQuotasDefaultToCountedNotEnforced(t *testing.T) {
	clock := newFakeClock()
	s, c := startWith(t, Options{Clock: clock.Now}, FunctionSpec{Name: "fn"})
	const n = 2 * AWSControlQuota
	for i := range n {
		if err := getConfig(c, t); err != nil {
			t.Fatalf("call %d with quotas off: %v", i+1, err)
		}
	}
	if got := s.MaxPerWindow(QuotaControl, time.Second); got != n {
		t.Errorf("MaxPerWindow = %d, want %d", got, n)
	}
	if st := s.Stats(); st.RateLimited != 0 {
		t.Errorf("RateLimited = %d with enforcement off", st.RateLimited)
	}
}

func TestCallLogClassesAndConcurrencyThrottles(t *testing.T) {
	s, c := startWith(t, Options{TimeScale: 1}, FunctionSpec{Name: "held", ReservedConcurrency: ptr(int32(1)), Environment: holdFunction})
	s.PutObject("bucket", "key", []byte("x"))
	start := time.Now()
	release := holdInvocations(t, s, c, "held", 1)
	_, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("held")})
	wantThrottle(t, err, types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded)
	release()
	if _, err := s3Client(s).HeadObject(ctx(t), &s3.HeadObjectInput{Bucket: aws.String("bucket"), Key: aws.String("key")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("held")}); err != nil {
		t.Fatal(err)
	}

	log := s.Calls()
	want := map[QuotaClass]int{QuotaInvoke: 2, QuotaS3: 1, QuotaGetFunction: 1, QuotaControl: 0}
	for class, n := range want {
		if got := log.Count(class); got != n {
			t.Errorf("Count(%s) = %d, want %d", class, got, n)
		}
	}
	var throttled []Call
	for _, call := range log {
		if call.Time.Before(start) || call.Region != "us-east-1" {
			t.Errorf("call %+v: time before the test or wrong region", call)
		}
		if call.Throttled {
			throttled = append(throttled, call)
		}
	}
	if len(throttled) != 1 || throttled[0].Operation != "Invoke" || throttled[0].Class != QuotaInvoke {
		t.Errorf("throttled calls = %+v, want the one refused Invoke", throttled)
	}
	if st := s.Stats(); st.Throttled != 1 || st.RateLimited != 0 {
		t.Errorf("Throttled = %d, RateLimited = %d; want 1 and 0", st.Throttled, st.RateLimited)
	}
}

func TestMaxPerWindowIsHalfOpenAndPerRegion(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int, region string, class QuotaClass) Call {
		return Call{Operation: "op", Class: class, Region: region, Time: t0.Add(time.Duration(ms) * time.Millisecond)}
	}
	log := CallLog{
		at(0, "us-east-1", QuotaControl), at(500, "us-east-1", QuotaControl), at(999, "us-east-1", QuotaControl),
		at(1000, "us-east-1", QuotaControl), // a second after the first: a new window
		at(1200, "us-east-1", QuotaControl),
		at(100, "eu-west-1", QuotaControl), at(200, "eu-west-1", QuotaControl), at(300, "eu-west-1", QuotaControl),
		at(600, "us-east-1", QuotaGetFunction),
	}
	// Out of order on purpose: MaxPerWindow sorts.
	log[0], log[4] = log[4], log[0]
	for _, tc := range []struct {
		class  QuotaClass
		window time.Duration
		want   int
	}{
		{QuotaControl, time.Second, 4}, // 500, 999, 1000, 1200
		{QuotaControl, 500 * time.Millisecond, 3},
		{QuotaControl, time.Millisecond, 1},
		{QuotaGetFunction, time.Second, 1},
		{QuotaInvoke, time.Second, 0},
	} {
		if got := log.MaxPerWindow(tc.class, tc.window); got != tc.want {
			t.Errorf("MaxPerWindow(%s, %s) = %d, want %d", tc.class, tc.window, got, tc.want)
		}
	}
	if got := log.Since(t0.Add(time.Second)).Count(QuotaControl); got != 2 {
		t.Errorf("Since(t0+1s) control calls = %d, want 2", got)
	}
}

func TestCallLogForgetsTheOldestHalfWhenFull(t *testing.T) {
	var l callLog
	for i := range maxCallLog + 1 {
		if seq := l.record(Call{Operation: "op"}); seq != i {
			t.Fatalf("record %d got sequence %d", i, seq)
		}
	}
	if len(l.calls) != maxCallLog/2+1 || l.dropped != maxCallLog/2 {
		t.Fatalf("after overflow: %d kept, %d dropped", len(l.calls), l.dropped)
	}
	l.markThrottled(maxCallLog) // the newest
	l.markThrottled(0)          // forgotten: ignored
	if !l.calls[len(l.calls)-1].Throttled {
		t.Error("the newest call was not marked throttled")
	}
}

func TestCallLogNamesTheFunctionOfEachCall(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "target"}, FunctionSpec{Name: "other"})
	arn := "arn:aws:lambda:us-east-1:123456789012:function:target"
	if _, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String(arn + ":$LATEST")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("other")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListFunctions(ctx(t), &lambda.ListFunctionsInput{}); err != nil {
		t.Fatal(err)
	}
	log := s.Calls()
	if got := log.ForFunction("target").Operations(); len(got) != 2 || got["GetFunction"] != 1 || got["ListTags"] != 1 {
		t.Errorf("calls naming target = %v, want GetFunction and ListTags once each", got)
	}
	if got := log.ForFunction("other").Operations(); len(got) != 1 || got["Invoke"] != 1 {
		t.Errorf("calls naming other = %v, want one Invoke", got)
	}
	if got := log.ForFunction("").Operations(); got["ListFunctions"] != 1 {
		t.Errorf("calls naming no function = %v, want ListFunctions", got)
	}
}
