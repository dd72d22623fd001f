package tuning

import (
	"context"
	"sync"
)

// functionLocks serializes runs on the same function across every Engine of
// this process: two concurrent runs would fight over $LATEST and each other's
// aliases. It is the package's only mutable global, and deliberately so:
// several provider configurations may tune the same function.
var functionLocks = newKeyedMutex()

// keyedMutex is a set of mutexes created on demand, one per key, whose
// waiters honour their context.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	token chan struct{} // holds one value while locked
	refs  int           // holders and waiters; the entry goes away at 0
}

func newKeyedMutex() *keyedMutex { return &keyedMutex{locks: map[string]*keyedLock{}} }

// lock waits for key's lock or for ctx to end; the returned func unlocks.
func (k *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	k.mu.Lock()
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{token: make(chan struct{}, 1)}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()

	select {
	case l.token <- struct{}{}:
		var once sync.Once
		return func() {
			once.Do(func() {
				<-l.token
				k.release(key, l)
			})
		}, nil
	case <-ctx.Done():
		k.release(key, l)
		return nil, ctx.Err()
	}
}

func (k *keyedMutex) release(key string, l *keyedLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l.refs--
	if l.refs == 0 {
		delete(k.locks, key)
	}
}
