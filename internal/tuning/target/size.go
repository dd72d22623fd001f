package target

import (
	"context"
	"sync"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// Invocable is what one invocation calls.
type Invocable struct {
	Function  string // name or ARN
	Qualifier string // "" for $LATEST
	// Label names it in messages: "alias RAM512", "copy of <arn>".
	Label string
	// Version is the version it runs ("$LATEST" for a copy).
	Version string
}

// Size is one memory size (on one architecture) of the run: invocable once
// each of its variants is ready. Safe for concurrent use.
type Size struct {
	Power int32
	Arch  string // the copy's architecture when architectures are compared; "" for the function's

	events  *progress.Stream
	ready   []chan struct{} // closed when the variant is ready
	skipped chan struct{}   // closed when the size could not be configured

	mu      sync.Mutex
	at      []Invocable
	pending int    // variants not ready yet
	failure string // why the size failed; "" when it did not
}

// NewSize is a size with variants invocation targets.
func NewSize(power int32, arch string, variants int, events *progress.Stream) *Size {
	s := &Size{Power: power, Arch: arch, events: events, ready: make([]chan struct{}, variants),
		skipped: make(chan struct{}), at: make([]Invocable, variants), pending: variants}
	for i := range s.ready {
		s.ready[i] = make(chan struct{})
	}
	return s
}

// Variants is how many invocation targets the size has.
func (s *Size) Variants() int { return len(s.ready) }

// Variant is the variant invocation i runs on.
func (s *Size) Variant(invocation int) int {
	if len(s.ready) == 1 {
		return 0
	}
	return invocation
}

// Ready lets the variant's invocations start, on at.
func (s *Size) Ready(variant int, at Invocable) {
	s.mu.Lock()
	s.at[variant] = at
	s.pending--
	last := s.pending == 0
	s.mu.Unlock()
	close(s.ready[variant])
	if last {
		s.events.Emit(progress.Event{Kind: progress.SizeReady, Power: s.Power, Arch: s.Arch,
			Message: at.Label + " ready (version " + at.Version + ")"})
	}
}

// ReadyAt is what the variant runs on, once it is ready.
func (s *Size) ReadyAt(variant int) (Invocable, bool) {
	select {
	case <-s.ready[variant]:
	default:
		return Invocable{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.at[variant], true
}

// Await waits until invocation i's variant is ready; ok is false when the
// size was skipped instead, and its invocations must stop.
func (s *Size) Await(ctx context.Context, invocation int) (at Invocable, ok bool, err error) {
	v := s.Variant(invocation)
	select {
	case <-s.skipped:
		return Invocable{}, false, nil
	default:
	}
	select {
	case <-s.ready[v]:
		at, _ := s.ReadyAt(v)
		return at, true, nil
	case <-s.skipped:
		return Invocable{}, false, nil
	case <-ctx.Done():
		return Invocable{}, false, ctx.Err()
	}
}

// Skip marks the size failed because it could not be configured
// (skip_failed_power_values): invocations waiting for it stop, and the
// configuration moves on to the next size. Called at most once.
func (s *Size) Skip(reason string) {
	s.Fail(reason)
	close(s.skipped)
}

// Fail marks the size failed for reason (the first reason stays) and says
// whether this was the first failure.
func (s *Size) Fail(reason string) bool {
	s.mu.Lock()
	first := s.failure == ""
	if first {
		s.failure = reason
	}
	s.mu.Unlock()
	if first {
		s.events.Emit(progress.Event{Kind: progress.SizeFailed, Power: s.Power, Arch: s.Arch, Message: reason})
	}
	return first
}

// Failure is why the size failed, or "".
func (s *Size) Failure() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failure
}
