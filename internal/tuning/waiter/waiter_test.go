package waiter

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
)

// The waits run in a synctest bubble: time is the bubble's, which moves
// only when every goroutine waits, so polls that overlap are deterministic.

// call is how long a poll takes to answer; the change is judged when the
// poll arrives, half-way.
const call = 100 * time.Millisecond

// change settles at settlesAt and counts the polls.
type change struct {
	settlesAt time.Time
	polls     atomic.Int32
}

func (c *change) check(ctx context.Context) (bool, string, error) {
	c.polls.Add(1)
	if err := (clock.Real{}).Sleep(ctx, call/2); err != nil {
		return false, "", err
	}
	done := !time.Now().Before(c.settlesAt)
	if err := (clock.Real{}).Sleep(ctx, call/2); err != nil {
		return false, "", err
	}
	return done, "the update is still InProgress", nil
}

// sleeps is the real clock, keeping what the waiter asked to sleep.
type sleeps struct {
	clock.Real
	mu    sync.Mutex
	asked []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.asked = append(s.asked, d)
	s.mu.Unlock()
	return s.Real.Sleep(ctx, d)
}

func (s *sleeps) first() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.asked[0]
}

// fixture is a waiter with production settings.
type fixture struct {
	t      *testing.T
	clock  *sleeps
	waiter *Waiter
}

func newFixture(t *testing.T, latencies *Latencies) *fixture {
	c := &sleeps{}
	if latencies == nil {
		latencies = NewLatencies()
	}
	jitter := func(d time.Duration) time.Duration { return d * 9 / 10 }
	return &fixture{t: t, clock: c, waiter: &Waiter{Settings: Settings{}.WithDefaults(), Clock: c, Jitter: jitter, Latencies: latencies}}
}

// update waits for one change of latency, as the run's own update; it
// returns how late the settled change was noticed (beyond the one call
// that sees it) and how many polls it took.
func (f *fixture) update(latency time.Duration) (late time.Duration, polls int) {
	f.t.Helper()
	sent := time.Now()
	c := &change{settlesAt: sent.Add(latency)}
	exp := Expect{Key: "us-east-1/fn", Since: sent, Ours: true, FirstPoll: 500 * time.Millisecond}
	if err := f.waiter.Poll(context.Background(), exp, c.check); err != nil {
		f.t.Fatal(err)
	}
	return time.Since(c.settlesAt) - call/2, int(c.polls.Load())
}

// bubble runs test in a synctest bubble.
func bubble(t *testing.T, test func(t *testing.T)) { synctest.Test(t, test) }

func TestPollLearnsTheLatencyAndPollsJustAfterIt(t *testing.T) {
	bubble(t, func(t *testing.T) {
		for _, latency := range []time.Duration{time.Second, 1500 * time.Millisecond, 2500 * time.Millisecond} {
			f := newFixture(t, nil)
			late, polls := f.update(latency)
			// Unlearned: 500 ms, then every 50 ms (jittered to 45 ms).
			if late < 0 || late > 60*time.Millisecond || polls > int((latency-400*time.Millisecond)/(40*time.Millisecond))+2 {
				t.Errorf("%v, first update: noticed %v late after %d polls", latency, late, polls)
			}
			for i := range 5 {
				late, polls := f.update(latency)
				if late < 0 || late > 60*time.Millisecond {
					t.Errorf("%v, update %d: noticed %v late, want at most one fine poll", latency, i+2, late)
				}
				if polls > 7 {
					t.Errorf("%v, update %d: %d polls, want a few near the expected end", latency, i+2, polls)
				}
			}
		}
	})
}

func TestPollBacksOffWhenAChangeIsFarSlowerThanLearned(t *testing.T) {
	bubble(t, func(t *testing.T) {
		f := newFixture(t, nil)
		f.update(time.Second)
		f.update(time.Second)
		late, polls := f.update(90 * time.Second) // a VPC function's update
		if polls > 80 {
			t.Errorf("%d polls for a 90 s update, want backoff to 2 s between polls", polls)
		}
		if late < 0 || late > 2400*time.Millisecond {
			t.Errorf("noticed %v late, want at most one backed-off interval", late)
		}
	})
}

func TestLatenciesAreSharedByWaiters(t *testing.T) {
	bubble(t, func(t *testing.T) {
		shared := NewLatencies()
		newFixture(t, shared).update(2 * time.Second)

		second := newFixture(t, shared)
		late, polls := second.update(2 * time.Second)
		if late > 60*time.Millisecond || polls > 7 {
			t.Errorf("a second waiter's first update: %v late after %d polls, want what the first learned used", late, polls)
		}
		if first := second.clock.first(); first < time.Second {
			t.Errorf("the second waiter's first sleep was %v, want most of the learned 2 s", first)
		}
	})
}

