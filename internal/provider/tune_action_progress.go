package provider

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// Pacing of the action's progress lines: the engine reports every
// invocation, which would flood a console with num = 1000.
const (
	// sizeLineGap is the least time between two invocation counts of one size.
	sizeLineGap = 2 * time.Second
	// quietLimit: after this long without a line while sizes are invoked,
	// each says where it stands. With progressTick added it stays within
	// the 10 seconds a person waits before wondering whether it hangs.
	quietLimit   = 8 * time.Second
	progressTick = time.Second
)

// progressLines turns a run's events into the lines an action shows. Safe
// for concurrent use: events come from the run, ticks from a timer.
type progressLines struct {
	mu       sync.Mutex
	send     func(string)
	lastLine time.Time
	running  map[sizeID]*sizeLine // sizes being invoked
}

// sizeID is one memory size, on one architecture when several are compared.
type sizeID struct {
	power int32
	arch  string
}

// sizeLine is where a size's invocations stand.
type sizeLine struct {
	last    progress.Event // its latest count; Kind is empty before one
	sent    time.Time      // when its count was last shown
	pending bool           // last is newer than what was shown
}

func newProgressLines(send func(string)) *progressLines {
	return &progressLines{send: send, running: map[sizeID]*sizeLine{}}
}

// event takes one of the run's events at now.
func (p *progressLines) event(ev progress.Event, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := sizeID{ev.Power, ev.Arch}
	switch ev.Kind {
	case progress.SizeStarted:
		p.running[id] = &sizeLine{}
		p.line(ev.String(), now)
	case progress.Invoked:
		s := p.running[id]
		if s == nil {
			s = &sizeLine{}
			p.running[id] = s
		}
		s.last, s.pending = ev, true
		if ev.Done == ev.Total || now.Sub(s.sent) >= sizeLineGap {
			p.count(s, now)
		}
	case progress.SizeEnded:
		// Adaptive sampling stops a size before num: its last count is final.
		if s := p.running[id]; s != nil && s.pending {
			p.count(s, now)
		}
		delete(p.running, id)
	default:
		if line, ok := actionLine(ev); ok {
			p.line(line, now)
		}
	}
}

// tick shows the counts held back by the gap, and, after quietLimit
// without a line, where each size being invoked stands.
func (p *progressLines) tick(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ids := slices.SortedFunc(maps.Keys(p.running), func(a, b sizeID) int {
		return cmp.Or(cmp.Compare(a.power, b.power), cmp.Compare(a.arch, b.arch))
	})
	for _, id := range ids {
		if s := p.running[id]; s.pending && now.Sub(s.sent) >= sizeLineGap {
			p.count(s, now)
		}
	}
	if now.Sub(p.lastLine) < quietLimit {
		return
	}
	for _, id := range ids {
		s := p.running[id]
		if s.last.Kind == "" {
			p.line(progress.Event{Kind: progress.SizeStarted, Power: id.power, Arch: id.arch}.String()+", no invocation finished yet", now)
			continue
		}
		p.line(s.last.String()+", still invoking", now)
	}
}

// count shows a size's latest count. The caller holds p.mu.
func (p *progressLines) count(s *sizeLine, now time.Time) {
	p.line(s.last.String(), now)
	s.sent, s.pending = now, false
}

// line sends one line. The caller holds p.mu, so lines never interleave.
func (p *progressLines) line(text string, now time.Time) {
	p.send(text)
	p.lastLine = now
}

// actionLine is the line an event other than a count makes, if any. Steps
// inside configuring a size (updates, versions) are left to the log; the
// optimum is said by the action's own closing sentence, which compares it
// with today's memory size.
func actionLine(ev progress.Event) (string, bool) {
	switch ev.Kind {
	case progress.RunStarted, progress.SizeReady, progress.SizeRetired, progress.SizeFailed,
		progress.Cleanup, progress.Note, progress.ManagedPlanned:
		return ev.String(), true
	case progress.Warning:
		return "warning: " + ev.String(), true
	case progress.UpdateSettled:
		return ev.String(), ev.Restore // $LATEST back to its memory size: part of clean-up
	}
	return "", false
}

// pace calls p.tick every progressTick on c until ctx ends; the returned
// function stops it and waits, so that nothing is sent once it returns.
func (p *progressLines) pace(ctx context.Context, c clock.Clock) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c.Sleep(ctx, progressTick) == nil {
			p.tick(c.Now())
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
