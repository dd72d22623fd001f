package progress

import (
	"context"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

func TestEventsReadOnTheirOwn(t *testing.T) {
	tests := []struct {
		event Event
		want  string
	}{
		{Event{Kind: Invoked, Power: 512, Done: 37, Total: 100, AverageMs: 83.14}, "512 MB: 37/100 invocations, avg 83.1 ms"},
		{Event{Kind: Invoked, Power: 512, Done: 0, Total: 20}, "512 MB: 0/20 invocations"},
		{Event{Kind: SizeReady, Power: 1024, Message: "alias RAM1024 ready (version 3)"}, "1024 MB ready: alias RAM1024 ready (version 3)"},
		{Event{Kind: SizeRetired, Power: 256, Arch: "arm64", BehindBy: 0.123, Message: "after 10 invocations, behind 1024 MB"},
			"256 MB on arm64 retired, 12.3 % behind: after 10 invocations, behind 1024 MB"},
		{Event{Kind: UpdateSent, Power: 128, Restore: true}, "restoring $LATEST (128 MB): update sent"},
		{Event{Kind: UpdateSettled, Power: 256}, "256 MB: configuration update settled"},
		{Event{Kind: Note, Message: "waiting for tuning run 1"}, "waiting for tuning run 1"},
		{Event{Kind: RunStarted, Plan: &Plan{Function: "fn", Sizes: []int32{128, 256}, Num: 10, Isolation: "none", Sampling: "exhaustive", Invocations: 20}},
			"tuning fn: 2 memory sizes (128, 256 MB) × 10 invocations, isolation none, exhaustive sampling: at most 20 invocations"},
	}
	for _, tt := range tests {
		if got := tt.event.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.event, got, tt.want)
		}
	}
}

func TestStreamStampsAndDeliversOneAtATime(t *testing.T) {
	at := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	c := tuningtest.NewClock(at)
	var got []Event
	s := NewStream(func(ev Event) { got = append(got, ev) }, c)
	s.Note(512, "hello %d", 1)
	_ = c.Sleep(context.Background(), time.Second)
	s.Emit(Event{Kind: RunEnded})
	if len(got) != 2 || got[0].Message != "hello 1" || got[0].Power != 512 || !got[0].At.Equal(at) || !got[1].At.Equal(at.Add(time.Second)) {
		t.Errorf("delivered %+v", got)
	}
	var none *Stream
	none.Emit(Event{Kind: RunEnded}) // a nil stream drops events
}

func TestMilestonesPaceLargeSizes(t *testing.T) {
	var small, large int
	for done := 1; done <= 20; done++ {
		if Milestone(done, 20) {
			small++
		}
	}
	for done := 1; done <= 1000; done++ {
		if Milestone(done, 1000) {
			large++
		}
	}
	if small != 20 || large != 10 {
		t.Errorf("%d events for 20 invocations and %d for 1000, want every one and every tenth", small, large)
	}
}
