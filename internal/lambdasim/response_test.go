package lambdasim

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// TestBufferedResponseLimit: a buffered Invoke may return up to 6291556
// bytes; beyond that AWS answers 200 with X-Amz-Function-Error: Unhandled
// and a Function.ResponseSizeTooLarge document, and the REPORT line is
// written all the same.
func TestBufferedResponseLimit(t *testing.T) {
	const tooLarge = `{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}`
	tests := []struct {
		size    int64
		failure bool
	}{
		{0, false},
		{1, false},
		{100, false},
		{maxSyncResponse, false},
		{maxSyncResponse + 1, true},
		{8 << 20, true},
	}
	var specs []FunctionSpec
	for _, tc := range tests {
		specs = append(specs, FunctionSpec{Name: "bytes-" + strconv.FormatInt(tc.size, 10), MemorySize: 1024,
			Environment: map[string]string{"SIM_RESPONSE_BYTES": strconv.FormatInt(tc.size, 10), "SIM_CPU_MS": "20"}})
	}
	s, c := startWith(t, Options{}, specs...)
	for _, tc := range tests {
		t.Run(strconv.FormatInt(tc.size, 10), func(t *testing.T) {
			out, log := invokeTail(t, c, "bytes-"+strconv.FormatInt(tc.size, 10), "", `{}`)
			rep := parseReport(t, reportLine(t, log))
			if out.StatusCode != 200 || rep.memory != 1024 || rep.status != "" {
				t.Errorf("status %d, REPORT %+v", out.StatusCode, rep)
			}
			if tc.failure {
				if aws.ToString(out.FunctionError) != "Unhandled" || string(out.Payload) != tooLarge {
					t.Errorf("FunctionError %q, payload %.200s", aws.ToString(out.FunctionError), out.Payload)
				}
				return
			}
			if out.FunctionError != nil || int64(len(out.Payload)) != tc.size {
				t.Errorf("FunctionError %q, %d bytes, want %d", aws.ToString(out.FunctionError), len(out.Payload), tc.size)
			}
			if tc.size > 0 && !json.Valid(out.Payload) {
				t.Errorf("the response is not JSON: %.100s", out.Payload)
			}
		})
	}
	if got := s.Stats().Invocations; got != len(tests) {
		t.Errorf("Stats.Invocations = %d, want %d: a response too large is still an invocation", got, len(tests))
	}

	// The payload echoed back is never too large: requests are smaller.
	_, c2 := startWith(t, Options{}, FunctionSpec{Name: "echo"})
	payload := make([]byte, 0, maxSyncPayload)
	payload = append(payload, '"')
	for len(payload) < maxSyncPayload-1 {
		payload = append(payload, 'y')
	}
	payload = append(payload, '"')
	out, err := c2.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("echo"), Payload: payload})
	if err != nil {
		t.Fatalf("echoing a %d-byte payload: %v", len(payload), err)
	}
	if out.FunctionError != nil || len(out.Payload) != maxSyncPayload {
		t.Errorf("echoing a %d-byte payload: FunctionError %q, %d bytes", len(payload), aws.ToString(out.FunctionError), len(out.Payload))
	}
}
