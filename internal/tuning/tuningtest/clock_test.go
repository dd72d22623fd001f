package tuningtest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestClockAdvancesOnSleepAndRecordsIt(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewClock(start)
	ctx := context.Background()
	for _, d := range []time.Duration{time.Second, 250 * time.Millisecond} {
		if err := c.Sleep(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	c.Advance(time.Minute)
	if got, want := c.Now(), start.Add(time.Minute+1250*time.Millisecond); !got.Equal(want) {
		t.Errorf("Now() = %v, want %v", got, want)
	}
	if got := c.Sleeps(); !slices.Equal(got, []time.Duration{time.Second, 250 * time.Millisecond}) {
		t.Errorf("Sleeps() = %v", got)
	}
}

func TestClockSleepHonoursContext(t *testing.T) {
	c := NewClock(time.Unix(0, 0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep with a cancelled context = %v, want context.Canceled", err)
	}
	if !c.Now().Equal(time.Unix(0, 0)) || len(c.Sleeps()) != 0 {
		t.Error("a cancelled sleep moved the clock")
	}
}
