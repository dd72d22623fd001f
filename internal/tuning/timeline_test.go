package tuning

import (
	"sync"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// timeline listens to a run's progress events and keeps when its steps
// happened; the benchmark computes the run's lower bound from it.
type timeline struct {
	// updateDelay is how long the emulator takes to settle an update, and
	// call how long it takes to answer any control-plane call: a step's
	// ideal wait is the update and the one poll that sees it settled,
	// however late the run noticed it.
	updateDelay  time.Duration
	call         time.Duration
	mu           sync.Mutex
	start, end   time.Time
	resolved     time.Time           // configuration can begin
	stepBegan    map[int32]time.Time // the power value's update was sent
	settled      map[int32]time.Time // the run saw the power value's update settled
	chainAt      time.Time           // the chain's last step ended (resolved, or a version published)
	steps        time.Duration       // configuration steps (update, ideal wait, publish), summed
	restoreBegan time.Time           // the restore of $LATEST was sent
	restore      time.Duration       // the restore (update and ideal wait)
	ready        map[int32]time.Time // a power value's last alias is ready
	execStart    map[int32]time.Time // its first invocation starts
	execEnd      map[int32]time.Time // its last invocation ended
}

func newTimeline(updateDelay, call time.Duration) *timeline {
	return &timeline{updateDelay: updateDelay, call: call, stepBegan: map[int32]time.Time{}, settled: map[int32]time.Time{}, ready: map[int32]time.Time{},
		execStart: map[int32]time.Time{}, execEnd: map[int32]time.Time{}}
}

// observe is the run's Config.Progress.
func (t *timeline) observe(o progress.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch o.Kind {
	case progress.RunStarted:
		t.start = o.At
	case progress.RunEnded:
		t.end = o.At
	case progress.Resolved:
		t.resolved, t.chainAt = o.At, o.At
	case progress.UpdateSent:
		if o.Restore {
			t.restoreBegan = o.At
		} else {
			t.stepBegan[o.Power] = o.At
		}
	case progress.UpdateSettled:
		if o.Restore {
			t.restore += min(o.At.Sub(t.restoreBegan), t.updateDelay+t.call)
		} else {
			t.settled[o.Power] = o.At
		}
	case progress.VersionPublished:
		began, ok := t.stepBegan[o.Power]
		if !ok {
			began = t.chainAt // published without an update: $LATEST had that memory already
		}
		t.chainAt = o.At
		step := o.At.Sub(began)
		if settled, ok := t.settled[o.Power]; ok {
			// As if the update had been seen by a poll sent the moment it
			// settled, which answers one call later.
			step = min(step, t.updateDelay+t.call+o.At.Sub(settled))
		}
		t.steps += step
		delete(t.stepBegan, o.Power)
		delete(t.settled, o.Power)
	case progress.SizeReady:
		t.ready[o.Power] = o.At
	case progress.SizeStarted:
		t.execStart[o.Power] = o.At
	case progress.SizeEnded:
		t.execEnd[o.Power] = o.At
	}
}

// lowerBound is the shortest any safe schedule could take given the
// durations this run measured: configuration of one function is a serial
// chain (one read of the function, with the listings beside it; the claim
// that outlives a crash, written before the first change; update–wait–
// publish per power value; the restore of $LATEST; the claim's removal), a
// power value executes only once its alias is ready, and the
// last-configured power value's execution cannot start before the chain
// has reached it. The read, the claim and its removal count as one call
// each; each wait as the emulator's update delay and one call to see it,
// not as long as the run took to notice, so any other call in the chain,
// and noticing late, show in the ratio. Overlapping everything else is the
// scheduler's job.
func (t *timeline) lowerBound(last int32) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	execOf := func(p int32) time.Duration { return t.execEnd[p].Sub(t.execStart[p]) }
	chain := 2*t.call + t.steps
	bound := chain + max(t.restore, execOf(last))
	for p, ready := range t.ready {
		bound = max(bound, ready.Sub(t.start)+execOf(p))
	}
	return bound + t.call
}

func (t *timeline) wall() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.end.Sub(t.start)
}