func TestSomeoneElsesChangeIsNotSleptThroughNorLearned(t *testing.T) {
	bubble(t, func(t *testing.T) {
		f := newFixture(t, nil)
		f.update(3 * time.Second)
		before, _ := f.waiter.Latencies.expected("us-east-1/fn")
		sent := time.Now()
		c := &change{settlesAt: sent.Add(time.Second)}
		if err := f.waiter.Poll(context.Background(), Expect{Key: "us-east-1/fn", Since: sent}, c.check); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(sent) - time.Second - call/2; waited > 50*time.Millisecond {
			t.Errorf("someone else's change was noticed %v late, want within a poll interval", waited)
		}
		if got, _ := f.waiter.Latencies.expected("us-east-1/fn"); got != before {
			t.Errorf("learned %v after someone else's 1 s change, want the run's own %v only", got, before)
		}
	})
}

func TestConcurrentChangesShareOneLesson(t *testing.T) {
	// Copies created together: the first wait learns, the others wait for
	// its lesson instead of each polling from the start.
	l := NewLatencies()
	_, learned, lesson, end := l.learn("create")
	if learned || lesson != nil || end == nil {
		t.Fatalf("first wait: learned %v, lesson %v, end %v; want the learner", learned, lesson != nil, end != nil)
	}
	_, learned, lesson, followerEnd := l.learn("create")
	if learned || lesson == nil || followerEnd != nil {
		t.Fatalf("second wait: learned %v, lesson %v; want a follower of the first", learned, lesson != nil)
	}
	select {
	case <-lesson:
		t.Fatal("the lesson ended before the learner")
	default:
	}
	l.record("create", 1500*time.Millisecond)
	end()
	<-lesson
	if got, ok := l.expected("create"); !ok || got != 1500*time.Millisecond {
		t.Errorf("after the lesson: %v, %v; want 1.5 s learned", got, ok)
	}
	if _, learned, _, _ := l.learn("create"); !learned {
		t.Error("a later wait did not use what was learned")
	}
}

func TestAFollowerSleepsThroughTheLearnedLatency(t *testing.T) {
	bubble(t, func(t *testing.T) {
		f := newFixture(t, nil)
		_, _, _, end := f.waiter.Latencies.learn("create")
		f.waiter.Latencies.record("create", 2*time.Second)
		end()
		sent := time.Now()
		c := &change{settlesAt: sent.Add(2 * time.Second)}
		if err := f.waiter.Poll(context.Background(), Expect{Key: "create", Since: sent, Ours: true}, c.check); err != nil {
			t.Fatal(err)
		}
		if c.polls.Load() > 7 {
			t.Errorf("%d polls after a 2 s lesson, want a few near its end", c.polls.Load())
		}
	})
}

func TestPollGivesUpAfterTheTimeoutNamingTheState(t *testing.T) {
	bubble(t, func(t *testing.T) {
		f := newFixture(t, nil)
		f.waiter.Timeout = time.Minute
		c := &change{settlesAt: time.Now().Add(time.Hour)}
		err := f.waiter.Poll(context.Background(), Expect{Since: time.Now()}, c.check)
		if !errors.Is(err, faults.ErrFunctionBusy) || err.Error() != "the function stayed busy: the update is still InProgress after 1m0s" {
			t.Errorf("Poll = %v", err)
		}
	})
}

func TestRetryWaitsOutBusyAnswersAndReturnsOthers(t *testing.T) {
	bubble(t, func(t *testing.T) {
		f := newFixture(t, nil)
		busy := errors.New("busy")
		calls := 0
		err := f.waiter.Retry(context.Background(), func(err error) bool { return err == busy }, func(context.Context) error {
			calls++
			if calls < 4 {
				return busy
			}
			return nil
		})
		if err != nil || calls != 4 {
			t.Errorf("Retry = %v after %d calls, want nil after 4", err, calls)
		}
		other := errors.New("denied")
		if err := f.waiter.Retry(context.Background(), func(err error) bool { return err == busy }, func(context.Context) error { return other }); err != other {
			t.Errorf("Retry = %v, want the non-retryable error at once", err)
		}
	})
}

func TestDelayGrowsToItsCap(t *testing.T) {
	want := []time.Duration{100, 150, 225, 337, 400, 400}
	for i, w := range want {
		if got := Delay(i+1, 100, 400); got != w {
			t.Errorf("Delay(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestSampleIsBetweenTheLastTwoPolls(t *testing.T) {
	sent := time.Unix(0, 0)
	if got := sample(sent, time.Time{}, sent.Add(time.Second)); got != time.Second {
		t.Errorf("no busy poll: %v, want 1s", got)
	}
	if got := sample(sent, sent.Add(1400*time.Millisecond), sent.Add(1500*time.Millisecond)); got != 1450*time.Millisecond {
		t.Errorf("busy at 1.4 s, done at 1.5 s: %v, want 1.45 s", got)
	}
}
