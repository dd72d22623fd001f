package tuning

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

// updatingLambda answers GetFunction with an update in progress until the
// fake clock reaches settlesAt. Any other call fails the test.
type updatingLambda struct {
	LambdaAPI
	t         *testing.T
	clock     *tuningtest.Clock
	settlesAt time.Time
	polls     int
}

func (l *updatingLambda) GetFunction(_ context.Context, in *lambda.GetFunctionInput, _ ...func(*lambda.Options)) (*lambda.GetFunctionOutput, error) {
	if aws.ToString(in.Qualifier) != latestQualifier {
		l.t.Errorf("polled qualifier %q, want $LATEST", aws.ToString(in.Qualifier))
	}
	l.polls++
	status := types.LastUpdateStatusInProgress
	if !l.clock.Now().Before(l.settlesAt) {
		status = types.LastUpdateStatusSuccessful
	}
	return &lambda.GetFunctionOutput{Configuration: &types.FunctionConfiguration{
		MemorySize: aws.Int32(512), State: types.StateActive, LastUpdateStatus: status}}, nil
}

func (l *updatingLambda) GetFunctionConfiguration(context.Context, *lambda.GetFunctionConfigurationInput, ...func(*lambda.Options)) (*lambda.GetFunctionConfigurationOutput, error) {
	l.t.Error("polled with GetFunctionConfiguration, which shares the 15/s control-plane quota")
	return nil, context.Canceled
}

type oneLambda struct{ lam LambdaAPI }

func (c oneLambda) Lambda(string) LambdaAPI { return c.lam }
func (c oneLambda) S3() S3API               { return nil }
func (c oneLambda) Logs(string) LogsAPI     { return nil }
func (c oneLambda) DefaultRegion() string   { return "us-east-1" }

// waitFixture is a run on a fake clock whose updates take latency.
type waitFixture struct {
	t     *testing.T
	clock *tuningtest.Clock
	lam   *updatingLambda
	r     *run
}

func newWaitFixture(t *testing.T, latencies *UpdateLatencies) *waitFixture {
	clock := tuningtest.NewClock(time.Unix(1_700_000_000, 0))
	lam := &updatingLambda{t: t, clock: clock}
	e := New(Config{Clients: oneLambda{lam}, Clock: clock, Seed: 1, Latencies: latencies})
	r := newRun(e, Input{LambdaARN: "fn", Num: 5}, "us-east-1")
	r.arn = "arn:aws:lambda:us-east-1:123456789012:function:fn"
	return &waitFixture{t: t, clock: clock, lam: lam, r: r}
}

// update sends an update that settles after latency and waits for it; it
// returns how late the settled update was noticed and how many polls it took.
func (f *waitFixture) update(latency time.Duration) (late time.Duration, polls int) {
	f.t.Helper()
	sent := f.clock.Now()
	f.lam.settlesAt, f.lam.polls = sent.Add(latency), 0
	if _, err := f.r.waitUpdated(context.Background(), sent); err != nil {
		f.t.Fatal(err)
	}
	return f.clock.Now().Sub(f.lam.settlesAt), f.lam.polls
}

func TestWaitUpdatedLearnsTheLatencyAndPollsJustAfterIt(t *testing.T) {
	for _, latency := range []time.Duration{time.Second, 1500 * time.Millisecond, 2500 * time.Millisecond} {
		f := newWaitFixture(t, nil)
		late, polls := f.update(latency)
		// Unlearned: 500 ms, then every 50 ms, ±20%.
		if late < 0 || late > 60*time.Millisecond || polls > int((latency-400*time.Millisecond)/(40*time.Millisecond))+2 {
			t.Errorf("%v, first update: noticed %v late after %d polls", latency, late, polls)
		}
		for i := range 5 {
			late, polls := f.update(latency)
			// Learned: asleep until shortly before, then every 50 ms ±20%.
			if late < 0 || late > 60*time.Millisecond {
				t.Errorf("%v, update %d: noticed %v late, want at most one fine poll", latency, i+2, late)
			}
			if polls > 7 {
				t.Errorf("%v, update %d: %d polls, want a few near the expected end", latency, i+2, polls)
			}
		}
	}
}

func TestWaitUpdatedBacksOffWhenAnUpdateIsFarSlowerThanLearned(t *testing.T) {
	f := newWaitFixture(t, nil)
	f.update(time.Second)
	f.update(time.Second)
	late, polls := f.update(90 * time.Second) // a VPC function's update
	if polls > 80 {
		t.Errorf("%d polls for a 90 s update, want backoff to 2 s between polls", polls)
	}
	if late < 0 || late > 2400*time.Millisecond {
		t.Errorf("noticed %v late, want at most one backed-off interval", late)
	}
}

func TestUpdateLatenciesAreSharedByEngines(t *testing.T) {
	shared := NewUpdateLatencies()
	first := newWaitFixture(t, shared)
	first.update(2 * time.Second)

	second := newWaitFixture(t, shared)
	late, polls := second.update(2 * time.Second)
	if late > 60*time.Millisecond || polls > 7 {
		t.Errorf("a second engine's first update: %v late after %d polls, want what the first engine learned used", late, polls)
	}
	if sleeps := second.clock.Sleeps(); len(sleeps) == 0 || sleeps[0] < time.Second {
		t.Errorf("the second engine's first sleep was %v, want most of the learned 2 s", sleeps)
	}
}

func TestPollScheduleWithoutOwnUpdateIsNotSleptThrough(t *testing.T) {
	sched := newPollSchedule(time.Unix(0, 0), 3*time.Second, true, false, 50*time.Millisecond, 2*time.Second)
	if d, exact := sched.wait(time.Unix(0, 0)); d != 50*time.Millisecond || exact {
		t.Errorf("first wait for someone else's update = %v, want 50 ms", d)
	}
}

func TestLatencySampleIsBetweenTheLastTwoPolls(t *testing.T) {
	sent := time.Unix(0, 0)
	if got := latencySample(sent, time.Time{}, sent.Add(time.Second)); got != time.Second {
		t.Errorf("no busy poll: %v, want 1s", got)
	}
	if got := latencySample(sent, sent.Add(1400*time.Millisecond), sent.Add(1500*time.Millisecond)); got != 1450*time.Millisecond {
		t.Errorf("busy at 1.4 s, done at 1.5 s: %v, want 1.45 s", got)
	}
}
