package lambdasim

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// A tuner's waits meet real-time control-plane latencies however fast
// invocations run: a tiny TimeScale must not shorten them.
func TestControlPlaneLatencyIgnoresTimeScale(t *testing.T) {
	clock := newFakeClock()
	_, c := startWith(t, Options{TimeScale: 0.001, UpdateDelay: 2 * time.Second, SnapStartDelay: 3 * time.Second, Clock: clock.Now},
		FunctionSpec{Name: "fn"}, FunctionSpec{Name: "snap", SnapStart: true})
	lastUpdate := func(name string) types.LastUpdateStatus {
		t.Helper()
		out, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		return out.LastUpdateStatus
	}
	if _, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("fn"), MemorySize: aws.Int32(512)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateFunction(ctx(t), createInput("created")); err != nil {
		t.Fatal(err)
	}
	v, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("snap")})
	if err != nil {
		t.Fatal(err)
	}
	versionState := func() types.State {
		t.Helper()
		out, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("snap"), Qualifier: v.Version})
		if err != nil {
			t.Fatal(err)
		}
		return out.State
	}
	createdState := func() types.State {
		t.Helper()
		out, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("created")})
		if err != nil {
			t.Fatal(err)
		}
		return out.Configuration.State
	}

	clock.Advance(2*time.Second - time.Millisecond) // a thousand times the scaled delay
	if got := lastUpdate("fn"); got != types.LastUpdateStatusInProgress {
		t.Errorf("update after 1.999 s = %s, want InProgress (UpdateDelay is real time)", got)
	}
	if got := createdState(); got != types.StatePending {
		t.Errorf("created function after 1.999 s = %s, want Pending", got)
	}
	clock.Advance(time.Millisecond)
	if got := lastUpdate("fn"); got != types.LastUpdateStatusSuccessful {
		t.Errorf("update after 2 s = %s, want Successful", got)
	}
	if got := createdState(); got != types.StateActive {
		t.Errorf("created function after 2 s = %s, want Active", got)
	}
	if got := versionState(); got != types.StatePending {
		t.Errorf("SnapStart version after 2 s = %s, want Pending until 3 s", got)
	}
	clock.Advance(time.Second)
	if got := versionState(); got != types.StateActive {
		t.Errorf("SnapStart version after 3 s = %s, want Active", got)
	}
}

// Lower bound only, like TestPublishDelay: a loaded machine may be slower.
func TestPublishDelayIgnoresTimeScale(t *testing.T) {
	const delay = 60 * time.Millisecond
	_, c := startWith(t, Options{TimeScale: 0.001, PublishDelay: delay}, FunctionSpec{Name: "fn"})
	start := time.Now()
	if _, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: aws.String("fn")}); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < delay {
		t.Errorf("PublishVersion took %s at TimeScale 0.001, want at least the unscaled %s", elapsed, delay)
	}
}

func TestDelayJitterDrawsSeededSpread(t *testing.T) {
	draws := func(opts Options) []time.Duration {
		s := New(opts)
		out := make([]time.Duration, 200)
		for i := range out {
			out[i] = s.jittered(2 * time.Second)
		}
		return out
	}
	a := draws(Options{Seed: 7, DelayJitter: 0.5})
	lo, hi := a[0], a[0]
	for _, d := range a {
		if d < time.Second || d > 3*time.Second {
			t.Fatalf("draw %s outside 1s..3s", d)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo > 1200*time.Millisecond || hi < 2800*time.Millisecond {
		t.Errorf("200 draws span only %s..%s; want the whole 1s..3s", lo, hi)
	}
	b := draws(Options{Seed: 7, DelayJitter: 0.5})
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, draw %d: %s then %s", i, a[i], b[i])
		}
	}
	for _, d := range draws(Options{Seed: 7}) {
		if d != 2*time.Second {
			t.Fatalf("without jitter a delay is exact, got %s", d)
		}
	}
	for _, d := range draws(Options{Seed: 7, DelayJitter: 5}) { // clamped to 1
		if d < 0 || d > 4*time.Second {
			t.Fatalf("a jitter above 1 must act as 1, got %s", d)
		}
	}
}

