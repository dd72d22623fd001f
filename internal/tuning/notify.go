package tuning

import (
	"sync"
	"time"
)

// Milestone is one step of a run that an Observer is told about.
type Milestone string

const (
	MilestoneRunStarted       Milestone = "run-started"
	MilestoneResolved         Milestone = "resolved" // configuration may begin
	MilestoneUpdateSent       Milestone = "update-sent"
	MilestoneUpdateSettled    Milestone = "update-settled"
	MilestoneVersionPublished Milestone = "version-published"
	MilestoneAliasReady       Milestone = "alias-ready" // the power value's last alias
	MilestoneExecutionStarted Milestone = "execution-started"
	MilestoneExecutionEnded   Milestone = "execution-ended"
	MilestoneRunEnded         Milestone = "run-ended"
)

// Observation is a milestone of a run, on the run's clock. Power is the
// power value it concerns (0 for the run as a whole); Restore marks the
// update that puts $LATEST back.
type Observation struct {
	Milestone Milestone
	Power     int32
	Restore   bool
	At        time.Time
}

// Observer is told each milestone of a run, one at a time, to trace or
// time the run from outside; the provider sets none.
type Observer interface {
	Observe(Observation)
}

// observer delivers observations one at a time to Config.Observer.
type observer struct {
	mu    sync.Mutex
	to    Observer
	clock Clock
}

func (o *observer) observe(m Milestone, power int32) { o.send(m, power, false) }

func (o *observer) send(m Milestone, power int32, restore bool) {
	if o.to == nil {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.to.Observe(Observation{Milestone: m, Power: power, Restore: restore, At: o.clock.Now()})
}

// progress delivers Events to Config.Progress one at a time, so the callback
// need not be safe for concurrent use although power values run in parallel.
type progress struct {
	mu sync.Mutex
	fn func(Event)
}

func (p *progress) emit(ev Event) {
	if p == nil || p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fn(ev)
}

// invocationMilestone says whether done of total invocations deserves an
// event: every one for small runs, every tenth of the way for large ones,
// so that num = 1000 does not flood the log.
func invocationMilestone(done, total int) bool {
	if total <= 20 || done == total {
		return true
	}
	step := total / 10
	return done%step == 0
}
