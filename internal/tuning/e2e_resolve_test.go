package tuning

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// beforeFirst is the Lambda calls on the function before its first
// UpdateFunctionConfiguration (Invoke excluded), in arrival order.
func beforeFirst(t *testing.T, calls lambdasim.CallLog, function string) []string {
	t.Helper()
	var ops []string
	for _, c := range calls.ForFunction(function) {
		if c.Operation == "UpdateFunctionConfiguration" {
			return ops
		}
		if c.Class != lambdasim.QuotaInvoke {
			ops = append(ops, c.Operation)
		}
	}
	t.Fatal("the run sent no UpdateFunctionConfiguration")
	return nil
}

func TestE2EAPlainRunSendsFourCallsBeforeItsFirstChange(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "plain", MemorySize: 384, Description: "mine", Environment: cpuBound(nil)})
	env.userAlias(arn, "live", "production traffic")
	before := env.state(arn)
	from := len(env.sim.Calls())
	if _, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}}); err != nil {
		t.Fatal(err)
	}
	ops := beforeFirst(t, env.sim.Calls()[from:], "plain")
	env.assertRestored(arn, before)
	// The function read once, the two listings recovery and clean-up need,
	// and the lock, whose record is written by the call that creates it.
	want := []string{"CreateAlias", "GetFunction", "ListAliases", "ListVersionsByFunction"}
	if slices.Sort(ops); !slices.Equal(ops, want) {
		t.Errorf("calls before the first change: %v, want %v", ops, want)
	}
}

func TestE2ETheLockIsCreatedWithItsRecord(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "recorded", MemorySize: 384, Environment: cpuBound(nil)})
	var mu sync.Mutex
	var record *runrecord.Record
	onEvent := func(ev progress.Event) {
		if ev.Kind != progress.UpdateSent || ev.Restore {
			return
		}
		got, err := env.lambda("us-east-1").GetAlias(context.Background(), &lambda.GetAliasInput{FunctionName: &arn, Name: aws.String(runrecord.LockAlias)})
		if err != nil {
			t.Error(err)
			return
		}
		rec, err := runrecord.Decode(aws.ToString(got.Description))
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if record == nil {
			record = &rec
		}
	}
	from := len(env.sim.Calls())
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}}, func(c *Config) { c.Progress = onEvent }); err != nil {
		t.Fatal(err)
	}
	if record == nil || record.Memory != 384 {
		t.Fatalf("record at the first change: %+v, want one saying 384 MB is to be restored", record)
	}
	if n := env.sim.Calls()[from:].ForFunction("recorded").Operations()["UpdateAlias"]; n != 0 {
		t.Errorf("%d UpdateAlias calls, want the record written by CreateAlias alone (the run is short of a heartbeat)", n)
	}
}

// changeBeforeTheLock changes $LATEST's memory the moment the run has read
// it, before it takes the lock: what it read is then not what it must
// restore.
type changeBeforeTheLock struct {
	awsapi.LambdaAPI
	once    sync.Once
	change  func()
	refused atomic.Int32 // updates refused for a stale RevisionId
}

func (c *changeBeforeTheLock) UpdateFunctionConfiguration(ctx context.Context, in *lambda.UpdateFunctionConfigurationInput, o ...func(*lambda.Options)) (*lambda.UpdateFunctionConfigurationOutput, error) {
	out, err := c.LambdaAPI.UpdateFunctionConfiguration(ctx, in, o...)
	if faults.IsPreconditionFailed(err) {
		c.refused.Add(1)
	}
	return out, err
}

func (c *changeBeforeTheLock) CreateAlias(ctx context.Context, in *lambda.CreateAliasInput, o ...func(*lambda.Options)) (*lambda.CreateAliasOutput, error) {
	if aws.ToString(in.Name) == runrecord.LockAlias {
		c.once.Do(c.change)
	}
	return c.LambdaAPI.CreateAlias(ctx, in, o...)
}

func TestE2EAChangeBetweenTheReadAndTheLockIsReadAgain(t *testing.T) {
	// Another run ends (or someone changes the function) between this
	// run's one read and its lock: the first change, conditional on what
	// was read, is refused, and the run reads again and restores what is
	// there now.
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "moving", MemorySize: 384, Description: "v1", Environment: cpuBound(nil)})
	raced := &changeBeforeTheLock{change: func() {
		ctx := context.Background()
		lam := env.lambda("us-east-1")
		if _, err := lam.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: &arn,
			MemorySize: aws.Int32(640), Description: aws.String("v2")}); err != nil {
			t.Error(err)
		}
		for { // the other party's update settles before the run goes on
			out, err := lam.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: &arn})
			if err != nil {
				t.Error(err)
				return
			}
			if out.Configuration.LastUpdateStatus == types.LastUpdateStatusSuccessful {
				return
			}
		}
	}}
	_, err := env.engine(func(c *Config) {
		c.Clients = wrappedClients{c.Clients, func(l awsapi.LambdaAPI) awsapi.LambdaAPI { raced.LambdaAPI = l; return raced }}
	}).Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}})
	if err != nil {
		t.Fatal(err)
	}
	after := env.state(arn)
	if after.Memory != 640 || after.Description != "v2" {
		t.Errorf("after the run: %d MB, %q; want the 640 MB and %q found under the lock", after.Memory, after.Description, "v2")
	}
	if refused := raced.refused.Load(); refused != 1 {
		t.Errorf("%d refused updates, want the first change refused once for its stale RevisionId", refused)
	}
}

func TestE2ECopiesWithAutoOptimizeReadTheFunctionAndItsPackageOnce(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	env.addFunction(lambdasim.FunctionSpec{Name: "target", MemorySize: 384, Environment: cpuBound(nil)})
	from := len(env.sim.Calls())
	in := copiesInput(simARN("target"))
	in.AutoOptimize = true
	rep, err := env.engine().Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	calls := env.sim.Calls()[from:]
	reads := 0
	for _, c := range calls.ForFunction("target") {
		if c.Operation == "UpdateFunctionConfiguration" {
			break // the optimum is applied: later reads wait for that
		}
		if c.Operation == "GetFunction" {
			reads++
		}
	}
	downloads := 0
	for _, c := range calls {
		if c.Operation == "GetFunctionCode" {
			downloads++
		}
	}
	if reads != 1 || downloads != 1 {
		t.Errorf("the function was read %d times and its package downloaded %d times before the optimum was applied, want once each", reads, downloads)
	}
	if got := env.state(simARN("target")).Memory; got != rep.OptimalPower {
		t.Errorf("$LATEST at %d MB, want the optimum %d MB applied", got, rep.OptimalPower)
	}
}
