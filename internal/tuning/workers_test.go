package tuning

import (
	"runtime"
	"sync"
	"testing"
)

func TestWorkersAreReused(t *testing.T) {
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
	w.stop()
	if ran != 100 {
		t.Fatalf("ran %d jobs, want 100", ran)
	}
	// Sequential jobs: most on a worker kept from an earlier one.
	if n := w.started.Load(); n > 50 {
		t.Errorf("%d workers started for 100 jobs one after another, want them reused", n)
	}
}

func TestWorkersRunConcurrentJobsAtOnce(t *testing.T) {
	w := newWorkers()
	const n = 8
	var all sync.WaitGroup
	all.Add(n)
	release := make(chan struct{})
	for range n {
		w.run(func() { all.Done(); <-release })
	}
	all.Wait() // every job runs at the same time: none waits for another
	close(release)
	w.stop()
	if got := w.started.Load(); got != n {
		t.Errorf("%d workers for %d jobs running at once, want %d", got, n, n)
	}
}
