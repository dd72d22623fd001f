package tuning

import (
	"cmp"
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// resolve reads, once and before anything is changed, what the run needs
// to know about the function and what it must restore: the function, its
// processors, what the way of running needs, and whether the optimum may
// go to the alias. It changes nothing.
func (r *run) resolve(ctx context.Context) error {
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
	if err := r.checkProcessors(ctx); err != nil {
		return err
	}
	if err := r.way.Resolve(ctx); err != nil {
		return err
	}
	if err := r.checkReleased(ctx); err != nil {
		return err
	}
	r.events.Note(0, "resolved %s: %d MB, %s, %s logs, %s price %g per GB-second",
		r.fn.ARN(), r.fn.Original().Memory, r.architecture, cmp.Or(r.logFormat, "Text"), r.price.Currency, r.price.PerGBSecond)
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
