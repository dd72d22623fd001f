package tuning

import (
	"sync"
	"time"
)

// timeline records when the phases of a run happened, on the run's clock.
// The benchmark reads it to compute the run's lower bound.
type timeline struct {
	mu        sync.Mutex
	start     time.Time
	end       time.Time
	resolved  time.Time           // resolve finished: configuration can begin
	steps     time.Duration       // configuration steps (update, wait, publish), summed
	restore   time.Duration       // the restore of $LATEST (update and wait)
	ready     map[int32]time.Time // a power value's last alias is ready
	execStart map[int32]time.Time // its first invocation starts
	execEnd   map[int32]time.Time // its last invocation ended
}

func newTimeline() *timeline {
	return &timeline{ready: map[int32]time.Time{}, execStart: map[int32]time.Time{}, execEnd: map[int32]time.Time{}}
}

func (t *timeline) mark(field *time.Time, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	*field = at
}

func (t *timeline) add(field *time.Duration, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	*field += d
}

func (t *timeline) markPower(m map[int32]time.Time, power int32, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m[power] = at
}
