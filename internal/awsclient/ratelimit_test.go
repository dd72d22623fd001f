package awsclient

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// greedy sends a request whenever the limiter allows one, on a virtual
// clock in 1 ms steps, and returns the arrival times.
func greedy(perSecond int, span time.Duration) []time.Time {
	l := windowLimiter(perSecond)
	start := time.Unix(0, 0)
	var sent []time.Time
	for t := start; t.Before(start.Add(span)); t = t.Add(time.Millisecond) {
		for l.AllowN(t, 1) {
			sent = append(sent, t)
		}
	}
	return sent
}

func maxInWindow(times []time.Time, window time.Duration) int {
	best, end := 0, 0
	for start, t := range times {
		for end < len(times) && times[end].Before(t.Add(window)) {
			end++
		}
		best = max(best, end-start)
	}
	return best
}

func TestWindowLimiterKeepsEverySecondWithinTheBudget(t *testing.T) {
	for _, perSecond := range []int{1, 2, 10, 15, 80, 100} {
		sent := greedy(perSecond, 10*time.Second)
		// One request a second is kept back for the network's jitter.
		if got := maxInWindow(sent, time.Second); got > max(perSecond-1, 1) {
			t.Errorf("budget %d/s: %d requests in one second", perSecond, got)
		}
		// Sustained, the bucket refills at the budget less its burst and the spare.
		if floor := (perSecond - windowBurst(perSecond) - 1) * 9; perSecond > 2 && len(sent) < floor {
			t.Errorf("budget %d/s: only %d requests in 10 s, want at least %d", perSecond, len(sent), floor)
		}
	}
}

func TestRequestBudgetClassesFollowLambdaQuotas(t *testing.T) {
	b := newBudgets(RequestRates{})
	rb := b.region("us-east-1")
	if rb != b.region("us-east-1") || rb == b.region("eu-west-1") {
		t.Error("want one budget per Region, shared by its clients")
	}
	for op, want := range map[string]any{
		"GetFunction": rb.getFunction, "UpdateFunctionConfiguration": rb.control, "PublishVersion": rb.control,
		"CreateAlias": rb.control, "GetFunctionConfiguration": rb.control, "ListVersionsByFunction": rb.control,
	} {
		if got := rb.limiterFor(op); any(got) != want {
			t.Errorf("%s counts against the wrong budget", op)
		}
	}
	for _, op := range []string{"Invoke", "InvokeWithResponseStream"} {
		if rb.limiterFor(op) != nil {
			t.Errorf("%s must not be rate limited: Lambda limits it by concurrency", op)
		}
	}
	if got := b.rates; got.ControlPlane != DefaultControlPlaneRate || got.GetFunction != DefaultGetFunctionRate {
		t.Errorf("default rates %+v", got)
	}
}

func TestABudgetWaitBeyondTheDeadlineIsTheDeadline(t *testing.T) {
	l := rate.NewLimiter(rate.Every(time.Hour), 1)
	l.Allow() // the next token is an hour away
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := waitForBudget(ctx, l)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting beyond the deadline: %v, want context.DeadlineExceeded", err)
	}
	if err := waitForBudget(context.Background(), rate.NewLimiter(rate.Inf, 1)); err != nil {
		t.Errorf("a free budget: %v", err)
	}
}
