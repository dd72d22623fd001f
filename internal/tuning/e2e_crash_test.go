package tuning

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// errProcessDied is what every call gets once the simulated process is dead.
var errProcessDied = errors.New("the process died")

// dyingLambda forwards calls until the process "dies" right after its
// limit-th call that changes the function; from then on no call reaches
// Lambda, so neither clean-up nor the heartbeat nor a release happens: what
// AWS holds is exactly what a SIGKILL at that point leaves.
type dyingLambda struct {
	awsapi.LambdaAPI
	mu        sync.Mutex
	limit     int // 0: never dies (counts only)
	mutations []string
}

func (d *dyingLambda) mutating(op string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.limit > 0 && len(d.mutations) >= d.limit {
		return errProcessDied
	}
	d.mutations = append(d.mutations, op)
	return nil
}

func (d *dyingLambda) reading() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.limit > 0 && len(d.mutations) >= d.limit {
		return errProcessDied
	}
	return nil
}

func (d *dyingLambda) lastMutation() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.mutations) == 0 {
		return ""
	}
	return d.mutations[len(d.mutations)-1]
}

func (d *dyingLambda) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.mutations)
}

func (d *dyingLambda) UpdateFunctionConfiguration(ctx context.Context, in *lambda.UpdateFunctionConfigurationInput, o ...func(*lambda.Options)) (*lambda.UpdateFunctionConfigurationOutput, error) {
	if err := d.mutating("UpdateFunctionConfiguration"); err != nil {
		return nil, err
	}
	return d.LambdaAPI.UpdateFunctionConfiguration(ctx, in, o...)
}

func (d *dyingLambda) PublishVersion(ctx context.Context, in *lambda.PublishVersionInput, o ...func(*lambda.Options)) (*lambda.PublishVersionOutput, error) {
	if err := d.mutating("PublishVersion"); err != nil {
		return nil, err
	}
	return d.LambdaAPI.PublishVersion(ctx, in, o...)
}

func (d *dyingLambda) CreateAlias(ctx context.Context, in *lambda.CreateAliasInput, o ...func(*lambda.Options)) (*lambda.CreateAliasOutput, error) {
	if err := d.mutating("CreateAlias " + aws.ToString(in.Name)); err != nil {
		return nil, err
	}
	return d.LambdaAPI.CreateAlias(ctx, in, o...)
}

func (d *dyingLambda) UpdateAlias(ctx context.Context, in *lambda.UpdateAliasInput, o ...func(*lambda.Options)) (*lambda.UpdateAliasOutput, error) {
	if err := d.mutating("UpdateAlias " + aws.ToString(in.Name)); err != nil {
		return nil, err
	}
	return d.LambdaAPI.UpdateAlias(ctx, in, o...)
}

func (d *dyingLambda) DeleteAlias(ctx context.Context, in *lambda.DeleteAliasInput, o ...func(*lambda.Options)) (*lambda.DeleteAliasOutput, error) {
	if err := d.mutating("DeleteAlias " + aws.ToString(in.Name)); err != nil {
		return nil, err
	}
	return d.LambdaAPI.DeleteAlias(ctx, in, o...)
}

func (d *dyingLambda) DeleteFunction(ctx context.Context, in *lambda.DeleteFunctionInput, o ...func(*lambda.Options)) (*lambda.DeleteFunctionOutput, error) {
	if err := d.mutating("DeleteFunction " + aws.ToString(in.Qualifier)); err != nil {
		return nil, err
	}
	return d.LambdaAPI.DeleteFunction(ctx, in, o...)
}

func (d *dyingLambda) GetFunction(ctx context.Context, in *lambda.GetFunctionInput, o ...func(*lambda.Options)) (*lambda.GetFunctionOutput, error) {
	if err := d.reading(); err != nil {
		return nil, err
	}
	return d.LambdaAPI.GetFunction(ctx, in, o...)
}

func (d *dyingLambda) GetFunctionConfiguration(ctx context.Context, in *lambda.GetFunctionConfigurationInput, o ...func(*lambda.Options)) (*lambda.GetFunctionConfigurationOutput, error) {
	if err := d.reading(); err != nil {
		return nil, err
	}
	return d.LambdaAPI.GetFunctionConfiguration(ctx, in, o...)
}

func (d *dyingLambda) GetAlias(ctx context.Context, in *lambda.GetAliasInput, o ...func(*lambda.Options)) (*lambda.GetAliasOutput, error) {
	if err := d.reading(); err != nil {
		return nil, err
	}
	return d.LambdaAPI.GetAlias(ctx, in, o...)
}

func (d *dyingLambda) ListAliases(ctx context.Context, in *lambda.ListAliasesInput, o ...func(*lambda.Options)) (*lambda.ListAliasesOutput, error) {
	if err := d.reading(); err != nil {
		return nil, err
	}
	return d.LambdaAPI.ListAliases(ctx, in, o...)
}

func (d *dyingLambda) ListVersionsByFunction(ctx context.Context, in *lambda.ListVersionsByFunctionInput, o ...func(*lambda.Options)) (*lambda.ListVersionsByFunctionOutput, error) {
	if err := d.reading(); err != nil {
		return nil, err
	}
	return d.LambdaAPI.ListVersionsByFunction(ctx, in, o...)
}

func (d *dyingLambda) Invoke(ctx context.Context, in *lambda.InvokeInput, o ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	if err := d.reading(); err != nil {
		return nil, err
	}
	return d.LambdaAPI.Invoke(ctx, in, o...)
}

