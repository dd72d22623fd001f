package tuning

import (
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// loadPayloads lays out the request bodies of one size's invocations.
func (r *run) loadPayloads(ctx context.Context) (analysis.Payloads, error) {
	var body []byte
	switch {
	case r.in.Payload != nil:
		body = []byte(*r.in.Payload)
	case r.in.PayloadS3 != "":
		b, err := readPayloadS3(ctx, r.e.cfg.Clients.S3(), r.in.PayloadS3)
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
