package tuning

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// eventBound keeps a test that waits for an event from hanging when the
// event never comes; reaching it is a failure, never an outcome.
const eventBound = 60 * time.Second

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(eventBound):
		t.Fatalf("%s did not happen", what)
	}
}

// invokeGate holds a run's first invocation until released: its copies
// exist (and are live) meanwhile.
type invokeGate struct {
	awsapi.LambdaAPI
	once    sync.Once
	reached chan struct{}
	release chan struct{}
}

func newInvokeGate() *invokeGate {
	return &invokeGate{reached: make(chan struct{}), release: make(chan struct{})}
}

func (g *invokeGate) Invoke(ctx context.Context, in *lambda.InvokeInput, o ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	g.once.Do(func() { close(g.reached) })
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.LambdaAPI.Invoke(ctx, in, o...)
}

func (g *invokeGate) clients(behind awsapi.Clients) awsapi.Clients {
	return wrappedClients{behind, func(l awsapi.LambdaAPI) awsapi.LambdaAPI { g.LambdaAPI = l; return g }}
}

// copyRunID is the run ID in a copy's name (prefix, run ID, size).
func copyRunID(arn, name string) string {
	id, _, _ := strings.Cut(strings.TrimPrefix(name, copies.NamePrefix(arn)), "-")
	return id
}

func TestE2ECopiesOfTwoConcurrentRunsLeaveEachOtherAlone(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	check := env.beforeRun("target")

	// Run A holds its first invocation until run B has looked for
	// leftovers: B sees A's copies while they are in use.
	gate := newInvokeGate()
	errA := make(chan error, 1)
	allReady := make(chan struct{})
	var ready atomic.Int32
	go func() {
		_, err := env.engine(func(c *Config) {
			c.Clients = gate.clients(c.Clients)
			c.Progress = func(ev progress.Event) {
				if ev.Kind == progress.SizeReady && ready.Add(1) == 3 {
					close(allReady)
				}
			}
		}).Run(context.Background(), copiesInput(arn))
		errA <- err
	}()
	waitFor(t, gate.reached, "run A's first invocation")
	waitFor(t, allReady, "run A's three copies Active")

	// Run B stands for another process: runs of one process on one
	// function are serialized (functionLocks), those of two are not.
	processLocks := functionLocks
	functionLocks = newKeyedMutex()
	t.Cleanup(func() { functionLocks = processLocks })

	var eventsB recorder
	var bResolved sync.Once
	_, errB := env.engine(func(c *Config) {
		c.Seed = 8
		c.Progress = func(ev progress.Event) {
			eventsB.record(ev)
			if ev.Kind == progress.Resolved { // after it looked for leftovers
				bResolved.Do(func() { close(gate.release) })
			}
		}
	}).Run(context.Background(), copiesInput(arn))
	bResolved.Do(func() { close(gate.release) }) // B failed before resolving: let A end
	if errB != nil {
		t.Fatalf("run B: %v", errB)
	}
	if err := <-errA; err != nil {
		t.Fatalf("run A: %v", err)
	}
	env.assertUntouched(check)

	// Two runs, three copies each, under distinct names; every copy ran
	// all its invocations and was deleted once, by its own run's clean-up
	// (CreateFunction names the function in its body, which the call log
	// does not read: the invoked names are the copies).
	invoked, deleted := map[string]int{}, map[string]int{}
	runs := map[string]bool{}
	for _, c := range env.sim.Calls()[check.calls:] {
		switch {
		case c.Operation == "Invoke":
			invoked[c.Function]++
			runs[copyRunID(arn, c.Function)] = true
		case c.Operation == "DeleteFunction" && strings.HasPrefix(c.Function, copies.NamePrefix(arn)):
			deleted[c.Function]++
		}
	}
	if n := env.sim.Stats().Requests["CreateFunction"]; n != 6 || len(invoked) != 6 || len(runs) != 2 {
		t.Fatalf("%d copies created, invoked %v of runs %v; want 6 copies of 2 runs", n, invoked, runs)
	}
	for name := range invoked {
		if invoked[name] != 5 || deleted[name] != 1 {
			t.Errorf("copy %s: invoked %d, deleted %d times; want 5 invocations and one deletion", name, invoked[name], deleted[name])
		}
	}
	var left int
	for _, ev := range eventsB.events {
		if strings.Contains(ev.Message, "an interrupted run left") {
			t.Errorf("run B treated a live copy as a leftover: %s", ev.Message)
		}
		if strings.HasPrefix(ev.Message, "leaving ") {
			left++
			if id := copyRunID(arn, strings.Fields(ev.Message)[1]); !strings.Contains(ev.Message, "live tuning run "+id) {
				t.Errorf("message %q does not name the copy's run %s", ev.Message, id)
			}
		}
	}
	if left != 3 {
		t.Errorf("run B said it left %d live copies alone, want A's 3", left)
	}
}