func TestDelayJitterSpreadsUpdates(t *testing.T) {
	clock := newFakeClock()
	names := []string{"a", "b", "c", "d"}
	var specs []FunctionSpec
	for _, n := range names {
		specs = append(specs, FunctionSpec{Name: n})
	}
	_, c := startWith(t, Options{Seed: 3, UpdateDelay: 2 * time.Second, DelayJitter: 0.5, Clock: clock.Now}, specs...)
	for _, n := range names {
		if _, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(n), Timeout: aws.Int32(9)}); err != nil {
			t.Fatal(err)
		}
	}
	settledAt := map[string]time.Duration{}
	const step = 50 * time.Millisecond
	for elapsed := time.Duration(0); elapsed <= 3*time.Second; elapsed += step {
		for _, n := range names {
			if _, done := settledAt[n]; done {
				continue
			}
			out, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(n)})
			if err != nil {
				t.Fatal(err)
			}
			if out.LastUpdateStatus == types.LastUpdateStatusSuccessful {
				settledAt[n] = elapsed
			}
		}
		clock.Advance(step)
	}
	distinct := map[time.Duration]bool{}
	for _, n := range names {
		at, ok := settledAt[n]
		if !ok || at < time.Second || at > 3*time.Second {
			t.Errorf("%s settled at %s (settled: %v), want within 1s..3s", n, at, ok)
		}
		distinct[at] = true
	}
	if len(distinct) < 2 {
		t.Errorf("four jittered updates all settled at the same time: %v", settledAt)
	}
}

func TestControlPlaneDelayByClass(t *testing.T) {
	const latency = 2 * time.Second
	for _, tc := range []struct {
		class  QuotaClass
		jitter float64
		lo, hi time.Duration
	}{
		{QuotaGetFunction, 0, latency, latency},
		{QuotaControl, 0, latency, latency},
		{QuotaGetFunction, 0.5, time.Second, 3 * time.Second},
		{QuotaControl, 0.5, time.Second, 3 * time.Second},
		{QuotaInvoke, 0.5, 0, 0},
		{QuotaS3, 0.5, 0, 0},
		{QuotaLogs, 0.5, 0, 0},
	} {
		t.Run(fmt.Sprintf("%s jitter %v", tc.class, tc.jitter), func(t *testing.T) {
			s := New(Options{Seed: 7, ControlPlaneLatency: latency, DelayJitter: tc.jitter})
			s.mu.Lock()
			defer s.mu.Unlock()
			for range 50 {
				if d := s.controlPlaneDelay(tc.class); d < tc.lo || d > tc.hi {
					t.Fatalf("delay %s outside %s..%s", d, tc.lo, tc.hi)
				}
			}
		})
	}
}

// Without ControlPlaneLatency no jitter is drawn, so the update, publish and
// SnapStart delays a seed gives stay what they were.
func TestZeroControlPlaneLatencyDrawsNoJitter(t *testing.T) {
	opts := Options{Seed: 7, DelayJitter: 0.5}
	untouched, s := New(opts), New(opts)
	s.mu.Lock()
	defer s.mu.Unlock()
	for range 10 {
		if d := s.controlPlaneDelay(QuotaControl); d != 0 {
			t.Fatalf("delay %s without ControlPlaneLatency, want 0", d)
		}
	}
	if a, b := untouched.jittered(time.Second), s.jittered(time.Second); a != b {
		t.Errorf("next update delay %s, want %s as if no call had been made", b, a)
	}
}

// wantErrorCode turns the expected AWS error into success for a table of calls.
func wantErrorCode(err error, code string) error {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == code {
		return nil
	}
	return fmt.Errorf("want %s, got %v", code, err)
}

