package copies

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
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
			version, err := t.create(gctx, name, size.Power, size.Arch, nil)
			if err != nil {
				if reason, ok := t.skippable(size.Power, err); ok {
					size.Skip(reason)
					return nil
				}
				return err
			}
			size.Ready(0, target.Invocable{Function: name, Qualifier: version, Label: "copy of " + t.fn.ARN(),
				Version: cmp.Or(version, lambdaops.Latest)})
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

// create creates the copy of power MB (on arch, "" for the function's),
// with adjust's changes to its input when not nil, and waits until it is
// Active. The copy is in the ledger before the request is sent: a create
// whose answer is lost may still have happened, and clean-up deletes by
// name. version is the version the copy's invocations name; "" for its
// $LATEST.
func (t *Target) create(ctx context.Context, name string, power int32, arch string, adjust func(*lambda.CreateFunctionInput)) (version string, err error) {
	t.fn.Ledger().AddCopy(name)
	in := t.input(name, power)
	if arch != "" {
		in.Architectures = []types.Architecture{types.Architecture(arch)}
	}
	if adjust != nil {
		adjust(in)
	}
	if t.publishes() {
		in.Publish, version = true, firstVersion
	}
	created := t.fn.Waiter().Clock.Now()
	err = t.fn.Mutate(ctx, func(ctx context.Context) error {
		out, err := t.fn.Lambda().CreateFunction(ctx, in)
		if faults.IsFunctionExists(err) {
			return nil // the SDK retried a create that had worked: the name is this run's
		}
		if err == nil && in.Publish && aws.ToString(out.Version) != "" {
			version = aws.ToString(out.Version)
		}
		return err
	})
	if err != nil {
		return "", &faults.StepError{Operation: "CreateFunction", Function: name, Power: power, Err: fmt.Errorf("creating the copy of %s: %w", t.fn.ARN(), err)}
	}
	// The copy first, then its version: a version can say Active while
	// the function it belongs to is still being created.
	for _, qualifier := range slices.Compact([]string{"", version}) {
		if err := t.waitActive(ctx, name, qualifier, created); err != nil {
			return "", &faults.StepError{Operation: "GetFunction", Function: name, Power: power, Err: fmt.Errorf("waiting for the copy of %s to become Active: %w", t.fn.ARN(), err)}
		}
	}
	return version, nil
}

// firstVersion is the version a new function's first publication gets.
const firstVersion = "1"

// publishes says whether each copy is created with a published version,
// which its invocations then name: Lambda invokes a durable function only
// by a qualified ARN (a version or an alias), never by its bare name.
func (t *Target) publishes() bool { return t.src.config.DurableConfig != nil }

// input is what the copy of one memory size is created with: the source's
// settings (see settings) and code, with the copy's name, memory,
// description and marks. What a copy deliberately lacks (event sources,
// triggers, resource policy, URL, reserved concurrency) is documented.
func (t *Target) input(name string, power int32) *lambda.CreateFunctionInput {
	in := settings(t.src.config)
	if t.env.OnLambdaFleet {
		in.CapacityProviderConfig = nil
	}
	in.FunctionName = aws.String(name)
	in.MemorySize = aws.Int32(power)
	in.Description = aws.String(fmt.Sprintf("awspowertuning copy of %s at %d MB, run %s", t.fn.ARN(), power, t.env.RunID))
	in.LoggingConfig = t.logging()
	in.Code = t.code()
	in.Tags = t.lease().Tags()
	in.Tags[targetTag] = t.fn.ARN()
	maps.Copy(in.Tags, t.src.tags)
	return in
}

// code is the source's package: its image, the staged zip, or the zip.
func (t *Target) code() *types.FunctionCode {
	switch {
	case t.src.image != "":
		return &types.FunctionCode{ImageUri: aws.String(t.src.image)}
	case t.src.s3Key != "":
		return &types.FunctionCode{S3Bucket: aws.String(t.src.s3Bucket), S3Key: aws.String(t.src.s3Key)}
	}
	return &types.FunctionCode{ZipFile: t.src.zip}
}

// waitActive waits until the copy created at created (its version, when
// one was published) leaves Pending; a Failed copy fails with Lambda's
// reason. The copies of a run are created
// together: the first to wait learns how long creation takes and the
// others sleep through it on its lesson, so their polls stay few.
// GetFunction has a quota of its own (100/s), apart from the control
// plane's 15/s that creating and deleting copies needs.
func (t *Target) waitActive(ctx context.Context, name, version string, created time.Time) error {
	w := t.fn.Waiter()
	exp := waiter.Expect{Key: "create copies of " + t.fn.ARN(), Since: created, Ours: true, FirstPoll: 2 * w.Min}
	var qualifier *string
	if version != "" {
		qualifier = aws.String(version)
	}
	return w.Poll(ctx, exp, func(ctx context.Context) (bool, string, error) {
		out, err := t.fn.Lambda().GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name), Qualifier: qualifier})
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
