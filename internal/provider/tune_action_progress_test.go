package provider

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

// shownLines records what an action would show, with when.
type shownLines struct {
	clock *tuningtest.Clock
	lines []string
	at    []time.Time
}

func (s *shownLines) send(line string) {
	s.lines = append(s.lines, line)
	s.at = append(s.at, s.clock.Now())
}

func newShownLines() (*shownLines, *progressLines) {
	s := &shownLines{clock: tuningtest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))}
	return s, newProgressLines(s.send)
}

func invoked(power int32, done, total int, avg float64) progress.Event {
	return progress.Event{Kind: progress.Invoked, Power: power, Done: done, Total: total, AverageMs: avg}
}

// Fast invocations: a count per size at most every 2 seconds, and the final
// count always.
func TestProgressLinesThrottleCountsPerSize(t *testing.T) {
	shown, p := newShownLines()
	p.event(progress.Event{Kind: progress.SizeStarted, Power: 512}, shown.clock.Now())
	for done := 1; done <= 100; done++ {
		shown.clock.Advance(100 * time.Millisecond) // 10 invocations a second
		p.event(invoked(512, done, 100, 80+float64(done)/10), shown.clock.Now())
		p.tick(shown.clock.Now())
	}
	p.event(progress.Event{Kind: progress.SizeEnded, Power: 512}, shown.clock.Now())

	var counts []string
	var last time.Time
	for i, line := range shown.lines {
		if !strings.Contains(line, "/100 invocations") {
			continue
		}
		if !last.IsZero() && shown.at[i].Sub(last) < sizeLineGap && !strings.Contains(line, "100/100") {
			t.Errorf("%q came %v after the previous count, want at least %v", line, shown.at[i].Sub(last), sizeLineGap)
		}
		counts, last = append(counts, line), shown.at[i]
	}
	// 10 s of invocations: the first at once, then one every 2 s, then 100/100.
	if len(counts) < 5 || len(counts) > 7 {
		t.Errorf("%d counts for 100 invocations over 10 s, want about one per 2 s:\n%s", len(counts), strings.Join(counts, "\n"))
	}
	if got := counts[len(counts)-1]; got != "512 MB: 100/100 invocations, avg 90.0 ms" {
		t.Errorf("last count %q, want the final 100/100 with its average", got)
	}
	if shown.lines[0] != "512 MB: invoking" {
		t.Errorf("first line %q, want the size starting", shown.lines[0])
	}
}

// Slow invocations: never more than 10 seconds without a line while a size
// is invoked, even when none finishes.
func TestProgressLinesNeverFallSilentWhileSizesRun(t *testing.T) {
	shown, p := newShownLines()
	p.event(progress.Event{Kind: progress.SizeStarted, Power: 128}, shown.clock.Now())
	p.event(progress.Event{Kind: progress.SizeStarted, Power: 1024}, shown.clock.Now())
	start := shown.clock.Now()
	for second := 1; second <= 60; second++ {
		shown.clock.Advance(progressTick)
		if second == 25 {
			p.event(invoked(1024, 1, 3, 24000), shown.clock.Now()) // one 24-second invocation done
		}
		p.tick(shown.clock.Now())
	}
	previous := start
	for i, at := range shown.at {
		if gap := at.Sub(previous); gap > 10*time.Second {
			t.Errorf("%v without a line before %q", gap, shown.lines[i])
		}
		previous = at
	}
	if gap := shown.clock.Now().Sub(previous); gap > 10*time.Second {
		t.Errorf("silent for the last %v", gap)
	}
	want := []string{"128 MB: invoking, no invocation finished yet", "1024 MB: 1/3 invocations, avg 24000.0 ms, still invoking"}
	for _, w := range want {
		if !slices.Contains(shown.lines, w) {
			t.Errorf("no line %q in:\n%s", w, strings.Join(shown.lines, "\n"))
		}
	}
	// Once sizes end, a quiet run (analysis, clean-up waits) sends nothing.
	p.event(progress.Event{Kind: progress.SizeEnded, Power: 128}, shown.clock.Now())
	p.event(progress.Event{Kind: progress.SizeEnded, Power: 1024}, shown.clock.Now())
	n := len(shown.lines)
	shown.clock.Advance(time.Minute)
	p.tick(shown.clock.Now())
	if len(shown.lines) != n {
		t.Errorf("lines after every size ended: %q", shown.lines[n:])
	}
}

// A size adaptive sampling stops before num shows its last count when it
// ends, though the gap held it back.
func TestProgressLinesShowTheLastCountOfASizeStoppedEarly(t *testing.T) {
	shown, p := newShownLines()
	p.event(invoked(256, 1, 50, 100), shown.clock.Now())
	shown.clock.Advance(100 * time.Millisecond)
	p.event(invoked(256, 10, 50, 101), shown.clock.Now())
	p.event(progress.Event{Kind: progress.SizeRetired, Power: 256, BehindBy: 0.2}, shown.clock.Now())
	p.event(progress.Event{Kind: progress.SizeEnded, Power: 256}, shown.clock.Now())
	want := []string{"256 MB: 1/50 invocations, avg 100.0 ms", "256 MB retired, 20.0 % behind", "256 MB: 10/50 invocations, avg 101.0 ms"}
	if !slices.Equal(shown.lines, want) {
		t.Errorf("lines\n%s\nwant\n%s", strings.Join(shown.lines, "\n"), strings.Join(want, "\n"))
	}
}

// What each kind of event shows: the plan, sizes configured, retirements,
// clean-up; not the steps of configuring a size, nor the engine's own result.
func TestProgressLinesMapEvents(t *testing.T) {
	plan := &progress.Plan{Function: "api", Sizes: []int32{128, 256}, Num: 10, Isolation: "none", Sampling: "exhaustive", Invocations: 20}
	tests := []struct {
		ev   progress.Event
		want string // "" for no line
	}{
		{progress.Event{Kind: progress.RunStarted, Plan: plan}, "tuning api: 2 memory sizes (128, 256 MB) × 10 invocations, isolation none, exhaustive sampling: at most 20 invocations"},
		{progress.Event{Kind: progress.SizeReady, Power: 256}, "256 MB ready"},
		{progress.Event{Kind: progress.SizeFailed, Power: 3008, Message: "quota"}, "3008 MB failed, skipping it: quota"},
		{progress.Event{Kind: progress.Cleanup, Message: "cleaning up what the run made"}, "cleaning up what the run made"},
		{progress.Event{Kind: progress.Warning, Message: "log group left"}, "warning: log group left"},
		{progress.Event{Kind: progress.UpdateSettled, Power: 128, Restore: true}, "restoring $LATEST (128 MB): update settled"},
		{progress.Event{Kind: progress.UpdateSettled, Power: 256}, ""},
		{progress.Event{Kind: progress.VersionPublished, Power: 256, Message: "version 3"}, ""},
		{progress.Event{Kind: progress.Result, Power: 256, Message: "optimal power 256 MB"}, ""},
		{progress.Event{Kind: progress.RunEnded}, ""},
		{progress.Event{Kind: progress.ManagedPlanned, Message: "Lambda Managed Instances: 6 copies on fleet"}, "Lambda Managed Instances: 6 copies on fleet"},
	}
	for _, tt := range tests {
		shown, p := newShownLines()
		p.event(tt.ev, shown.clock.Now())
		var got string
		if len(shown.lines) > 0 {
			got = strings.Join(shown.lines, "\n")
		}
		if got != tt.want {
			t.Errorf("%s: line %q, want %q", tt.ev.Kind, got, tt.want)
		}
	}
}
