package tuning

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// callRecorder records what the run asked Lambda to create and invoke.
type callRecorder struct {
	awsapi.LambdaAPI
	mu      *sync.Mutex
	creates *[]lambda.CreateFunctionInput
	invokes *[]lambda.InvokeInput
}

func (c callRecorder) CreateFunction(ctx context.Context, in *lambda.CreateFunctionInput, o ...func(*lambda.Options)) (*lambda.CreateFunctionOutput, error) {
	c.mu.Lock()
	*c.creates = append(*c.creates, *in)
	c.mu.Unlock()
	return c.LambdaAPI.CreateFunction(ctx, in, o...)
}

func (c callRecorder) Invoke(ctx context.Context, in *lambda.InvokeInput, o ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	c.mu.Lock()
	*c.invokes = append(*c.invokes, *in)
	c.mu.Unlock()
	return c.LambdaAPI.Invoke(ctx, in, o...)
}

// recording returns a Config change that records the run's CreateFunction
// and Invoke requests, and where they are recorded.
func (env *simEnv) recording() (func(*Config), *[]lambda.CreateFunctionInput, *[]lambda.InvokeInput) {
	var mu sync.Mutex
	creates, invokes := &[]lambda.CreateFunctionInput{}, &[]lambda.InvokeInput{}
	return func(c *Config) {
		c.Clients = wrappedClients{env.clients, func(l awsapi.LambdaAPI) awsapi.LambdaAPI {
			return callRecorder{LambdaAPI: l, mu: &mu, creates: creates, invokes: invokes}
		}}
	}, creates, invokes
}

func TestE2ECopiesOfATenantIsolatedFunctionAreIsolatedAndInvokedAsTheTenant(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "saas", TenantIsolationMode: perTenant, Environment: cpuBound(nil)})
	record, creates, invokes := env.recording()
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}, Isolation: spec.IsolationCopies, TenantID: "tenant-42"}, record); err != nil {
		t.Fatal(err)
	}
	if len(*creates) != 2 {
		t.Fatalf("%d copies created, want 2", len(*creates))
	}
	for _, in := range *creates {
		if in.TenancyConfig == nil || in.TenancyConfig.TenantIsolationMode != perTenant {
			t.Errorf("copy %s created with TenancyConfig %+v, want the function's PER_TENANT", aws.ToString(in.FunctionName), in.TenancyConfig)
		}
	}
	if len(*invokes) != 10 {
		t.Fatalf("%d invocations, want 10", len(*invokes))
	}
	for _, in := range *invokes {
		if aws.ToString(in.TenantId) != "tenant-42" {
			t.Errorf("invocation of %s named tenant %q, want tenant-42", aws.ToString(in.FunctionName), aws.ToString(in.TenantId))
		}
	}
}

func TestE2ECopiesOfADurableFunctionAreDurableAndInvokedByTheirVersion(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	durable := &lambdasim.DurableSpec{ExecutionTimeout: 3600, RetentionPeriodInDays: 30, KMSKeyArn: "arn:aws:kms:us-east-1:123456789012:key/durable"}
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "workflow", Durable: durable, Environment: cpuBound(nil)})
	record, creates, invokes := env.recording()
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}, Isolation: spec.IsolationCopies}, record); err != nil {
		t.Fatal(err)
	}
	want := &types.DurableConfig{ExecutionTimeout: aws.Int32(3600), RetentionPeriodInDays: aws.Int32(30), KMSKeyArn: aws.String(durable.KMSKeyArn)}
	if len(*creates) != 2 {
		t.Fatalf("%d copies created, want 2", len(*creates))
	}
	for _, in := range *creates {
		if !reflect.DeepEqual(in.DurableConfig, want) || !in.Publish {
			t.Errorf("copy %s created with DurableConfig %+v and Publish %v, want the function's and a published version",
				aws.ToString(in.FunctionName), in.DurableConfig, in.Publish)
		}
	}
	// Lambda invokes a durable function only by a qualified ARN.
	for _, in := range *invokes {
		if aws.ToString(in.Qualifier) != "1" {
			t.Errorf("invocation of %s with qualifier %q, want the copy's version 1", aws.ToString(in.FunctionName), aws.ToString(in.Qualifier))
		}
	}
	if len(*invokes) != 10 {
		t.Errorf("%d invocations, want 10", len(*invokes))
	}
}

func TestE2EADurableFunctionTunedInPlaceIsInvokedByItsAliases(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "workflow", Durable: &lambdasim.DurableSpec{ExecutionTimeout: 3600}, Environment: cpuBound(nil)})
	record, _, invokes := env.recording()
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}}, record); err != nil {
		t.Fatal(err)
	}
	for _, in := range *invokes {
		if !strings.HasPrefix(aws.ToString(in.Qualifier), "RAM") {
			t.Errorf("invocation of %s with qualifier %q, want a RAM alias", aws.ToString(in.FunctionName), aws.ToString(in.Qualifier))
		}
	}
}

func TestE2EADurableProcessorNamedWithoutAVersionIsRefusedBeforeAnyChange(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "plain", Environment: cpuBound(nil)})
	pre := env.addFunction(lambdasim.FunctionSpec{Name: "durable-pre", Durable: &lambdasim.DurableSpec{ExecutionTimeout: 60}})
	from := env.callsSoFar()
	_, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}, PreProcessorARN: pre})
	var input *spec.InputError
	if !errors.As(err, &input) || input.Attribute != spec.AttrPreProcessorARN || !strings.Contains(err.Error(), "qualified ARN") {
		t.Fatalf("error = %v, want pre_processor_arn refused for want of a version or alias", err)
	}
	env.assertNothingChangedSince(from, "plain")
}
