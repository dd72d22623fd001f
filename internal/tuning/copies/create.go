package copies

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// Prepare creates one copy per size, a few at a time, and lets each size's
// invocations start as soon as its copy is Active. The copies' lease is
// renewed from now until Cleanup.
func (t *Target) Prepare(ctx context.Context, sizes []*target.Size) error {
	t.stopBeat = t.heartbeat(ctx)
	if err := t.stageCode(ctx); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxInCreation)
	for _, size := range sizes {
		g.Go(func() error {
			name := t.name(size.Power, size.Arch)
			if err := t.create(gctx, size, name); err != nil {
				if reason, ok := t.skippable(size.Power, err); ok {
					size.Skip(reason)
					return nil
				}
				return err
			}
			size.Ready(0, target.Invocable{Function: name, Label: "copy of " + t.fn.ARN(), Version: lambdaops.Latest})
			return nil
		})
	}
	return g.Wait()
}

// skippable: with skip_failed_power_values, a memory size Lambda refuses
// fails that size only, as in place.
func (t *Target) skippable(power int32, err error) (string, bool) {
	msg, refused := faults.MemoryRefused(err)
	if !t.env.Input.SkipFailedPowerValues || !refused {
		return "", false
	}
	return fmt.Sprintf("CreateFunction refused %d MB, above the account's memory quota: %s", power, msg), true
}

// create creates the copy and waits until it is Active. The copy is in the
// ledger before the request is sent: a create whose answer is lost may
// still have happened, and clean-up deletes by name.
func (t *Target) create(ctx context.Context, size *target.Size, name string) error {
	t.fn.Ledger().AddCopy(name)
	in := t.input(name, size.Power)
	if size.Arch != "" {
		in.Architectures = []types.Architecture{types.Architecture(size.Arch)}
	}
	created := t.fn.Waiter().Clock.Now()
	err := t.fn.Mutate(ctx, func(ctx context.Context) error {
		_, err := t.fn.Lambda().CreateFunction(ctx, in)
		if faults.IsFunctionExists(err) {
			return nil // the SDK retried a create that had worked: the name is this run's
		}
		return err
	})
	if err != nil {
		return &faults.StepError{Operation: "CreateFunction", Function: name, Power: size.Power, Err: fmt.Errorf("creating the copy of %s: %w", t.fn.ARN(), err)}
	}
	if err := t.waitActive(ctx, name, created); err != nil {
		return &faults.StepError{Operation: "GetFunction", Function: name, Power: size.Power, Err: fmt.Errorf("waiting for the copy of %s to become Active: %w", t.fn.ARN(), err)}
	}
	return nil
}

// input is the source's configuration with the copy's name, memory,
// description and tags. What a copy deliberately lacks (event sources,
// triggers, resource policy, URL, reserved concurrency) is documented.
func (t *Target) input(name string, power int32) *lambda.CreateFunctionInput {
	c := t.src.config
	in := &lambda.CreateFunctionInput{
		FunctionName:      aws.String(name),
		Role:              c.Role,
		MemorySize:        aws.Int32(power),
		Timeout:           c.Timeout,
		Description:       aws.String(fmt.Sprintf("awspowertuning copy of %s at %d MB, run %s", t.fn.ARN(), power, t.env.RunID)),
		Architectures:     c.Architectures,
		PackageType:       c.PackageType,
		KMSKeyArn:         c.KMSKeyArn,
		EphemeralStorage:  c.EphemeralStorage,
		FileSystemConfigs: c.FileSystemConfigs,
		LoggingConfig:     t.logging(),
		DeadLetterConfig:  c.DeadLetterConfig,
		TenancyConfig:     c.TenancyConfig,
		Tags:              t.lease().Tags(),
	}
	in.Tags[targetTag] = t.fn.ARN()
	if t.src.image != "" {
		in.Code = &types.FunctionCode{ImageUri: aws.String(t.src.image)}
		if ic := c.ImageConfigResponse; ic != nil && ic.ImageConfig != nil {
			in.ImageConfig = ic.ImageConfig
		}
	} else {
		in.Code = &types.FunctionCode{ZipFile: t.src.zip}
		if t.src.s3Key != "" {
			in.Code = &types.FunctionCode{S3Bucket: aws.String(t.src.s3Bucket), S3Key: aws.String(t.src.s3Key)}
		}
		in.Runtime, in.Handler = c.Runtime, c.Handler
	}
	if c.Environment != nil {
		in.Environment = &types.Environment{Variables: c.Environment.Variables}
	}
	for _, l := range c.Layers {
		in.Layers = append(in.Layers, aws.ToString(l.Arn))
	}
	if v := c.VpcConfig; v != nil && len(v.SubnetIds) > 0 {
		in.VpcConfig = &types.VpcConfig{SubnetIds: v.SubnetIds, SecurityGroupIds: v.SecurityGroupIds, Ipv6AllowedForDualStack: v.Ipv6AllowedForDualStack}
	}
	if tc := c.TracingConfig; tc != nil {
		in.TracingConfig = &types.TracingConfig{Mode: tc.Mode}
	}
	if s := c.SnapStart; s != nil && s.ApplyOn != "" {
		in.SnapStart = &types.SnapStart{ApplyOn: s.ApplyOn}
	}
	return in
}

// waitActive waits until the copy created at created leaves Pending; a
// Failed copy fails with Lambda's reason. The copies of a run are created
// together: the first to wait learns how long creation takes and the
// others sleep through it on its lesson, so their polls stay few.
// GetFunction has a quota of its own (100/s), apart from the control
// plane's 15/s that creating and deleting copies needs.
func (t *Target) waitActive(ctx context.Context, name string, created time.Time) error {
	w := t.fn.Waiter()
	exp := waiter.Expect{Key: "create copies of " + t.fn.ARN(), Since: created, Ours: true, FirstPoll: 2 * w.Min}
	return w.Poll(ctx, exp, func(ctx context.Context) (bool, string, error) {
		out, err := t.fn.Lambda().GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
		if err != nil {
			return false, "", err
		}
		c := out.Configuration
		if c == nil {
			return false, "", errors.New("GetFunction answered without a configuration")
		}
		switch c.State {
		case types.StateActive:
			return true, "", nil
		case types.StateFailed:
			return false, "", fmt.Errorf("the copy failed to create: %s (%s)", aws.ToString(c.StateReason), c.StateReasonCode)
		}
		return false, "the copy is still " + string(c.State), nil
	})
}
