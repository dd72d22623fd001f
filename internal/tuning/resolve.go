package tuning

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
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
	// Reads are not cancelled by another's failure: each says its own.
	steps := []func(context.Context) error{r.read, r.checkProcessors, r.way.Resolve, r.checkReleased}
	if r.managed != nil {
		steps = append(steps, r.managed.Resolve)
	}
	errs := make([]error, len(steps))
	var reads sync.WaitGroup
	for i, step := range steps {
		reads.Go(func() { errs[i] = step(ctx) })
	}
	reads.Wait()
	if err := firstCause(errs); err != nil {
		return lock.Acquired{}, err
	}
	r.events.Note(0, "resolved %s: %d MB, %s, %s logs, %s price %g per GB-second",
		r.fn.ARN(), r.fn.Original().Memory, r.architecture, cmp.Or(r.logFormat, "Text"), r.price.Currency, r.price.PerGBSecond)
	if !r.way.ChangesFunction() && !r.in.AppliesOptimum() {
		return lock.Acquired{}, nil
	}
	return lock.Acquire(ctx, r.fn, r.cfg.Lock, lock.Claim{RunID: r.runID, ProviderVersion: r.cfg.ProviderVersion,
		Original: r.fn.Original(), SavesDescription: r.in.OnlyColdStarts}, r.jittered)
}

// read reads the function once and what its prices depend on.
func (r *run) read(ctx context.Context) error {
	if err := r.fn.Resolve(ctx); err != nil {
		return err
	}
	c := r.fn.Read().Configuration
	if err := r.checkKind(c); err != nil {
		return err
	}
	r.architecture = architectureOf(c)
	if c.LoggingConfig != nil {
		r.logFormat = string(c.LoggingConfig.LogFormat)
	}
	r.codeSha256 = aws.ToString(c.CodeSha256)
	r.price = r.cfg.Prices.Lookup(r.fn.Region(), r.architecture)
	archs := append([]string{r.architecture}, r.in.Architectures...)
	slices.Sort(archs)
	// Another Region's price would make every cost, and a cost optimum,
	// wrong without a word: a Region without one stops the run here.
	for _, arch := range slices.Compact(archs) {
		if !r.cfg.Prices.Priced(r.fn.Region(), arch) {
			return &faults.UnpricedRegionError{Region: r.fn.Region(), Architecture: arch}
		}
	}
	return nil
}

// checkProcessors makes sure each processor exists (and may be read) before
// the function is reconfigured, not at its first invocation.
func (r *run) checkProcessors(ctx context.Context) error {
	processors := []struct{ attribute, role, arn string }{
		{spec.AttrPreProcessorARN, "pre-processor", r.in.PreProcessorARN},
		{spec.AttrPostProcessorARN, "post-processor", r.in.PostProcessorARN},
	}
	r.tenancy.processors = map[string]bool{}
	for _, p := range processors {
		if p.arn == "" {
			continue
		}
		c, err := r.processorClient(p.arn).GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{
			FunctionName: aws.String(p.arn),
		})
		if err != nil {
			step := &faults.StepError{Operation: "GetFunctionConfiguration", Function: p.arn, Err: err}
			return &spec.InputError{Attribute: p.attribute, Err: step,
				Message: fmt.Sprintf("the processor %s cannot be read, so the run stopped before changing anything; check the ARN and allow lambda:GetFunctionConfiguration on it: %v",
					p.arn, step)}
		}
		if c.DurableConfig != nil && spec.Qualifier(p.arn) == "" {
			return &spec.InputError{Attribute: p.attribute, Message: durableUnqualified(p.role, p.arn)}
		}
		if mode := isolationMode(c.TenancyConfig); mode != "" {
			if r.in.TenantID == "" {
				return tenantRequired(p.arn, p.role, mode)
			}
			r.tenancy.processors[p.arn] = true
		}
	}
	return nil
}

// firstCause is the first failure in the order of the reads, not in time:
// a missing function is told by the read of it, not by the listing that
// happened to fail first.
func firstCause(errs []error) error { return cmp.Or(errs...) }

// loadPayloads lays out the request bodies of one size's invocations.
func (r *run) loadPayloads(ctx context.Context) (analysis.Payloads, error) {
	var body []byte
	switch {
	case r.in.Payload != nil:
		body = []byte(*r.in.Payload)
	case r.in.PayloadS3 != "":
		b, err := readPayloadS3(ctx, r.cfg.Clients.S3(), r.in.PayloadS3)
		if err != nil {
			return analysis.Payloads{}, &faults.StepError{Operation: "GetObject", Function: r.fn.ARN(), Err: err}
		}
		body = b
	}
	// Laid out for the input's num even in a dry run, so that a weighted
	// payload is checked as it will be used; a dry run takes the first.
	payloads, err := analysis.BuildPayloads(body, r.in.Num)
	if err != nil {
		// Name the attribute the layout came from: an S3 body is not payload.
		attribute := spec.AttrPayload
		if r.in.Payload == nil && r.in.PayloadS3 != "" {
			attribute = spec.AttrPayloadS3
		}
		return analysis.Payloads{}, &spec.InputError{Attribute: attribute, Message: err.Error(), Err: err}
	}
	if r.in.PayloadPlaceholders {
		if payloads, err = payloads.WithPlaceholders(); err != nil {
			return analysis.Payloads{}, &spec.InputError{Attribute: spec.AttrPayloadPlaceholders, Message: err.Error(), Err: err}
		}
	}
	return payloads, nil
}

// readPayloadS3 fetches the payload_s3 object's body.
func readPayloadS3(ctx context.Context, client awsapi.S3API, uri string) ([]byte, error) {
	bucket, key, err := spec.ParseS3URI(uri)
	if err != nil {
		return nil, err
	}
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	switch {
	case err == nil:
		defer out.Body.Close()
		return io.ReadAll(out.Body)
	case faults.IsNotFound(err):
		return nil, fmt.Errorf("%w: %s: %w", faults.ErrPayloadNotFound, uri, err)
	case faults.IsAccessDenied(err):
		return nil, fmt.Errorf("%w: %s (the provider's credentials need s3:GetObject on it): %w", faults.ErrPayloadAccessDenied, uri, err)
	default:
		return nil, fmt.Errorf("reading %s: %w", uri, err)
	}
}
