package waiter

import (
	"context"
	"time"
)

// unlearnedFineFor is how long a change nothing is learned of is polled
// every Min before backing off: Lambda updates mostly settle within 1–5 s.
const unlearnedFineFor = 5 * time.Second

// schedule decides when to look at a change again. With a learned latency
// it sleeps until shortly before the change should settle, then polls every
// Min; without one, or once the change takes far longer than learned (VPC
// and SnapStart changes can take minutes), it backs off from 2×Min to Max.
type schedule struct {
	exp      Expect
	min, max time.Duration
	expected time.Duration // learned latency; 0 when none
	learned  bool
	polls    int
	backoffs int
	end      func() // ends a lesson this wait gives; never nil
}

// schedule learns what it can before the first poll: a learned latency, or
// the lesson of a concurrent wait of the same key.
func (w *Waiter) schedule(ctx context.Context, exp Expect) *schedule {
	s := &schedule{exp: exp, min: w.Min, max: w.Max, end: func() {}}
	if exp.Key == "" || w.Latencies == nil || !exp.Ours {
		return s
	}
	expected, learned, lesson, end := w.Latencies.learn(exp.Key)
	if end != nil {
		s.end = end
	}
	if lesson != nil {
		select {
		case <-lesson:
			expected, learned = w.Latencies.expected(exp.Key)
		case <-ctx.Done():
		}
	}
	s.expected, s.learned = expected, learned
	return s
}

// lead is how much earlier than the expected end polling starts: changes
// vary by some tens of milliseconds, and by more the longer they take. The
// expected end is the fastest recent change, and polls go out every Min
// whether or not earlier ones answered, so a short lead is enough.
func (s *schedule) lead() time.Duration { return s.min + s.expected/40 }

// slowAfter is when a change counts as far slower than learned.
func (s *schedule) slowAfter() time.Duration {
	if !s.learned {
		return unlearnedFineFor
	}
	return s.expected*3/2 + 250*time.Millisecond
}

// next is how long to sleep, at now, before the next poll. exact is false
// for a poll interval, which the caller spreads with jitter; the sleep up
// to shortly before the expected end is exact, as jitter would overshoot.
func (s *schedule) next(now time.Time) (d time.Duration, exact bool) {
	s.polls++
	elapsed := now.Sub(s.exp.Since)
	switch {
	case elapsed >= s.slowAfter():
		s.backoffs++
		return Delay(s.backoffs, 2*s.min, max(s.max, 2*s.min)), false
	case !s.learned && s.polls == 1 && s.exp.Ours && s.exp.FirstPoll > 0:
		return s.exp.FirstPoll, false
	case !s.learned:
		return s.min, false
	case s.polls == 1:
		if first := s.expected - s.lead() - elapsed; first > s.min {
			return first, true
		}
	}
	return s.min, false
}
