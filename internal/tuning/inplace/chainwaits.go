package inplace

import (
	"context"
	"sync"
)

// chainWaits tells early releases when the configuration chain is waiting
// for an update to settle (or is over): deletions sent then cannot take the
// request-budget tokens its next PublishVersion or update needs.
type chainWaits struct {
	mu      sync.Mutex
	waiting bool
	done    bool
	sent    uint64        // updates sent so far
	changed chan struct{} // closed and replaced on every change
}

func newChainWaits() *chainWaits { return &chainWaits{changed: make(chan struct{})} }

// Waiting marks the chain waiting for an update to settle, or not.
func (c *chainWaits) Waiting(waiting bool) { c.update(func() { c.waiting = waiting }) }

// Sent counts an update the chain has sent, whether or not it then has to
// wait for it (Lambda may apply it at once).
func (c *chainWaits) Sent() { c.update(func() { c.sent++ }) }

// finish marks the chain over: from then on nothing waits.
func (c *chainWaits) finish() { c.update(func() { c.done = true }) }

func (c *chainWaits) update(change func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	change()
	close(c.changed)
	c.changed = make(chan struct{})
}

// quiet returns once the chain is waiting for an update, has sent one
// since quiet was called, or is over.
func (c *chainWaits) quiet(ctx context.Context) error {
	c.mu.Lock()
	since := c.sent
	c.mu.Unlock()
	for {
		c.mu.Lock()
		ok, changed := c.waiting || c.done || c.sent > since, c.changed
		c.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
