package tuning

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// afterFirstPublish changes the function as someone else would, once, the
// moment the run's first version is published: between two updates.
type afterFirstPublish struct {
	awsapi.LambdaAPI
	once   sync.Once
	change func(ctx context.Context, lam *lambda.Client)
}

func (a *afterFirstPublish) PublishVersion(ctx context.Context, in *lambda.PublishVersionInput, o ...func(*lambda.Options)) (*lambda.PublishVersionOutput, error) {
	out, err := a.LambdaAPI.PublishVersion(ctx, in, o...)
	if err == nil {
		a.once.Do(func() { a.change(ctx, a.LambdaAPI.(*lambda.Client)) })
	}
	return out, err
}

// settle waits until the function's last update is done.
func settle(t *testing.T, lam *lambda.Client, arn string) {
	t.Helper()
	for {
		out, err := lam.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: &arn})
		if err != nil {
			t.Error(err)
			return
		}
		if out.Configuration.LastUpdateStatus == types.LastUpdateStatusSuccessful {
			return
		}
	}
}

// reportAndErr is what a run returned.
type reportAndErr struct {
	rep *report.Report
	err error
}

func (env *simEnv) runChangedBySomeoneElse(arn string, change func(ctx context.Context, lam *lambda.Client)) (*reportAndErr, functionState) {
	env.t.Helper()
	other := &afterFirstPublish{change: change}
	rep, err := env.engine(func(c *Config) {
		c.Clients = wrappedClients{c.Clients, func(l awsapi.LambdaAPI) awsapi.LambdaAPI { other.LambdaAPI = l; return other }}
	}).Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512, 1024}})
	return &reportAndErr{rep: rep, err: err}, env.state(arn)
}

func TestE2EADeployBetweenTwoUpdatesStopsTheRunAndIsKept(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "deployed", MemorySize: 384, Description: "v1", Environment: cpuBound(nil)})
	before := env.state(arn)
	var newCode string
	got, after := env.runChangedBySomeoneElse(arn, func(ctx context.Context, lam *lambda.Client) {
		out, err := lam.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String(arn),
			ZipFile: lambdasim.ZipPackage("index.js", "exports.handler = async () => 2")})
		if err != nil {
			t.Error(err)
			return
		}
		newCode = aws.ToString(out.CodeSha256)
		settle(t, lam, arn)
	})
	var changed *faults.CodeChangedError
	if !errors.As(got.err, &changed) || changed.Now != newCode || changed.Was == "" || changed.Was == newCode {
		t.Fatalf("error = %v, want a CodeChangedError naming the old code and %s", got.err, newCode)
	}
	if got.rep != nil {
		t.Error("a report was returned for sizes measured on two codes")
	}
	for _, want := range []string{changed.Was, changed.Now, "reports nothing"} {
		if !strings.Contains(got.err.Error(), want) {
			t.Errorf("error %q does not say %q", got.err, want)
		}
	}
	if after.Memory != before.Memory || after.Description != before.Description || len(after.Aliases) != 0 || len(after.Versions) != 0 {
		t.Errorf("after the run: %+v, want %+v restored with nothing left", after, before)
	}
}

func TestE2EASettingsChangeDuringTheRunIsKeptAndTold(t *testing.T) {
	// At 128 MB the run's first size needs no update, only a version: a
	// change after it is still someone else's, not the original state.
	for _, memory := range []int32{384, 128} {
		t.Run(fmt.Sprintf("from %d MB", memory), func(t *testing.T) { settingsChangedDuringTheRun(t, memory) })
	}
}

func settingsChangedDuringTheRun(t *testing.T, memory int32) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "reconfigured", MemorySize: memory, Description: "v1", Environment: cpuBound(nil)})
	got, after := env.runChangedBySomeoneElse(arn, func(ctx context.Context, lam *lambda.Client) {
		_, err := lam.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(arn),
			MemorySize: aws.Int32(2048), Environment: &types.Environment{Variables: cpuBound(map[string]string{"FEATURE": "on"})}})
		if err != nil {
			t.Error(err)
			return
		}
		settle(t, lam, arn)
	})
	if got.err != nil {
		t.Fatal(got.err)
	}
	if after.Memory != 2048 || after.Description != "v1" || len(after.Aliases) != 0 || len(after.Versions) != 0 {
		t.Errorf("after the run: %+v, want the 2048 MB someone else set kept, the description restored, nothing left", after)
	}
	c, err := env.lambda("us-east-1").GetFunctionConfiguration(context.Background(), &lambda.GetFunctionConfigurationInput{FunctionName: &arn})
	if err != nil || c.Environment.Variables["FEATURE"] != "on" {
		t.Errorf("the environment someone else set was not kept: %v %v", c.Environment, err)
	}
	warned := strings.Join(got.rep.Warnings, " ")
	for _, want := range []string{"MemorySize to 2048 MB (kept", "Environment", "may not compare"} {
		if !strings.Contains(warned, want) {
			t.Errorf("warnings %q do not say %q", got.rep.Warnings, want)
		}
	}
}
