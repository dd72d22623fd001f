package tuning

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestKeyedMutexSerializesOneKeyOnly(t *testing.T) {
	k := newKeyedMutex()
	ctx := context.Background()
	unlockA, err := k.lock(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	// Another key is free.
	unlockB, err := k.lock(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	unlockB()

	// The same key waits until unlocked.
	acquired := make(chan func())
	go func() {
		unlock, err := k.lock(ctx, "a")
		if err != nil {
			t.Error(err)
		}
		acquired <- unlock
	}()
	select {
	case <-acquired:
		t.Fatal("a second holder got the lock while the first held it")
	case <-time.After(20 * time.Millisecond):
	}
	unlockA()
	unlockA() // idempotent
	(<-acquired)()

	if len(k.locks) != 0 {
		t.Errorf("%d lock entries left after every holder unlocked", len(k.locks))
	}
}

func TestKeyedMutexWaitHonoursContext(t *testing.T) {
	k := newKeyedMutex()
	unlock, err := k.lock(context.Background(), "f")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := k.lock(ctx, "f"); !errors.Is(err, context.Canceled) {
		t.Errorf("lock with a cancelled context = %v, want context.Canceled", err)
	}
	if k.locks["f"].refs != 1 {
		t.Errorf("a cancelled waiter left a reference: %d", k.locks["f"].refs)
	}
}
