package tuning

import (
	"context"
	"sync"
)

// workerPool runs a run's invocations on at most n goroutines, shared by
// every power value: it caps the invocations in flight across the run, and
// reusing goroutines spares each invocation the growth of a fresh stack to
// the depth of the SDK's middleware (about a tenth of its CPU).
type workerPool struct {
	tasks chan func()
	wg    sync.WaitGroup
}

func newWorkerPool(n int) *workerPool {
	p := &workerPool{tasks: make(chan func())}
	p.wg.Add(n)
	for range n {
		go func() {
			defer p.wg.Done()
			for task := range p.tasks {
				task()
			}
		}()
	}
	return p
}

// submit hands task to an idle worker, waiting for one or for ctx to end.
func (p *workerPool) submit(ctx context.Context, task func()) error {
	select {
	case p.tasks <- task:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops the workers once they finish their tasks.
func (p *workerPool) close() {
	close(p.tasks)
	p.wg.Wait()
}