// Lower bounds only, like TestPublishDelay: a loaded machine may be slower.
// The clock stands still: the latency is real time whatever Clock says.
func TestControlPlaneLatencyDelaysEveryLambdaAPICall(t *testing.T) {
	const latency, publishDelay = 50 * time.Millisecond, 40 * time.Millisecond
	clock := newFakeClock()
	s, c := startWith(t, Options{TimeScale: 0.001, Clock: clock.Now, ControlPlaneLatency: latency, PublishDelay: publishDelay},
		FunctionSpec{Name: "fn"}, FunctionSpec{Name: "doomed"})
	arn := "arn:aws:lambda:us-east-1:123456789012:function:fn"
	fn := aws.String("fn")
	for _, tc := range []struct {
		name string
		call func() error
		min  time.Duration
	}{
		{"GetFunction", func() error {
			_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: fn})
			return err
		}, latency},
		{"GetFunction of a missing function", func() error {
			_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("missing")})
			return wantErrorCode(err, "ResourceNotFoundException")
		}, latency},
		{"ListFunctions", func() error {
			_, err := c.ListFunctions(ctx(t), &lambda.ListFunctionsInput{})
			return err
		}, latency},
		{"GetFunctionConfiguration", func() error {
			_, err := c.GetFunctionConfiguration(ctx(t), &lambda.GetFunctionConfigurationInput{FunctionName: fn})
			return err
		}, latency},
		{"UpdateFunctionConfiguration", func() error {
			_, err := c.UpdateFunctionConfiguration(ctx(t), &lambda.UpdateFunctionConfigurationInput{FunctionName: fn, MemorySize: aws.Int32(256)})
			return err
		}, latency},
		{"TagResource", func() error {
			_, err := c.TagResource(ctx(t), &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"team": "perf"}})
			return err
		}, latency},
		{"ListTags", func() error {
			_, err := c.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(arn)})
			return err
		}, latency},
		{"PublishVersion takes PublishDelay on top", func() error {
			_, err := c.PublishVersion(ctx(t), &lambda.PublishVersionInput{FunctionName: fn})
			return err
		}, latency + publishDelay},
		{"ListVersionsByFunction", func() error {
			_, err := c.ListVersionsByFunction(ctx(t), &lambda.ListVersionsByFunctionInput{FunctionName: fn})
			return err
		}, latency},
		{"CreateAlias", func() error {
			_, err := c.CreateAlias(ctx(t), &lambda.CreateAliasInput{FunctionName: fn, Name: aws.String("live"), FunctionVersion: aws.String("1")})
			return err
		}, latency},
		{"GetAlias", func() error {
			_, err := c.GetAlias(ctx(t), &lambda.GetAliasInput{FunctionName: fn, Name: aws.String("live")})
			return err
		}, latency},
		{"GetAccountSettings", func() error {
			_, err := c.GetAccountSettings(ctx(t), &lambda.GetAccountSettingsInput{})
			return err
		}, latency},
		{"CreateFunction", func() error {
			_, err := c.CreateFunction(ctx(t), createInput("created"))
			return err
		}, latency},
		{"DeleteFunction", func() error {
			_, err := c.DeleteFunction(ctx(t), &lambda.DeleteFunctionInput{FunctionName: aws.String("doomed")})
			return err
		}, latency},
		{"an injected fault", func() error {
			s.InjectFault(Fault{Operation: "ListAliases", Status: 503, Count: 1})
			_, err := c.ListAliases(ctx(t), &lambda.ListAliasesInput{FunctionName: fn})
			return wantErrorCode(err, "ServiceUnavailableException")
		}, latency},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
			if elapsed := time.Since(start); elapsed < tc.min {
				t.Errorf("took %s at TimeScale 0.001 with a frozen clock, want at least %s", elapsed, tc.min)
			}
		})
	}
}

// AWS's round trip comes before its 429 too.
func TestControlPlaneLatencyDelaysThrottledCalls(t *testing.T) {
	const latency = 50 * time.Millisecond
	clock := newFakeClock() // frozen: the quota's second never ends
	_, c := startWith(t, Options{Clock: clock.Now, ControlPlaneLatency: latency, EnforceQuotas: true, ControlQuota: 1})
	if _, err := c.ListFunctions(ctx(t), &lambda.ListFunctionsInput{}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := c.ListFunctions(ctx(t), &lambda.ListFunctionsInput{})
	if err := wantErrorCode(err, "TooManyRequestsException"); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < latency {
		t.Errorf("throttled call took %s, want at least %s", elapsed, latency)
	}
}

// An hour's latency: a delayed call would meet ctx's 30 s deadline instead
// of its answer, so no timing is asserted.
func TestControlPlaneLatencySparesInvokeS3AndLogs(t *testing.T) {
	s, c := startWith(t, Options{ControlPlaneLatency: time.Hour}, FunctionSpec{Name: "fn"})
	if _, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("fn")}); err != nil {
		t.Errorf("Invoke: %v", err)
	}
	objects := s3Client(s)
	if _, err := objects.PutObject(ctx(t), &s3.PutObjectInput{Bucket: aws.String("payloads"), Key: aws.String("event.json"), Body: bytes.NewReader([]byte("{}"))}); err != nil {
		t.Errorf("PutObject: %v", err)
	}
	if _, err := objects.GetObject(ctx(t), &s3.GetObjectInput{Bucket: aws.String("payloads"), Key: aws.String("event.json")}); err != nil {
		t.Errorf("GetObject: %v", err)
	}
	if _, err := objects.ListObjectsV2(ctx(t), &s3.ListObjectsV2Input{Bucket: aws.String("payloads")}); err != nil {
		t.Errorf("ListObjectsV2: %v", err)
	}
	if _, err := logsClient(s.URL()).DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{}); err != nil {
		t.Errorf("DescribeLogGroups: %v", err)
	}
}

// The latency is slept outside the server's lock: eight concurrent calls
// take about one latency, not eight. The bound is half the serialised time,
// far above what a loaded machine adds.
func TestControlPlaneLatencyIsTakenInParallel(t *testing.T) {
	const calls, latency = 8, 300 * time.Millisecond
	_, c := startWith(t, Options{ControlPlaneLatency: latency}, FunctionSpec{Name: "fn"})
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	start := time.Now()
	for range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
			errs <- err
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if elapsed < latency {
		t.Errorf("%d calls took %s, want at least one latency, %s", calls, elapsed, latency)
	}
	if serialised := calls * latency; elapsed >= serialised/2 {
		t.Errorf("%d concurrent GetFunction calls took %s, want well under the serialised %s", calls, elapsed, serialised)
	}
}
