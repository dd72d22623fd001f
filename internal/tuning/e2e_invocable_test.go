package tuning

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func TestE2EAFunctionThatCannotBeInvokedFailsBeforeAnyChange(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	zero := int32(0)
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "stopped", MemorySize: 384, ReservedConcurrency: &zero, Environment: cpuBound(nil)})
	check := env.beforeRun("stopped")
	_, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}})
	var stopped *faults.NotInvocableError
	if !errors.As(err, &stopped) || !strings.Contains(err.Error(), "reserved concurrency is 0") || !strings.Contains(err.Error(), "delete-function-concurrency") {
		t.Fatalf("error = %v, want one naming reserved concurrency and how to lift it", err)
	}
	env.assertUntouched(check)
	if n := env.sim.Calls()[check.calls:].ForFunction("stopped").Operations()["CreateAlias"]; n != 0 {
		t.Errorf("%d CreateAlias calls: the lock was taken although nothing could be measured", n)
	}
}

func TestE2EThrottlingNamesTheLimitItHit(t *testing.T) {
	env := startSim(t, lambdasim.Options{TimeScale: 0.01})
	one := int32(1)
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "narrow", ReservedConcurrency: &one, Environment: cpuBound(nil)})
	// Two attempts with a short backoff: the throttling outlasts them.
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	clients := awsapi.FromSDK(awsclient.New(cfg, awsclient.ClientOptions{LambdaEndpoint: env.sim.URL(), S3Endpoint: env.sim.URL(), LogsEndpoint: env.sim.URL(),
		MaxBackoff: time.Millisecond, MaxRetries: 2, Rates: awsclient.RequestRates{ControlPlane: 100_000, GetFunction: 100_000}}))
	_, err := env.engine(func(c *Config) { c.Clients = clients }).Run(context.Background(),
		spec.Input{LambdaARN: arn, Num: 20, PowerValues: []int32{128}, ParallelInvocation: true})
	var throttled *faults.ThrottledError
	if !errors.As(err, &throttled) || !strings.Contains(throttled.Limit(), "reserved concurrency") {
		t.Fatalf("error = %v, want a ThrottledError naming the function's reserved concurrency", err)
	}
}
