package tuning

import (
	"context"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
)

// invokeCall is one Invoke request as the engine sent it.
type invokeCall struct {
	Function  string
	Qualifier string
	Payload   string
}

// recordingClients wraps real clients and records every Invoke, tracking
// how many were in flight at once per qualifier.
type recordingClients struct {
	awsapi.Clients
	// holdUntil, when > 0, makes each Invoke wait (at most holdFor) until
	// that many invocations of its qualifier are in flight, so a
	// concurrency cap is reached whatever the scheduling.
	holdUntil int
	holdFor   time.Duration
	// holdAll, when > 0, does the same across all qualifiers together.
	holdAll int

	mu       sync.Mutex
	calls    []invokeCall
	inFlight map[string]int
	peak     map[string]int
	total    int // in flight across qualifiers
	peakAll  int
	changed  *sync.Cond
}

func newRecordingClients(c awsapi.Clients) *recordingClients {
	rc := &recordingClients{Clients: c, inFlight: map[string]int{}, peak: map[string]int{}}
	rc.changed = sync.NewCond(&rc.mu)
	return rc
}

func (c *recordingClients) Lambda(region string) awsapi.LambdaAPI {
	return &recordingLambda{LambdaAPI: c.Clients.Lambda(region), rec: c}
}

func (c *recordingClients) invokes() []invokeCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]invokeCall(nil), c.calls...)
}

// invokesOf returns the calls to function (any qualifier when qualifierPrefix is "").
func (c *recordingClients) invokesOf(function string) []invokeCall {
	var out []invokeCall
	for _, call := range c.invokes() {
		if call.Function == function {
			out = append(out, call)
		}
	}
	return out
}

func (c *recordingClients) peakInFlight(qualifier string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peak[qualifier]
}

// peakTotal is the most invocations in flight at once, whatever their qualifier.
func (c *recordingClients) peakTotal() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peakAll
}

func (c *recordingClients) begin(call invokeCall) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, call)
	c.inFlight[call.Qualifier]++
	c.peak[call.Qualifier] = max(c.peak[call.Qualifier], c.inFlight[call.Qualifier])
	c.total++
	c.peakAll = max(c.peakAll, c.total)
	c.changed.Broadcast()
	if c.holdUntil <= 0 && c.holdAll <= 0 {
		return
	}
	held := func() bool {
		return (c.holdUntil > 0 && c.inFlight[call.Qualifier] < c.holdUntil) || (c.holdAll > 0 && c.total < c.holdAll)
	}
	deadline := time.Now().Add(c.holdFor)
	for held() && time.Now().Before(deadline) {
		// Cond has no timed wait: a timer broadcasts at the deadline.
		t := time.AfterFunc(time.Until(deadline), func() {
			c.mu.Lock()
			c.changed.Broadcast()
			c.mu.Unlock()
		})
		c.changed.Wait()
		t.Stop()
	}
}

func (c *recordingClients) end(qualifier string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inFlight[qualifier]--
	c.total--
	c.changed.Broadcast()
}

type recordingLambda struct {
	awsapi.LambdaAPI
	rec *recordingClients
}

func (l *recordingLambda) Invoke(ctx context.Context, in *lambda.InvokeInput, optFns ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	call := invokeCall{Function: aws.ToString(in.FunctionName), Qualifier: aws.ToString(in.Qualifier), Payload: string(in.Payload)}
	l.rec.begin(call)
	defer l.rec.end(call.Qualifier)
	return l.LambdaAPI.Invoke(ctx, in, optFns...)
}
