package tuning

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
)

// killedAfterFirstCopyDeletion is a process that dies right after it
// deleted its first copy: that copy's log group, deleted next, stays.
type killedAfterFirstCopyDeletion struct {
	awsapi.Clients
	dead atomic.Bool
}

func (k *killedAfterFirstCopyDeletion) Lambda(region string) awsapi.LambdaAPI {
	return &dyingAfterDelete{LambdaAPI: k.Clients.Lambda(region), k: k}
}

func (k *killedAfterFirstCopyDeletion) Logs(region string) awsapi.LogsAPI {
	return &deadLogs{LogsAPI: k.Clients.Logs(region), k: k}
}

type dyingAfterDelete struct {
	awsapi.LambdaAPI
	k *killedAfterFirstCopyDeletion
}

func (d *dyingAfterDelete) DeleteFunction(ctx context.Context, in *lambda.DeleteFunctionInput, o ...func(*lambda.Options)) (*lambda.DeleteFunctionOutput, error) {
	if d.k.dead.Load() {
		return nil, errProcessDied
	}
	out, err := d.LambdaAPI.DeleteFunction(ctx, in, o...)
	if err == nil && in.Qualifier == nil {
		d.k.dead.Store(true)
	}
	return out, err
}

func (d *dyingAfterDelete) TagResource(ctx context.Context, in *lambda.TagResourceInput, o ...func(*lambda.Options)) (*lambda.TagResourceOutput, error) {
	if d.k.dead.Load() {
		return nil, errProcessDied
	}
	return d.LambdaAPI.TagResource(ctx, in, o...)
}

type deadLogs struct {
	awsapi.LogsAPI
	k *killedAfterFirstCopyDeletion
}

func (d *deadLogs) DeleteLogGroup(ctx context.Context, in *cloudwatchlogs.DeleteLogGroupInput, o ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DeleteLogGroupOutput, error) {
	if d.k.dead.Load() {
		return nil, errProcessDied
	}
	return d.LogsAPI.DeleteLogGroup(ctx, in, o...)
}

func TestE2ECopiesKilledAfterTheirFirstDeletionLeaveNoLogGroupBehind(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "target", Environment: cpuBound(nil)})
	killed := &killedAfterFirstCopyDeletion{Clients: env.clients}
	_, err := env.engine(func(c *Config) { c.Clients = killed }).Run(context.Background(), copiesInput(arn))
	if !errors.Is(err, errProcessDied) && err == nil {
		t.Log("the killed run ended without an error")
	}
	groupPrefix := "/aws/lambda/" + copies.NamePrefix(arn)
	var left []string
	for _, g := range env.sim.LogGroups("us-east-1") {
		if strings.HasPrefix(g, groupPrefix) {
			left = append(left, g)
		}
	}
	if len(left) != 3 {
		t.Fatalf("the kill left log groups %v, want all three copies' (one of a copy already deleted)", left)
	}

	rep, err := env.engine(func(c *Config) { c.Clock = laterClock{by: time.Hour} }).Run(context.Background(), copiesInput(arn))
	if err != nil {
		t.Fatal(err)
	}
	env.assertNoCopies(arn)
	env.assertNoCopyLogGroups(arn)
	warned := strings.Join(rep.Warnings, "\n")
	if len(rep.Warnings) != 1 {
		t.Errorf("warnings %q, want one telling the whole recovery", rep.Warnings)
	}
	for _, g := range left {
		if !strings.Contains(warned, g) {
			t.Errorf("the recovery warning does not name log group %s: %s", g, warned)
		}
	}
}
