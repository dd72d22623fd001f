package tuning

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// invoke runs invocation i: pre-processor, the function's alias, then the
// post-processor, and records the measurement.
func (pe *powerExec) invoke(ctx context.Context, i int, payload []byte) error {
	r := pe.r
	alias := pe.aliases[pe.variantOf(i)]
	function, qualifier, what := r.arn, aws.String(alias), "alias "+alias
	if r.usesCopies() {
		function, qualifier, what = alias, nil, "copy of "+r.arn // the copy's $LATEST
	}
	if r.in.PreProcessorARN != "" {
		out, err := r.invokeProcessor(ctx, "pre-processor", r.in.PreProcessorARN, payload, pe.power)
		if err != nil {
			return err
		}
		if hasContent(out) {
			payload = out
		}
	}

	var out *lambda.InvokeOutput
	err := r.whileBusy(ctx, func(ctx context.Context) error {
		var err error
		out, err = r.lam.Invoke(ctx, &lambda.InvokeInput{
			FunctionName: aws.String(function),
			Qualifier:    qualifier,
			LogType:      types.LogTypeTail,
			Payload:      payload,
		})
		return err
	})
	if err != nil {
		return &StepError{Operation: "Invoke", Function: function, Power: pe.power, Err: fmt.Errorf("%s: %w", what, err)}
	}
	m, parseErr := parseLogResult(out.LogResult)

	if out.FunctionError != nil {
		fe := r.functionError(alias, out.FunctionError, out.Payload, payload)
		switch {
		case slices.Contains(r.in.AllowedExceptions, fe.ErrorType):
			pe.record(m, parseErr == nil, true)
		case r.in.SkipFailedPowerValues:
			pe.fail(fe, m, parseErr == nil)
			return nil
		default:
			return &StepError{Operation: "Invoke", Function: function, Power: pe.power, Err: fe}
		}
	} else {
		if aws.ToString(out.LogResult) == "" && r.in.DryRun {
			// A dry run checks permissions and wiring; it measures nothing,
			// so an endpoint without log tails (moto_server) is enough.
			pe.record(m, false, false)
			return r.postProcess(ctx, pe, out.Payload)
		}
		if parseErr != nil {
			return &StepError{Operation: "Invoke", Function: function, Power: pe.power, Err: fmt.Errorf("%s: %w", what, parseErr)}
		}
		if m.MemorySizeMB != 0 && m.MemorySizeMB != pe.power {
			return &StepError{Operation: "Invoke", Function: function, Power: pe.power,
				Err: fmt.Errorf("%s ran with %d MB instead of %d MB", what, m.MemorySizeMB, pe.power)}
		}
		pe.record(m, true, false)
	}

	return r.postProcess(ctx, pe, out.Payload)
}

// postProcess hands an invocation's output to the post-processor, if any.
func (r *run) postProcess(ctx context.Context, pe *powerExec, output []byte) error {
	if r.in.PostProcessorARN == "" {
		return nil
	}
	_, err := r.invokeProcessor(ctx, "post-processor", r.in.PostProcessorARN, output, pe.power)
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
