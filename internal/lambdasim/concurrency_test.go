package lambdasim

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// holdFunction runs (at time scale 1) until its caller gives up.
var holdFunction = map[string]string{"SIM_IO_MS": "600000", "SIM_INIT_MS": "0"}

// quickFunction finishes in well under a millisecond even at time scale 1.
var quickFunction = map[string]string{"SIM_INIT_MS": "0"}

// holdInvocations starts n invocations that stay in flight until the
// returned release function is called, and waits until the server runs them.
func holdInvocations(t *testing.T, s *Server, c *lambda.Client, name string, n int) (release func()) {
	t.Helper()
	before := s.Stats().InFlight
	cctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.Invoke(cctx, &lambda.InvokeInput{FunctionName: aws.String(name)})
		}()
	}
	waitFor(t, "invocations in flight", func() bool { return s.Stats().InFlight == before+n })
	return func() {
		cancel()
		wg.Wait()
		waitFor(t, "held invocations to end", func() bool { return s.Stats().InFlight == before })
	}
}

// waitFor polls a condition the server reaches asynchronously (a dropped
// connection is noticed by the server a moment after the client closes it).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func wantThrottle(t *testing.T, err error, reason types.ThrottleReason) {
	t.Helper()
	wantAPIError(t, err, 429, "TooManyRequestsException", "Rate Exceeded.")
	var tm *types.TooManyRequestsException
	if errors.As(err, &tm) && tm.Reason != reason {
		t.Errorf("Reason = %q, want %q", tm.Reason, reason)
	}
}

func TestAccountConcurrencyLimitIsExact(t *testing.T) {
	s, c := startWith(t, Options{AccountConcurrency: 3, TimeScale: 1},
		FunctionSpec{Name: "hold", MemorySize: 1769, Timeout: 900, Environment: holdFunction},
		FunctionSpec{Name: "quick", MemorySize: 1769, Environment: quickFunction})
	quick := func() error {
		_, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("quick")})
		return err
	}

	releaseTwo := holdInvocations(t, s, c, "hold", 2)
	if err := quick(); err != nil {
		t.Fatalf("with 2 of 3 slots taken an invocation runs: %v", err)
	}
	releaseThird := holdInvocations(t, s, c, "hold", 1)
	wantThrottle(t, quick(), types.ThrottleReasonConcurrentInvocationLimitExceeded)
	if st := s.Stats(); st.Throttled != 1 || st.MaxInFlight != 3 {
		t.Errorf("Stats: Throttled %d MaxInFlight %d, want 1 and 3", st.Throttled, st.MaxInFlight)
	}
	releaseThird()
	if err := quick(); err != nil {
		t.Errorf("a freed slot is usable again: %v", err)
	}
	releaseTwo()
	// Three overlapping "hold" invocations needed three environments; the
	// quick function's second run reused its first one.
	if cold := s.Stats().ColdStarts; cold != 4 {
		t.Errorf("ColdStarts = %d, want 4", cold)
	}
}

