package waiter

import (
	"slices"
	"sync"
	"time"
)

// Latencies remembers how long recent changes of each kind took to settle
// (the updates of one function, the creations of its copies), so that the
// next wait sleeps through most of the change instead of polling it. One
// value is shared by every run of one provider process; it is safe for
// concurrent use.
type Latencies struct {
	mu      sync.Mutex
	byKey   map[string][]time.Duration // newest last, at most samplesKept
	lessons map[string]chan struct{}   // a wait of key now learning; closed when it ends
}

// samplesKept is how many recent changes of a key are remembered: enough to
// ride out one odd change, few enough to follow a function whose updates
// became slower (a VPC attached, SnapStart turned on).
const samplesKept = 8

// NewLatencies returns an empty model: the first change of each key is
// polled without a learned latency.
func NewLatencies() *Latencies {
	return &Latencies{byKey: map[string][]time.Duration{}, lessons: map[string]chan struct{}{}}
}

// record adds the latency of one settled change of key.
func (l *Latencies) record(key string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	samples := append(l.byKey[key], d)
	if len(samples) > samplesKept {
		samples = samples[len(samples)-samplesKept:]
	}
	l.byKey[key] = samples
}

// expected is the shortest recent latency of key: waking up before the
// fastest recent change settles costs a few polls, waking up after it
// settled costs the whole difference.
func (l *Latencies) expected(key string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	samples := l.byKey[key]
	if len(samples) == 0 {
		return 0, false
	}
	return slices.Min(samples), true
}

// learn says how a wait of key should go: with a latency learned already;
// as the learner (nothing learned, no one learning: end must be called when
// the wait ends); or after the lesson of a wait learning now, which changes
// started together (a run's copies) share instead of each backing off.
func (l *Latencies) learn(key string) (expected time.Duration, learned bool, lesson <-chan struct{}, end func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if samples := l.byKey[key]; len(samples) > 0 {
		return slices.Min(samples), true, nil, nil
	}
	if ch, ok := l.lessons[key]; ok {
		return 0, false, ch, nil
	}
	ch := make(chan struct{})
	l.lessons[key] = ch
	var once sync.Once
	return 0, false, nil, func() {
		once.Do(func() {
			l.mu.Lock()
			delete(l.lessons, key)
			l.mu.Unlock()
			close(ch)
		})
	}
}

// sample is the latency one wait observed: the change settled after the
// last poll that found it in progress (zero: none did) and before the poll
// that found it done; the middle is the best guess.
func sample(since, lastBusy, done time.Time) time.Duration {
	if lastBusy.IsZero() || lastBusy.Before(since) {
		return done.Sub(since)
	}
	return lastBusy.Sub(since) + done.Sub(lastBusy)/2
}
