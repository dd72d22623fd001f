package tuning

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// invokeProcessor invokes a pre- or post-processor (in its own region) with
// payload and returns its output. Any failure fails the run.
func (r *run) invokeProcessor(ctx context.Context, role, arn string, payload []byte, power int32) ([]byte, error) {
	region, _, isARN := ParseFunctionARN(arn)
	if !isARN || region == "" {
		region = r.region
	}
	out, err := r.e.cfg.Clients.Lambda(region).Invoke(ctx, &lambda.InvokeInput{
		FunctionName: aws.String(arn),
		Payload:      payload,
	})
	if err != nil {
		return nil, &StepError{Operation: "Invoke", Function: arn, Power: power, Err: fmt.Errorf("%s: %w", role, err)}
	}
	if out.FunctionError != nil {
		return nil, &StepError{Operation: "Invoke", Function: arn, Power: power,
			Err: r.functionError(role, out.FunctionError, out.Payload, payload)}
	}
	return out.Payload, nil
}

// functionError describes a function error from the Invoke answer. The
// request payload is included unless disable_payload_logs is set.
func (r *run) functionError(source string, header *string, body, request []byte) *FunctionError {
	var doc struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
		StackTrace   []any  `json:"stackTrace"`
	}
	fe := &FunctionError{Source: source}
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
	if !r.in.DisablePayloadLogs {
		fe.Payload = truncate(string(request), 4096)
	}
	return fe
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
