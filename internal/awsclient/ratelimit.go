package awsclient

import (
	"context"
	"fmt"
	"sync"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"
)

// Lambda's request-rate quotas per account and Region, as AWS documents them
// in "Lambda quotas": GetFunction has its own 100 requests/s; every other control-plane call
// (updates, versions, aliases, listings) shares 15/s. Neither can be raised.
// The defaults leave room for the other tools of the account.
const (
	DefaultControlPlaneRate = 10
	DefaultGetFunctionRate  = 80
)

// RequestRates are the request budgets, in requests per second, that every
// client of one Clients shares, per Region. No one-second window, wherever it
// starts, holds more requests of a class than its budget. Zero fields take
// the defaults.
type RequestRates struct {
	ControlPlane int // every Lambda call but the invocations and GetFunction
	GetFunction  int
}

func (r RequestRates) withDefaults() RequestRates {
	if r.ControlPlane <= 0 {
		r.ControlPlane = DefaultControlPlaneRate
	}
	if r.GetFunction <= 0 {
		r.GetFunction = DefaultGetFunctionRate
	}
	return r
}

// windowLimiter is a token bucket that never lets more than perSecond
// requests into any one-second window, even as the server sees them: a
// bucket admits at most its burst plus its rate × the window, so the burst
// comes out of the budget, and one more request per second is kept back
// for the network's jitter, which can bring requests sent just over a
// second apart in just under one.
func windowLimiter(perSecond int) *rate.Limiter {
	burst := windowBurst(perSecond)
	refill := perSecond - burst - 1
	if refill < 1 {
		return rate.NewLimiter(rate.Limit(max(perSecond-1, 1)), 1)
	}
	return rate.NewLimiter(rate.Limit(refill), burst)
}

// windowBurst is three tenths of the budget (at most 10): a run's calls
// come in small bursts (its first reads and publish before the first
// update; an alias beside the next update) that a full bucket absorbs
// without delaying the chain of updates.
func windowBurst(perSecond int) int { return min(max(perSecond*3/10, 1), 10) }

// regionBudget is one Region's limiters.
type regionBudget struct {
	control, getFunction *rate.Limiter
}

// budgets hands out one regionBudget per Region, built on first use.
type budgets struct {
	rates RequestRates

	mu       sync.Mutex
	byRegion map[string]*regionBudget
}

func newBudgets(rates RequestRates) *budgets {
	return &budgets{rates: rates.withDefaults(), byRegion: map[string]*regionBudget{}}
}

func (b *budgets) region(region string) *regionBudget {
	b.mu.Lock()
	defer b.mu.Unlock()
	rb, ok := b.byRegion[region]
	if !ok {
		rb = &regionBudget{control: windowLimiter(b.rates.ControlPlane), getFunction: windowLimiter(b.rates.GetFunction)}
		b.byRegion[region] = rb
	}
	return rb
}

// limiterFor is the limiter an operation counts against; nil for Invoke
// and InvokeWithResponseStream, which Lambda limits by concurrency, not by
// rate.
func (rb *regionBudget) limiterFor(operation string) *rate.Limiter {
	switch operation {
	case "Invoke", "InvokeWithResponseStream":
		return nil
	case "GetFunction":
		return rb.getFunction
	}
	return rb.control
}

// addTo puts the budget in a client's stack after the retry middleware, so
// that every attempt, retries included, waits for its token.
func (rb *regionBudget) addTo(stack *middleware.Stack) error {
	return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("RequestBudget",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			operation := awsmiddleware.GetOperationName(ctx)
			if limiter := rb.limiterFor(operation); limiter != nil {
				if err := waitForBudget(ctx, limiter); err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("waiting for the request budget of %s: %w", operation, err)
				}
			}
			return next.HandleFinalize(ctx, in)
		}), "Retry", middleware.After)
}

// waitForBudget waits for a token. rate refuses at once a wait that would
// outlast the context's deadline, with an error of its own: to the caller
// that is the deadline, so it wraps context.DeadlineExceeded (a run's
// timeout is then reported as a timeout).
func waitForBudget(ctx context.Context, limiter *rate.Limiter) error {
	err := limiter.Wait(ctx)
	if err != nil && ctx.Err() == nil {
		if _, ok := ctx.Deadline(); ok {
			return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
		}
	}
	return err
}
