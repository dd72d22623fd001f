package tuning

import "sync"

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
