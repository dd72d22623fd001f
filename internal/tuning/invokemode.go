package tuning

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// chooseInvoker is the one place that looks at invoke_mode.
func (r *run) chooseInvoker() invoker {
	buffered, streamed := bufferedInvoker{r}, streamInvoker{r}
	switch r.in.InvokeMode {
	case spec.InvokeModeBuffered:
		return buffered
	case spec.InvokeModeStream:
		return streamed
	}
	return &autoInvoker{buffered: buffered, streamed: streamed, settling: semaphore.NewWeighted(1), switched: r.noteStreaming}
}

// autoInvoker is invoke_mode "auto": buffered unless responses are too
// large for it, then streamed. Sizes measured in different ways would not
// compare (a stream's duration runs to its last byte), so the run's first
// invocation settles the way before any other starts: it goes out
// buffered, and if Lambda refuses its response as too large it is made
// again streamed, counted once, and every later invocation streams; any
// other answer settles on buffered. A call that fails (throttled, say)
// settles nothing: the next invocation tries.
type autoInvoker struct {
	buffered, streamed invoker
	settling           *semaphore.Weighted // held by the invocation that settles the way
	switched           func(invocation)    // told once when the run streams

	mu      sync.Mutex
	settled invoker // nil until settled
}

func (a *autoInvoker) mode() string {
	if way := a.way(); way != nil {
		return way.mode()
	}
	return spec.InvokeModeBuffered // nothing was answered: nothing streamed
}

func (a *autoInvoker) invoke(ctx context.Context, call invocation) (answer, error) {
	way, err := a.turn(ctx)
	switch {
	case err != nil:
		return answer{}, err
	case way != nil:
		return way.invoke(ctx, call)
	}
	defer a.settling.Release(1)
	ans, err := a.buffered.invoke(ctx, call)
	switch {
	case err != nil:
		return ans, err
	case ans.overBufferedLimit:
		a.settle(a.streamed)
		a.switched(call)
		return a.streamed.invoke(ctx, call)
	}
	a.settle(a.buffered)
	return ans, nil
}

// turn waits until the way is settled, and returns it, or until this
// invocation is to settle it: then it returns nil and holds a.settling.
func (a *autoInvoker) turn(ctx context.Context) (invoker, error) {
	if way := a.way(); way != nil {
		return way, nil
	}
	if err := a.settling.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	if way := a.way(); way != nil { // settled while this one waited
		a.settling.Release(1)
		return way, nil
	}
	return nil, nil
}

func (a *autoInvoker) way() invoker {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.settled
}

func (a *autoInvoker) settle(way invoker) {
	a.mu.Lock()
	a.settled = way
	a.mu.Unlock()
}

// invokedAs says an invoke mode as an adjective, for the result's sentence.
func invokedAs(mode string) string {
	if mode == spec.InvokeModeStream {
		return "streamed"
	}
	return mode
}
