package tuning

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// runInOriginalOrder does the work of one run in the original tool's order,
// for the benchmark to compare against: configure every power value (update,
// wait, publish, alias) one after another, then execute all power values at
// once, then delete the aliases and versions and restore $LATEST. It polls
// with the engine's own schedule, so that only the order of work differs.
// It returns the wall time.
func runInOriginalOrder(ctx context.Context, lam awsapi.LambdaAPI, in spec.Input) (time.Duration, error) {
	began := time.Now()
	fn, err := lam.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(in.LambdaARN)})
	if err != nil {
		return 0, err
	}
	arn, original := aws.ToString(fn.Configuration.FunctionArn), aws.ToInt32(fn.Configuration.MemorySize)
	versions := map[int32]string{}
	for _, p := range in.PowerValues {
		if err := originalSetMemory(ctx, lam, arn, p); err != nil {
			return 0, err
		}
		v, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(arn)})
		if err != nil {
			return 0, err
		}
		versions[p] = aws.ToString(v.Version)
		if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String(arn),
			Name: aws.String(originalAlias(p)), FunctionVersion: v.Version}); err != nil {
			return 0, err
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, p := range in.PowerValues {
		g.Go(func() error { return originalExecute(gctx, lam, arn, originalAlias(p), in) })
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	for _, p := range in.PowerValues {
		if _, err := lam.DeleteAlias(ctx, &lambda.DeleteAliasInput{FunctionName: aws.String(arn), Name: aws.String(originalAlias(p))}); err != nil {
			return 0, err
		}
		if _, err := lam.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(arn), Qualifier: aws.String(versions[p])}); err != nil {
			return 0, err
		}
	}
	if err := originalSetMemory(ctx, lam, arn, original); err != nil {
		return 0, err
	}
	return time.Since(began), nil
}

func originalAlias(power int32) string { return "RAM" + strconv.Itoa(int(power)) }

// originalSetMemory updates the memory size and polls until it is applied.
func originalSetMemory(ctx context.Context, lam awsapi.LambdaAPI, arn string, memory int32) error {
	if _, err := lam.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String(arn), MemorySize: aws.Int32(memory)}); err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		time.Sleep(waiter.Delay(attempt, 100*time.Millisecond, 2*time.Second))
		c, err := lam.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(arn)})
		if err != nil {
			return err
		}
		if c.LastUpdateStatus == types.LastUpdateStatusSuccessful {
			return nil
		}
		if c.LastUpdateStatus == types.LastUpdateStatusFailed {
			return fmt.Errorf("update to %d MB failed", memory)
		}
	}
}

// originalExecute invokes the alias num times, all at once when parallel.
func originalExecute(ctx context.Context, lam awsapi.LambdaAPI, arn, alias string, in spec.Input) error {
	invoke := func() error {
		_, err := lam.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(arn), Qualifier: aws.String(alias)})
		return err
	}
	if !in.ParallelInvocation {
		for range in.Num {
			if err := invoke(); err != nil {
				return err
			}
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, in.Num)
	for range in.Num {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- invoke()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
