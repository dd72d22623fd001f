package tuning

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"golang.org/x/sync/errgroup"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// resolve reads, once and before anything is changed, what the run needs
// to know about the function and what it must restore, all at once: the
// function, its processors, what the way of running needs, and whether the
// optimum may go to the alias (those that need the function's configuration
// wait for its read). A run that will change the function then takes it:
// the lock's record holds what the read said to restore.
func (r *run) resolve(ctx context.Context) (lock.Acquired, error) {
	steps := []func(context.Context) error{r.read, r.checkProcessors, r.way.Resolve, r.checkReleased}
	errs := make([]error, len(steps))
	reads, rctx := errgroup.WithContext(ctx)
	for i, step := range steps {
		reads.Go(func() error { errs[i] = step(rctx); return errs[i] })
	}
	_ = reads.Wait()
	if err := firstCause(errs); err != nil {
		return lock.Acquired{}, err
	}
	r.events.Note(0, "resolved %s: %d MB, %s, %s logs, %s price %g per GB-second",
		r.fn.ARN(), r.fn.Original().Memory, r.architecture, cmp.Or(r.logFormat, "Text"), r.price.Currency, r.price.PerGBSecond)
	if !r.way.ChangesFunction() && !r.appliesOptimum() {
		return lock.Acquired{}, nil
	}
	return lock.Acquire(ctx, r.fn, r.e.cfg.Lock, lock.Claim{RunID: r.runID, ProviderVersion: r.e.cfg.ProviderVersion,
		Original: r.fn.Original(), SavesDescription: r.in.OnlyColdStarts}, r.jittered)
}

// read reads the function once and what its prices depend on.
func (r *run) read(ctx context.Context) error {
	if err := r.fn.Resolve(ctx); err != nil {
		return err
	}
	c := r.fn.Read().Configuration
	r.architecture = architectureOf(c)
	if c.LoggingConfig != nil {
		r.logFormat = string(c.LoggingConfig.LogFormat)
	}
	r.codeSha256 = aws.ToString(c.CodeSha256)
	r.price = r.e.cfg.Prices.Lookup(r.fn.Region(), r.architecture)
	return nil
}

// checkProcessors makes sure each processor exists (and may be read) before
// the function is reconfigured, not at its first invocation.
func (r *run) checkProcessors(ctx context.Context) error {
	processors := []struct{ attribute, arn string }{
		{spec.AttrPreProcessorARN, r.in.PreProcessorARN},
		{spec.AttrPostProcessorARN, r.in.PostProcessorARN},
	}
	for _, p := range processors {
		if p.arn == "" {
			continue
		}
		_, err := r.processorClient(p.arn).GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{
			FunctionName: aws.String(p.arn),
		})
		if err != nil {
			step := &faults.StepError{Operation: "GetFunctionConfiguration", Function: p.arn, Err: err}
			return &spec.InputError{Attribute: p.attribute, Err: step,
				Message: fmt.Sprintf("the processor %s cannot be read, so the run stopped before changing anything; check the ARN and allow lambda:GetFunctionConfiguration on it: %v",
					p.arn, step)}
		}
	}
	return nil
}

// firstCause is the first failure in the order of the reads, not in time
// (a missing function is told by the read of it, not by the listing that
// happened to fail first), passing over the cancellations the first failure
// caused.
func firstCause(errs []error) error {
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	return cmp.Or(errs...)
}
