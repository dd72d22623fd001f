package tuning

import (
	"slices"
	"sync"
	"time"
)

// UpdateLatencies remembers how long recent configuration updates of each
// function took to settle, so that the next wait sleeps through most of the
// update instead of polling it. One value is shared by every run of one
// provider process (Config.Latencies); it is safe for concurrent use.
type UpdateLatencies struct {
	mu         sync.Mutex
	byFunction map[string][]time.Duration // newest last, at most latencySamples
}

// latencySamples is how many recent updates of a function are remembered:
// enough to ride out one odd update, few enough to follow a function whose
// updates became slower (a VPC attached, SnapStart turned on).
const latencySamples = 8

// NewUpdateLatencies returns an empty model: the first update of each
// function is polled without a learned latency.
func NewUpdateLatencies() *UpdateLatencies {
	return &UpdateLatencies{byFunction: map[string][]time.Duration{}}
}

// record adds the latency of one settled update of function.
func (l *UpdateLatencies) record(function string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	samples := append(l.byFunction[function], d)
	if len(samples) > latencySamples {
		samples = samples[len(samples)-latencySamples:]
	}
	l.byFunction[function] = samples
}

// expected is the shortest recent latency of function: waking up before the
// fastest recent update settles costs a few polls, waking up after the
// update settled costs the whole difference.
func (l *UpdateLatencies) expected(function string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	samples := l.byFunction[function]
	if len(samples) == 0 {
		return 0, false
	}
	return slices.Min(samples), true
}

// pollSchedule decides when to look at an update's status again. With a
// learned latency it sleeps until shortly before the update should settle,
// then polls every fine interval; without one, or once the update takes far
// longer than learned (VPC and SnapStart updates can take minutes), it backs
// off ×1.5 from the fine interval up to the cap.
type pollSchedule struct {
	sent     time.Time     // when the update was sent
	expected time.Duration // learned latency; 0 when none
	learned  bool
	ours     bool          // the run's own update, just sent
	fine     time.Duration // poll interval near the expected completion
	backoff  interval      // once nothing learned applies
	polls    int
}

// Before a function's first update is learned: Lambda updates mostly settle
// within 1–5 s, so the first poll waits unlearnedFirstPolls fine intervals
// (500 ms by default), then polls every fine interval until
// unlearnedFineFor, then backs off.
const (
	unlearnedFirstPolls = 10
	unlearnedFineFor    = 5 * time.Second
)

func newPollSchedule(sent time.Time, expected time.Duration, learned, ours bool, fine, maxInterval time.Duration) *pollSchedule {
	return &pollSchedule{sent: sent, expected: expected, learned: learned && ours, ours: ours, fine: fine,
		backoff: interval{next: 2 * fine, max: max(maxInterval, 2*fine)}}
}

// lead is how much earlier than the expected completion polling starts:
// updates of one function vary by some tens of milliseconds, and by more
// the longer they take.
func (p *pollSchedule) lead() time.Duration { return 2*p.fine + p.expected/20 }

// slowAfter is when an update counts as far slower than learned.
func (p *pollSchedule) slowAfter() time.Duration {
	if !p.learned {
		return unlearnedFineFor
	}
	return p.expected*3/2 + 250*time.Millisecond
}

// wait is how long to sleep, at now, before the next poll. exact is false
// for a poll interval, which the caller spreads with jitter so concurrent
// runs do not poll in step; the sleep up to shortly before the expected
// completion is exact, as jitter on it would overshoot.
func (p *pollSchedule) wait(now time.Time) (d time.Duration, exact bool) {
	p.polls++
	elapsed := now.Sub(p.sent)
	switch {
	case elapsed >= p.slowAfter():
		return p.backoff.step(), false
	case !p.learned && p.polls == 1 && p.ours:
		return unlearnedFirstPolls * p.fine, false
	case !p.learned:
		return p.fine, false
	case p.polls == 1:
		if first := p.expected - p.lead() - elapsed; first > p.fine {
			return first, true
		}
	}
	return p.fine, false
}

// latencySample is the latency one wait observed: the update settled after
// the last poll that found it in progress (zero: none did) and before the
// poll that found it done; the middle is the best guess.
func latencySample(sent, lastBusy, done time.Time) time.Duration {
	if lastBusy.IsZero() || lastBusy.Before(sent) {
		return done.Sub(sent)
	}
	return lastBusy.Sub(sent) + done.Sub(lastBusy)/2
}
