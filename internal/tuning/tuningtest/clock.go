// Package tuningtest holds test doubles for users of the tuning engine.
package tuningtest

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// Clock is a fake tuning.Clock: Sleep advances virtual time at once instead
// of waiting, and records what was asked, so tests about waits run in
// microseconds and can assert on the waits themselves. Safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

// NewClock returns a Clock whose virtual time starts at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the virtual time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records d and moves virtual time forward by it. It yields the
// processor so that polling loops driven by it still let other goroutines
// (such as an in-process emulator) run.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	if d > 0 {
		c.now = c.now.Add(d)
	}
	c.mu.Unlock()
	runtime.Gosched()
	return ctx.Err()
}

// Advance moves virtual time forward without recording a sleep.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Sleeps returns a copy of every duration passed to Sleep, in call order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}
