package inplace

import (
	"context"
	"testing"
	"time"
)

func TestChainWaitsQuietWhenWaitingSentOrDone(t *testing.T) {
	for name, event := range map[string]func(*chainWaits){
		"waiting for an update": func(c *chainWaits) { c.Waiting(true) },
		"an update sent":        (*chainWaits).Sent,
		"chain over":            (*chainWaits).finish,
	} {
		c := newChainWaits()
		quiet := make(chan error, 1)
		go func() { quiet <- c.quiet(context.Background()) }()
		select {
		case err := <-quiet:
			t.Fatalf("%s: quiet (%v) before anything happened", name, err)
		case <-time.After(20 * time.Millisecond):
		}
		event(c)
		if err := <-quiet; err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestChainWaitsQuietHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := newChainWaits().quiet(ctx); err == nil {
		t.Error("quiet ignored a cancelled context")
	}
}
