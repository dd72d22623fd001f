package tuning

import (
	"context"
	"sync"
)

// group runs goroutines that share a context cancelled by the first error,
// which Wait returns. Go may be called from inside the group's goroutines.
type group struct {
	wg     sync.WaitGroup
	cancel context.CancelFunc
	once   sync.Once
	err    error
}

func newGroup(ctx context.Context) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &group{cancel: cancel}, ctx
}

func (g *group) Go(f func() error) {
	go g.task(f)()
}

// task registers f with the group and returns it wrapped, for the caller
// to run on a goroutine of its own choosing; if it never runs, the caller
// must call cancelTask instead.
func (g *group) task(f func() error) func() {
	g.wg.Add(1)
	return func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}
}

// cancelTask unregisters a task that will not run.
func (g *group) cancelTask() { g.wg.Done() }

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}