func TestReservedConcurrency(t *testing.T) {
	s, c := startWith(t, Options{AccountConcurrency: 20, TimeScale: 1}, FunctionSpec{Name: "hold", MemorySize: 1769, Timeout: 900, Environment: holdFunction})

	_, err := c.PutFunctionConcurrency(ctx(t), &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("hold"), ReservedConcurrentExecutions: aws.Int32(19)})
	wantAPIError(t, err, 400, "InvalidParameterValueException", "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [2].")

	out, err := c.PutFunctionConcurrency(ctx(t), &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("hold"), ReservedConcurrentExecutions: aws.Int32(2)})
	if err != nil || aws.ToInt32(out.ReservedConcurrentExecutions) != 2 {
		t.Fatalf("PutFunctionConcurrency: %v", err)
	}
	settings, err := c.GetAccountSettings(ctx(t), &lambda.GetAccountSettingsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if settings.AccountLimit.ConcurrentExecutions != 20 || aws.ToInt32(settings.AccountLimit.UnreservedConcurrentExecutions) != 18 || settings.AccountUsage.FunctionCount != 1 {
		t.Errorf("GetAccountSettings: %+v %+v", settings.AccountLimit, settings.AccountUsage)
	}
	got, err := c.GetFunction(ctx(t), &lambda.GetFunctionInput{FunctionName: aws.String("hold")})
	if err != nil || got.Concurrency == nil || aws.ToInt32(got.Concurrency.ReservedConcurrentExecutions) != 2 {
		t.Errorf("GetFunction Concurrency: %+v %v", got.Concurrency, err)
	}

	release := holdInvocations(t, s, c, "hold", 2)
	_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("hold")})
	wantThrottle(t, err, types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded)
	release()

	if _, err := c.PutFunctionConcurrency(ctx(t), &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("hold"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("hold")})
	wantThrottle(t, err, types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded)
}

// TestThrottlingAtScale runs 10,000 invocations from 200 workers against an
// account limit of 50: every request either runs or is throttled, the
// server never runs more than the limit, and below the limit nothing is
// throttled.
func TestThrottlingAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("scale test")
	}
	const (
		total   = 10000
		workers = 200
		limit   = 50
	)
	// Each invocation holds its slot for about 50 ms of real time, so 200
	// workers overlap far beyond the limit even on a slow machine.
	s, c := startWith(t, Options{AccountConcurrency: limit, TimeScale: 0.01, Seed: 1}, FunctionSpec{Name: "fn", MemorySize: 1769, Timeout: 60, Environment: map[string]string{"SIM_IO_MS": "5000", "SIM_INIT_MS": "50"}})

	run := func(n, concurrency int) (ok, throttled int64) {
		jobs := make(chan struct{})
		var wg sync.WaitGroup
		for range concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range jobs {
					out, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("fn"), Payload: []byte(`{}`)})
					var tm *types.TooManyRequestsException
					switch {
					case err == nil && out.StatusCode == 200:
						atomic.AddInt64(&ok, 1)
					case errors.As(err, &tm) && tm.Reason == types.ThrottleReasonConcurrentInvocationLimitExceeded:
						atomic.AddInt64(&throttled, 1)
					default:
						t.Errorf("unexpected answer: %v", err)
					}
				}
			}()
		}
		for range n {
			jobs <- struct{}{}
		}
		close(jobs)
		wg.Wait()
		return ok, throttled
	}

	start := time.Now()
	ok, throttled := run(total, workers)
	st := s.Stats()
	t.Logf("%d invocations in %s: %d ran, %d throttled, max in flight %d, %d cold starts", total, time.Since(start).Round(time.Millisecond), ok, throttled, st.MaxInFlight, st.ColdStarts)
	if ok+throttled != total {
		t.Errorf("ran %d + throttled %d != %d", ok, throttled, total)
	}
	if throttled == 0 {
		t.Error("200 workers against a limit of 50 must be throttled")
	}
	if int64(st.Invocations) != ok || int64(st.Throttled) != throttled {
		t.Errorf("server counted %d runs and %d throttles, clients saw %d and %d", st.Invocations, st.Throttled, ok, throttled)
	}
	if st.MaxInFlight != limit {
		t.Errorf("MaxInFlight = %d, want exactly the limit %d", st.MaxInFlight, limit)
	}
	if st.InFlight != 0 {
		t.Errorf("InFlight = %d after all requests ended", st.InFlight)
	}
	if st.ColdStarts > limit {
		t.Errorf("%d cold starts: environments must be reused, at most one per concurrent slot (%d)", st.ColdStarts, limit)
	}

	// At exactly the limit, nothing is throttled.
	if ok, throttled := run(1000, limit); throttled != 0 || ok != 1000 {
		t.Errorf("at the limit: %d ran, %d throttled; want 1000 and 0", ok, throttled)
	}
}