// addLeftoverCopy adds what a killed run leaves: a copy with its run's
// lease, invoked once (so Lambda made its log group), never cleaned up.
func (env *simEnv) addLeftoverCopy(arn, runID string, expires time.Time) string {
	env.t.Helper()
	name := copies.NamePrefix(arn) + runID + "-256"
	lease := runrecord.CopyLease{RunID: runID, Host: "ci-runner-7", PID: 4242, Expires: expires}
	env.addFunction(lambdasim.FunctionSpec{Name: name, Tags: lease.Tags()})
	if _, err := env.lambda("us-east-1").Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(name)}); err != nil {
		env.t.Fatalf("invoking the leftover copy: %v", err)
	}
	return name
}

func (env *simEnv) functionExists(name string) bool {
	env.t.Helper()
	_, err := env.lambda("us-east-1").GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	if err != nil && !faults.IsNotFound(err) {
		env.t.Fatalf("GetFunction %s: %v", name, err)
	}
	return err == nil
}

func TestE2ECopiesOfAKilledRunAreRemovedOnceTheirLeaseExpired(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	lease := 2 * time.Minute
	leftover := env.addLeftoverCopy(arn, "0badc0de", time.Now().Add(lease))

	// While its lease runs, the killed run is indistinguishable from a
	// live one: its copy stays.
	var events recorder
	if _, err := env.engine(func(c *Config) { c.Progress = events.record; c.Lock.Lease = lease }).Run(context.Background(), copiesInput(arn)); err != nil {
		t.Fatalf("run within the lease: %v", err)
	}
	if !env.functionExists(leftover) {
		t.Fatal("a copy whose lease had not expired was deleted")
	}
	said := false
	for _, ev := range events.events {
		said = said || strings.Contains(ev.Message, "leaving "+leftover+" alone: a copy of live tuning run 0badc0de (ci-runner-7 pid 4242)")
	}
	if !said {
		t.Error("the run did not say which live run's copy it left alone")
	}

	// Once the lease has expired (by the run's clock), the next run
	// deletes the copy and its log group.
	if _, err := env.engine(func(c *Config) { c.Lock.Lease = lease; c.Clock = laterClock{by: lease + time.Second} }).Run(context.Background(), copiesInput(arn)); err != nil {
		t.Fatalf("run after the lease: %v", err)
	}
	if env.functionExists(leftover) {
		t.Error("a copy whose lease had expired was not deleted")
	}
	env.assertNoCopies(arn)
	env.assertNoCopyLogGroups(arn)
}

// leaseRecordingLambda records the lease every TagResource sends.
type leaseRecordingLambda struct {
	awsapi.LambdaAPI
	sent func(lease string)
}

func (l *leaseRecordingLambda) TagResource(ctx context.Context, in *lambda.TagResourceInput, o ...func(*lambda.Options)) (*lambda.TagResourceOutput, error) {
	out, err := l.LambdaAPI.TagResource(ctx, in, o...)
	if err == nil {
		l.sent(in.Tags[runrecord.CopyLeaseTag])
	}
	return out, err
}

// offsetClock is the wall clock moved on by an offset the test changes.
type offsetClock struct {
	clock.Real
	by atomic.Int64
}

func (c *offsetClock) Now() time.Time { return time.Now().Add(time.Duration(c.by.Load())) }

func TestE2ECopiesHeartbeatRenewsTheirLease(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	clock := &offsetClock{}
	gate := newInvokeGate()
	renewed := make(chan struct{})
	var once sync.Once
	var later atomic.Bool // the clock has moved on by an hour
	rec := &leaseRecordingLambda{sent: func(lease string) {
		exp, err := time.Parse(time.RFC3339, lease)
		if err == nil && later.Load() && exp.After(time.Now().Add(59*time.Minute)) {
			once.Do(func() { close(renewed) })
		}
	}}
	allReady := make(chan struct{})
	var ready atomic.Int32
	errRun := make(chan error, 1)
	go func() {
		_, err := env.engine(func(c *Config) {
			c.Progress = func(ev progress.Event) {
				if ev.Kind == progress.SizeReady && ready.Add(1) == 3 {
					close(allReady)
				}
			}
			c.Clock = clock
			c.Lock.Lease = 300 * time.Millisecond // a beat every 100 ms of wall time
			c.Clients = gate.clients(wrappedClients{c.Clients, func(l awsapi.LambdaAPI) awsapi.LambdaAPI { rec.LambdaAPI = l; return rec }})
		}).Run(context.Background(), copiesInput(arn))
		errRun <- err
	}()
	waitFor(t, gate.reached, "the first invocation")
	// Every copy is Active (a jump of the clock would otherwise time out a
	// wait for one), with a lease of now + 300 ms. Move the run's clock
	// on: the next beat must extend the lease from there.
	waitFor(t, allReady, "every copy Active")
	clock.by.Store(int64(time.Hour))
	later.Store(true)
	waitFor(t, renewed, "a renewal of the copies' lease")
	close(gate.release)
	if err := <-errRun; err != nil {
		t.Fatalf("Run: %v", err)
	}
	env.assertNoCopies(arn)
}
