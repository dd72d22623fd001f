package lock

import (
	"sync"
	"time"
)

// Beat calls beat every third of lease until stop is called or beat
// returns false. It runs on wall time, not the injected clock: other
// processes judge a lease by their own clocks.
func Beat(lease time.Duration, beat func() (again bool)) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		every := lease / 3
		t := time.NewTimer(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if !beat() {
				return
			}
			t.Reset(every)
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }
}