// wrappedClients hands out wrap(the real client) for every region.
type wrappedClients struct {
	awsapi.Clients
	wrap func(awsapi.LambdaAPI) awsapi.LambdaAPI
}

func (c wrappedClients) Lambda(region string) awsapi.LambdaAPI {
	return c.wrap(c.Clients.Lambda(region))
}

// clients serves d, in front of the real clients, for every region.
func (d *dyingLambda) clients(behind awsapi.Clients) awsapi.Clients {
	return wrappedClients{behind, func(l awsapi.LambdaAPI) awsapi.LambdaAPI { d.LambdaAPI = l; return d }}
}

// laterClock is the wall clock moved on: the crashed run's lease has expired.
type laterClock struct {
	clock.Real
	by time.Duration
}

func (c laterClock) Now() time.Time { return time.Now().Add(c.by) }

func TestE2EEveryCrashPointIsRecoveredByTheNextRun(t *testing.T) {
	modes := []struct {
		name string
		in   spec.Input
	}{
		{name: "in place", in: spec.Input{Num: 5, PowerValues: []int32{256, 512}}},
		{name: "only cold starts", in: spec.Input{Num: 5, PowerValues: []int32{256, 512}, OnlyColdStarts: true}},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			total := countMutations(t, mode.in)
			for n := 1; n <= total; n++ {
				t.Run(fmt.Sprintf("after mutating call %d of %d", n, total), func(t *testing.T) {
					crashAndRecover(t, mode.in, n)
				})
			}
		})
	}
}

// setUpUserFunction is a function with a description and an alias of the
// user's on a version of theirs: all of it must survive.
func setUpUserFunction(env *simEnv) string {
	env.t.Helper()
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "orders", MemorySize: 384, Description: "orders service v7", Environment: cpuBound(nil)})
	env.userAlias(arn, "live", "production traffic")
	return arn
}

// countMutations runs once without dying and counts the calls that change
// the function.
func countMutations(t *testing.T, in spec.Input) int {
	env := startSim(t, lambdasim.Options{})
	arn := setUpUserFunction(env)
	in.LambdaARN = arn
	counter := &dyingLambda{}
	if _, err := env.engine(func(c *Config) { c.Clients = counter.clients(env.clients) }).Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if counter.count() < 5 {
		t.Fatalf("a run made %d changes (%v): the wrapper does not see them", counter.count(), counter.mutations)
	}
	return counter.count()
}

func crashAndRecover(t *testing.T, in spec.Input, n int) {
	env := startSim(t, lambdasim.Options{})
	arn := setUpUserFunction(env)
	in.LambdaARN = arn
	before := env.state(arn)

	dying := &dyingLambda{limit: n}
	_, crashErr := env.engine(func(c *Config) { c.Clients = dying.clients(env.clients) }).Run(context.Background(), in)
	left := env.state(arn)
	t.Logf("died after %s; left %+v", dying.lastMutation(), left)
	_, locked := left.Aliases[runrecord.LockAlias]
	if crashErr == nil && (len(leftRunAliases(left)) > 0 || left.Memory != before.Memory || left.Description != before.Description) {
		// Dying while releasing the record fails no run: it had restored the function.
		t.Fatalf("the run succeeded but left %+v", left)
	}

	// A fresh engine, as a new process would be, once the lease expired.
	rep, err := env.engine(func(c *Config) { c.Clock = laterClock{by: time.Hour} }).Run(context.Background(), in)
	if err != nil {
		t.Fatalf("the run after the crash failed: %v", err)
	}
	env.assertUnchanged(arn, before)

	leftAliases := leftRunAliases(left)
	leftVersions := slices.DeleteFunc(slices.Clone(left.Versions), func(v string) bool { return slices.Contains(before.Versions, v) })
	changed := len(leftAliases) > 0 || len(leftVersions) > 0 || left.Memory != before.Memory || left.Description != before.Description
	if !locked && !changed {
		if rep.Recovery != nil {
			t.Errorf("nothing was left, yet the run reports a recovery: %s", rep.Recovery)
		}
		return
	}
	if rep.Recovery == nil {
		t.Fatalf("the crashed run left %+v, and the next run reports no recovery", left)
	}
	rc := rep.Recovery
	if rc.RunID == "" && locked {
		t.Errorf("recovery does not name the interrupted run: %s", rc)
	}
	if got := slices.Sorted(slices.Values(rc.DeletedAliases)); !slices.Equal(got, leftAliases) {
		t.Errorf("recovery deleted aliases %v, the crash left %v", got, leftAliases)
	}
	if got := slices.Sorted(slices.Values(rc.DeletedVersions)); !slices.Equal(got, leftVersions) {
		t.Errorf("recovery deleted versions %v, the crash left %v", got, leftVersions)
	}
	if rc.MemoryFound != left.Memory || rc.MemoryRestored != before.Memory {
		t.Errorf("recovery memory %d → %d MB, want %d → %d MB", rc.MemoryFound, rc.MemoryRestored, left.Memory, before.Memory)
	}
	summary := rc.String()
	for _, name := range append(leftAliases, leftVersions...) {
		if !strings.Contains(summary, name) {
			t.Errorf("the recovery summary does not list %s: %s", name, summary)
		}
	}
}

// leftRunAliases are the RAM aliases in st, sorted.
func leftRunAliases(st functionState) []string {
	var names []string
	for name := range st.Aliases {
		if runrecord.IsSizeAlias(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}
