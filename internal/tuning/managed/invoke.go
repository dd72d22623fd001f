package managed

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
)

// once sends an invocation a single time: a throttle is a measurement
// (every environment was full), not something to retry.
func singleAttempt(o *lambda.Options) { o.Retryer = retry.AddWithMaxAttempts(o.Retryer, 1) }

// invoker invokes version of the copy name, as a load's callers do.
func (t *Tuner) invoker(name, version string, power int32) invokeFunc {
	lam := t.env.Fn.Lambda()
	return func(ctx context.Context, i int) (answer, error) {
		out, err := lam.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String(version),
			LogType: types.LogTypeTail, Payload: t.payload(i), TenantId: t.tenant}, singleAttempt)
		var tooMany *types.TooManyRequestsException
		switch {
		case errors.As(err, &tooMany):
			return answer{outcome: throttled}, nil
		case serverError(err):
			// Lambda failed this request, not the run: it counts as failed.
			return answer{outcome: functionError}, nil
		case err != nil:
			if ctxErr := ctx.Err(); ctxErr != nil {
				return answer{}, ctxErr
			}
			return answer{}, &faults.StepError{Operation: "Invoke", Function: name, Power: power, Err: fmt.Errorf("version %s under load: %w", version, err)}
		}
		a := answer{outcome: succeeded, durationMs: reportedDuration(out.LogResult)}
		if out.FunctionError != nil {
			a.outcome, a.failure = functionError, functionFailure(aws.ToString(out.FunctionError), out.Payload)
		}
		return a, nil
	}
}

// functionFailure is a function error as a person reads it: its type and
// message from the response, else Lambda's FunctionError.
func functionFailure(kind string, payload []byte) string {
	var body struct {
		Type    string `json:"errorType"`
		Message string `json:"errorMessage"`
	}
	if json.Unmarshal(payload, &body) != nil || body.Type == "" {
		return kind
	}
	return strings.TrimSuffix(body.Type+": "+body.Message, ": ")
}

// serverError says whether Lambda answered with a 5xx status.
func serverError(err error) bool {
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() >= http.StatusInternalServerError
}

// reportedDuration is the Duration of the REPORT line in a log tail; 0
// when there is none (the caller's own wait then stands in).
func reportedDuration(logResult *string) float64 {
	tail, err := base64.StdEncoding.DecodeString(aws.ToString(logResult))
	if err != nil {
		return 0
	}
	m, err := analysis.ParseLogTail(string(tail))
	if err != nil {
		return 0
	}
	return m.DurationMs
}
