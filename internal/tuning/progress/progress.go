// Package progress is the stream of events a run reports while it goes on:
// its plan, each memory size configured, invocations done with running
// figures, sizes retired, clean-up and the result. The provider writes them
// to the Terraform log; a Terraform action turns them into progress lines;
// the benchmark times a run from them. It imports nothing that calls AWS.
package progress

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
)

// Kind is what an event reports.
type Kind string

const (
	RunStarted       Kind = "run-started"       // Plan says what the run will do
	Resolved         Kind = "resolved"          // the function is read (and held): configuration begins
	UpdateSent       Kind = "update-sent"       // a configuration update of $LATEST went out (Restore: the one that puts it back)
	UpdateSettled    Kind = "update-settled"    // Lambda finished applying it
	VersionPublished Kind = "version-published" // a version of Power was published
	SizeReady        Kind = "size-ready"        // Power can be invoked (its alias or copy is ready)
	SizeStarted      Kind = "size-started"      // Power's first invocation went out
	Invoked          Kind = "invoked"           // Done of Total invocations of Power, AverageMs so far
	SizeEnded        Kind = "size-ended"        // Power's invocations are over
	SizeRetired      Kind = "size-retired"      // adaptive sampling took Power out, BehindBy the leader
	SizeFailed       Kind = "size-failed"       // Power could not be measured and is skipped (Message says why)
	Cleanup          Kind = "cleanup"           // clean-up work, in Message
	Warning          Kind = "warning"           // something the user should act on, though the run goes on
	Result           Kind = "result"            // the optimum: Power on Arch, in Message
	RunEnded         Kind = "run-ended"
	Note             Kind = "note" // anything else worth a log line: waiting for another run, a leftover deleted
	// ManagedPlanned says, before any copy exists, what a run on Lambda
	// Managed Instances will make and hold (Message): how many copies, for
	// how long, and the instance hours they will cost.
	ManagedPlanned Kind = "managed-planned"
)

// Event is one step of a run.
type Event struct {
	Kind  Kind
	At    time.Time // on the run's clock
	Power int32     // the memory size it is about; 0 for the run as a whole
	Arch  string    // the size's architecture when the run compares architectures
	// Done and Total count a size's invocations (Invoked).
	Done, Total int
	// AverageMs is the mean duration of the size's measured invocations so far.
	AverageMs float64
	// BehindBy is how far behind the leader a retired size was (0.12: 12 %).
	BehindBy float64
	Restore  bool   // UpdateSent, UpdateSettled: the update that puts $LATEST back
	Message  string // details in words
	Plan     *Plan  // RunStarted
}

// Plan is what a run is about to do.
type Plan struct {
	Function      string
	Sizes         []int32 // ascending
	Architectures []string
	Num           int // invocations per size, at most
	Isolation     string
	Sampling      string
	Invocations   int // the most the run will make
	// ManagedSettings are the settings a run on Lambda Managed Instances
	// asks for, each held under load for LoadSeconds; 0 for other runs.
	ManagedSettings int
	LoadSeconds     int
}

// String says the event in one line a person reads on its own.
func (e Event) String() string {
	size := e.size()
	switch e.Kind {
	case RunStarted:
		if p := e.Plan; p != nil {
			return p.String()
		}
	case UpdateSent, UpdateSettled:
		verb := map[Kind]string{UpdateSent: "sent", UpdateSettled: "settled"}[e.Kind]
		if e.Restore {
			return fmt.Sprintf("restoring $LATEST (%d MB): update %s", e.Power, verb)
		}
		return fmt.Sprintf("%s: configuration update %s", size, verb)
	case VersionPublished:
		return join(size+": version published", e.Message)
	case SizeReady:
		return join(size+" ready", e.Message)
	case SizeStarted:
		return size + ": invoking"
	case Invoked:
		s := fmt.Sprintf("%s: %d/%d invocations", size, e.Done, e.Total)
		if e.AverageMs > 0 {
			s += fmt.Sprintf(", avg %.1f ms", e.AverageMs)
		}
		return s
	case SizeEnded:
		return size + ": invocations done"
	case SizeRetired:
		return join(fmt.Sprintf("%s retired, %.1f %% behind", size, 100*e.BehindBy), e.Message)
	case SizeFailed:
		return join(size+" failed, skipping it", e.Message)
	case Result:
		return join("result", e.Message)
	case RunEnded:
		return join("run ended", e.Message)
	}
	if e.Power != 0 && e.Message != "" {
		return size + ": " + e.Message
	}
	return e.Message
}

func (e Event) size() string {
	s := fmt.Sprintf("%d MB", e.Power)
	if e.Arch != "" {
		s += " on " + e.Arch
	}
	return s
}

func join(head, detail string) string {
	if detail == "" {
		return head
	}
	return head + ": " + detail
}

// String says the plan in one line.
func (p Plan) String() string {
	if p.ManagedSettings > 0 {
		return fmt.Sprintf("tuning %s on Lambda Managed Instances: %d settings (memory × memory per vCPU × concurrency), "+
			"each on a copy held under load for %d s", p.Function, p.ManagedSettings, p.LoadSeconds)
	}
	sizes := make([]string, len(p.Sizes))
	for i, s := range p.Sizes {
		sizes[i] = fmt.Sprint(s)
	}
	s := fmt.Sprintf("tuning %s: %d memory sizes (%s MB) × %d invocations", p.Function, len(p.Sizes), strings.Join(sizes, ", "), p.Num)
	if len(p.Architectures) > 0 {
		s += " on " + strings.Join(p.Architectures, " and ")
	}
	return s + fmt.Sprintf(", isolation %s, %s sampling: at most %d invocations", p.Isolation, p.Sampling, p.Invocations)
}

// Stream hands events to one callback, one at a time and stamped on the
// run's clock, so the callback need not be safe for concurrent use although
// memory sizes run in parallel. A nil *Stream or callback drops events.
type Stream struct {
	mu    sync.Mutex
	to    func(Event)
	clock clock.Clock
}

// NewStream delivers to to, stamping with c.
func NewStream(to func(Event), c clock.Clock) *Stream { return &Stream{to: to, clock: c} }

// Emit delivers ev, stamped now.
func (s *Stream) Emit(ev Event) {
	if s == nil || s.to == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ev.At = s.clock.Now()
	s.to(ev)
}

// Note emits a Note for size power (0: the run).
func (s *Stream) Note(power int32, format string, args ...any) {
	s.Emit(Event{Kind: Note, Power: power, Message: fmt.Sprintf(format, args...)})
}

// Milestone says whether done of total invocations deserves a log line:
// every one for small sizes, every tenth of the way for large ones, so that
// num = 1000 does not flood the log. (The engine reports every invocation.)
func Milestone(done, total int) bool {
	if total <= 20 || done == total {
		return true
	}
	return done%(total/10) == 0
}
