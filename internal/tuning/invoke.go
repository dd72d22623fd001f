package tuning

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// invoke runs one invocation on at: pre-processor, the size's alias or copy
// (buffered or streamed, as the run's invoker makes it), then the
// post-processor, and records the measurement.
func (pe *powerExec) invoke(ctx context.Context, at target.Invocable, payload []byte) error {
	payload, err := pe.r.preProcess(ctx, pe.Power, payload)
	if err != nil {
		return err
	}
	ans, err := pe.r.invoker.invoke(ctx, invocation{at: at, power: pe.Power, payload: payload})
	if err != nil {
		return err
	}
	return pe.handleAnswer(ctx, at, ans)
}

// preProcess hands the payload to the pre-processor, if any, and returns
// what the function is to be invoked with.
func (r *run) preProcess(ctx context.Context, power int32, payload []byte) ([]byte, error) {
	if r.in.PreProcessorARN != "" {
		out, err := r.invokeProcessor(ctx, "pre-processor", r.in.PreProcessorARN, payload, power)
		if err != nil {
			return nil, err
		}
		if hasContent(out) {
			payload = out
		}
	}
	return payload, nil
}

// bufferedInvoker makes buffered invocations (Invoke): Lambda answers once
// the function is done, with a response of at most 6 MB.
type bufferedInvoker struct{ r *run }

func (bufferedInvoker) mode() string { return spec.InvokeModeBuffered }

func (b bufferedInvoker) invoke(ctx context.Context, call invocation) (answer, error) {
	r, at, payload := b.r, call.at, call.payload
	var out *lambda.InvokeOutput
	err := r.fn.WhileBusy(ctx, func(ctx context.Context) error {
		var err error
		out, err = r.fn.Lambda().Invoke(ctx, &lambda.InvokeInput{
			FunctionName: aws.String(at.Function),
			Qualifier:    optional(at.Qualifier),
			LogType:      types.LogTypeTail,
			Payload:      payload,
			TenantId:     r.tenantFor(tunedFunction),
		})
		return err
	})
	if err != nil {
		return answer{}, &faults.StepError{Operation: "Invoke", Function: at.Function, Power: call.power, Err: fmt.Errorf("%s: %w", at.Label, throttled(err))}
	}
	ans := answer{operation: "Invoke", logResult: out.LogResult, payload: out.Payload, responseBytes: int64(len(out.Payload))}
	if out.FunctionError != nil {
		ans.failure = r.functionError(cmp.Or(at.Qualifier, at.Function), out.FunctionError, out.Payload, payload)
		ans.overBufferedLimit = ans.failure.ErrorType == errResponseTooLarge
	}
	return ans, nil
}

// handleAnswer records what an invocation answered: its measurement, or
// its function error as allowed_exceptions and skip_failed_power_values
// say; then the post-processor gets the response.
func (pe *powerExec) handleAnswer(ctx context.Context, at target.Invocable, ans answer) error {
	r := pe.r
	m, parseErr := parseLogResult(ans.logResult)
	m.TimeToFirstByteMs, m.ResponseBytes = ans.firstByteMs, ans.responseBytes

	if fe := ans.failure; fe != nil {
		switch {
		case slices.Contains(r.in.AllowedExceptions, fe.ErrorType):
			pe.record(m, parseErr == nil, true)
		case ans.overBufferedLimit:
			return responseTooLarge(at, pe.Power, fe)
		case r.in.SkipFailedPowerValues:
			pe.fail(fe, m, parseErr == nil)
			return nil
		default:
			return &faults.StepError{Operation: ans.operation, Function: at.Function, Power: pe.Power, Err: fe}
		}
	} else {
		if aws.ToString(ans.logResult) == "" && r.in.DryRun {
			// A dry run checks permissions and wiring; it measures nothing,
			// so an endpoint without log tails (moto_server) is enough.
			pe.record(m, false, false)
			return r.postProcess(ctx, pe, ans.payload)
		}
		if parseErr != nil {
			return &faults.StepError{Operation: ans.operation, Function: at.Function, Power: pe.Power, Err: fmt.Errorf("%s: %w", at.Label, parseErr)}
		}
		if m.MemorySizeMB != 0 && m.MemorySizeMB != pe.Power {
			return &faults.StepError{Operation: ans.operation, Function: at.Function, Power: pe.Power,
				Err: fmt.Errorf("%s ran with %d MB instead of %d MB", at.Label, m.MemorySizeMB, pe.Power)}
		}
		pe.record(m, true, false)
	}
	return r.postProcess(ctx, pe, ans.payload)
}

