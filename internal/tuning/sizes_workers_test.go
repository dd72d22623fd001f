package tuning

import (
	"runtime"
	"sync"
	"testing"
)

func TestWorkersAreReused(t *testing.T) {
	before := runtime.NumGoroutine()
	w := newWorkers()
	var ran int
	for range 100 {
		done := make(chan struct{})
		w.run(func() { ran++; close(done) })
		<-done
		// The worker is idle again once it waits for the next job; give
		// it the chance (run starts a new worker if none is idle yet).
		for range 10 {
			runtime.Gosched()
		}
	}
	// Sequential jobs: most on a worker kept from an earlier one, which
	// lives until stop.
	alive := runtime.NumGoroutine() - before
	w.stop()
	if ran != 100 {
		t.Fatalf("ran %d jobs, want 100", ran)
	}
	if alive > 50 {
		t.Errorf("%d workers alive after 100 jobs one after another, want them reused", alive)
	}
}

func TestWorkersRunConcurrentJobsAtOnce(t *testing.T) {
	before := runtime.NumGoroutine()
	w := newWorkers()
	const n = 8
	var all sync.WaitGroup
	all.Add(n)
	release := make(chan struct{})
	for range n {
		w.run(func() { all.Done(); <-release })
	}
	all.Wait() // every job runs at the same time: none waits for another
	alive := runtime.NumGoroutine() - before
	close(release)
	w.stop()
	if alive != n {
		t.Errorf("%d workers for %d jobs running at once, want %d", alive, n, n)
	}
	if after := runtime.NumGoroutine() - before; after > 0 {
		t.Errorf("%d workers left after stop", after)
	}
}
