package tuning

import "sync"

// workers runs functions on goroutines it keeps for the next one. A fresh
// goroutine grows its stack through the SDK's deep call chain on every
// invocation (a tenth of the CPU of a 20,000-invocation run); a kept one has
// grown it already. There are never more workers than functions running at
// once: one is started only when none is idle.
type workers struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func newWorkers() *workers { return &workers{jobs: make(chan func())} }

// run runs f on an idle worker, or on a new one.
func (w *workers) run(f func()) {
	select {
	case w.jobs <- f:
	default:
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			f()
			for f := range w.jobs {
				f()
			}
		}()
	}
}

// stop ends the workers once they are idle; run must not be called after.
func (w *workers) stop() {
	close(w.jobs)
	w.wg.Wait()
}