// throttled names the limit a throttled invocation hit, from Lambda's
// reason; other errors are returned as they are.
func throttled(err error) error {
	var tm *types.TooManyRequestsException
	if !errors.As(err, &tm) {
		return err
	}
	return &faults.ThrottledError{Reason: string(tm.Reason), Err: err}
}

// postProcess hands an invocation's output to the post-processor, if any.
func (r *run) postProcess(ctx context.Context, pe *powerExec, output []byte) error {
	if r.in.PostProcessorARN == "" {
		return nil
	}
	if len(output) > invokeRequestLimit {
		return &faults.StepError{Operation: "Invoke", Function: r.in.PostProcessorARN, Power: pe.Power,
			Err: fmt.Errorf("post-processor: the response, %d bytes, is larger than the %d bytes an invocation request may carry, "+
				"so the post-processor cannot be handed it; remove post_processor_arn, or tune with a payload that makes a smaller response",
				len(output), invokeRequestLimit)}
	}
	_, err := r.invokeProcessor(ctx, "post-processor", r.in.PostProcessorARN, output, pe.Power)
	return err
}

// parseLogResult decodes the base64 log tail and reads its REPORT.
func parseLogResult(logResult *string) (analysis.Measurement, error) {
	if aws.ToString(logResult) == "" {
		return analysis.Measurement{}, fmt.Errorf("%w: the endpoint returned no LogResult (the log tail asked for with LogType=Tail), "+
			"which carries the REPORT line a measurement needs; endpoints such as moto_server send none, so only dry_run = true works against them",
			analysis.ErrNoReport)
	}
	tail, err := base64.StdEncoding.DecodeString(*logResult)
	if err != nil {
		return analysis.Measurement{}, fmt.Errorf("decoding the log tail: %w", err)
	}
	return analysis.ParseLogTail(string(tail))
}

// processorClient is the Lambda client of a processor's Region.
func (r *run) processorClient(arn string) awsapi.LambdaAPI {
	region, _, isARN := spec.ParseFunctionARN(arn)
	if !isARN || region == "" {
		region = r.fn.Region()
	}
	return r.cfg.Clients.Lambda(region)
}

// invokeProcessor invokes a pre- or post-processor (in its own region) with
// payload and returns its output. Any failure fails the run.
func (r *run) invokeProcessor(ctx context.Context, role, arn string, payload []byte, power int32) ([]byte, error) {
	out, err := r.processorClient(arn).Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(arn), Payload: payload, TenantId: r.tenantFor(arn)})
	if err != nil {
		return nil, &faults.StepError{Operation: "Invoke", Function: arn, Power: power, Err: fmt.Errorf("%s: %w", role, err)}
	}
	if out.FunctionError != nil {
		return nil, &faults.StepError{Operation: "Invoke", Function: arn, Power: power,
			Err: r.functionError(role, out.FunctionError, out.Payload, payload)}
	}
	return out.Payload, nil
}

// functionError describes a function error from the Invoke answer. The
// request payload is included unless disable_payload_logs is set.
func (r *run) functionError(source string, header *string, body, request []byte) *faults.FunctionError {
	var doc struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
		StackTrace   []any  `json:"stackTrace"`
	}
	fe := &faults.FunctionError{Source: source}
	if err := json.Unmarshal(body, &doc); err == nil {
		fe.ErrorType, fe.ErrorMessage = doc.ErrorType, doc.ErrorMessage
		for _, frame := range doc.StackTrace {
			fe.StackTrace = append(fe.StackTrace, fmt.Sprint(frame))
		}
	} else {
		fe.ErrorMessage = truncate(string(body), 1024)
	}
	// The X-Amz-Function-Error header says "Handled" or "Unhandled": a
	// header value, never an error type a user could list.
	fe.Header = aws.ToString(header)
	fe.Payload = r.loggedPayload(request)
	return fe
}

// loggedPayload is the request body as errors may show it: "" when
// disable_payload_logs is set or the payload is write-only.
func (r *run) loggedPayload(request []byte) string {
	if r.in.PayloadHidden() {
		return ""
	}
	return truncate(string(request), 4096)
}

// hasContent says whether a processor's output should replace the payload:
// like the original tool, an empty or null answer keeps it.
func hasContent(out []byte) bool {
	out = bytes.TrimSpace(out)
	return len(out) > 0 && !bytes.Equal(out, []byte("null")) && !bytes.Equal(out, []byte(`""`))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// optional is nil for "", so that a field is left out.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
