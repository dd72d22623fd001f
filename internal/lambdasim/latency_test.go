package lambdasim

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
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
