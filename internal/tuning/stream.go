package tuning

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// streamInvoker makes streamed invocations (InvokeWithResponseStream): the
// response comes in chunks as the function writes it, up to 200 MB, and an
// InvokeComplete event ends it with the function's error, if any, and the
// log tail.
type streamInvoker struct{ r *run }

func (streamInvoker) mode() string { return spec.InvokeModeStream }

func (s streamInvoker) invoke(ctx context.Context, call invocation) (answer, error) {
	r, at, payload := s.r, call.at, call.payload
	var out *lambda.InvokeWithResponseStreamOutput
	var sent time.Time
	err := r.fn.WhileBusy(ctx, func(ctx context.Context) error {
		var err error
		sent = r.cfg.Clock.Now() // the SDK's own stamp replaces it
		out, err = r.fn.Lambda().InvokeWithResponseStream(ctx, &lambda.InvokeWithResponseStreamInput{
			FunctionName: aws.String(at.Function),
			Qualifier:    optional(at.Qualifier),
			LogType:      types.LogTypeTail,
			Payload:      payload,
			TenantId:     r.tenantFor(tunedFunction),
		}, ownEventDecoder, stampLastAttempt(r.cfg.Clock, &sent))
		return err
	})
	if err != nil {
		return answer{}, s.stepError(call, throttled(err))
	}
	got, err := readStream(ctx, out.GetStream(), r.cfg.Clock, r.in.PostProcessorARN != "")
	if err != nil {
		return answer{}, s.stepError(call, err)
	}
	ans := answer{operation: "InvokeWithResponseStream", logResult: got.complete.LogResult, payload: got.body, responseBytes: got.bytes}
	if !got.firstByte.IsZero() {
		ans.firstByteMs = float64(got.firstByte.Sub(sent)) / float64(time.Millisecond)
	}
	if code, details := aws.ToString(got.complete.ErrorCode), aws.ToString(got.complete.ErrorDetails); code != "" || details != "" {
		ans.failure = &faults.FunctionError{Source: cmp.Or(at.Qualifier, at.Function), ErrorType: code, ErrorMessage: details,
			Payload: r.loggedPayload(payload)}
	}
	return ans, nil
}

func (s streamInvoker) stepError(call invocation, err error) error {
	return &faults.StepError{Operation: "InvokeWithResponseStream", Function: call.at.Function, Power: call.power,
		Err: fmt.Errorf("%s: %w", call.at.Label, err)}
}
