package lambdasim

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

func TestTenantIDIsRequiredExactlyWithIsolation(t *testing.T) {
	_, c := startWith(t, Options{}, FunctionSpec{Name: "isolated", TenantIsolationMode: "PER_TENANT"}, FunctionSpec{Name: "shared"})
	const (
		missing    = "TenantId is required: the function has tenant isolation mode PER_TENANT."
		notAllowed = "TenantId is not supported: the function does not have tenant isolation mode enabled."
	)
	tests := []struct {
		name, function string
		tenant         *string
		invType        string
		message        string // "" for success
	}{
		{"isolated-without", "isolated", nil, "", missing},
		{"isolated-dry-run-without", "isolated", nil, "DryRun", missing},
		{"isolated-event-without", "isolated", nil, "Event", missing},
		{"isolated-with", "isolated", aws.String("blue"), "", ""},
		{"isolated-event-with", "isolated", aws.String("blue"), "Event", ""},
		{"shared-with", "shared", aws.String("blue"), "", notAllowed},
		{"shared-without", "shared", nil, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := &lambda.InvokeInput{FunctionName: aws.String(tc.function), TenantId: tc.tenant, InvocationType: typesInvocation(tc.invType)}
			_, err := c.Invoke(ctx(t), in)
			if tc.message == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, http.StatusBadRequest, "InvalidParameterValueException", tc.message)
			if !strings.Contains(tc.message, "TenantId") {
				t.Error("the message does not name TenantId")
			}
		})
	}
	// InvokeWithResponseStream checks it the same way.
	_, err := c.InvokeWithResponseStream(ctx(t), &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("isolated")})
	wantAPIError(t, err, http.StatusBadRequest, "InvalidParameterValueException", missing)
	_, err = c.InvokeWithResponseStream(ctx(t), &lambda.InvokeWithResponseStreamInput{FunctionName: aws.String("shared"), TenantId: aws.String("blue")})
	wantAPIError(t, err, http.StatusBadRequest, "InvalidParameterValueException", notAllowed)
	// An empty TenantId is no TenantId.
	_, err = c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("isolated"), TenantId: aws.String("")})
	wantAPIError(t, err, http.StatusBadRequest, "ValidationException",
		"1 validation error detected: Value '' at 'tenantId' failed to satisfy constraint: Member must have length greater than or equal to 1")
}

// TestEachTenantHasItsOwnEnvironments: a tenant's first invocation is
// cold, whoever else warmed the function, and versions keep their own pools
// per tenant too.
func TestEachTenantHasItsOwnEnvironments(t *testing.T) {
	s, c := startWith(t, Options{Seed: 3}, FunctionSpec{Name: "isolated", TenantIsolationMode: "PER_TENANT", Environment: map[string]string{"SIM_CPU_MS": "50"}})
	invoke := func(tenant, qualifier string) bool {
		t.Helper()
		in := &lambda.InvokeInput{FunctionName: aws.String("isolated"), TenantId: aws.String(tenant), LogType: "Tail"}
		if qualifier != "" {
			in.Qualifier = aws.String(qualifier)
		}
		out, err := c.Invoke(ctx(t), in)
		if err != nil {
			t.Fatal(err)
		}
		return parseReport(t, reportLine(t, decodeTail(t, out.LogResult))).hasInit
	}
	steps := []struct {
		tenant, qualifier string
		cold              bool
	}{
		{"blue", "", true},
		{"blue", "", false},
		{"green", "", true},
		{"blue", "", false},
		{"green", "", false},
		{"red", "", true},
		{"blue", "1", true}, // version 1 is a new version: blue's environment there is new too
		{"blue", "1", false},
		{"green", "1", true},
	}
	publish(t, c, "isolated", "")
	colds := 0
	for i, st := range steps {
		if got := invoke(st.tenant, st.qualifier); got != st.cold {
			t.Errorf("step %d (%s on %q): cold = %v, want %v", i, st.tenant, st.qualifier, got, st.cold)
		}
		if st.cold {
			colds++
		}
	}
	if got := s.Stats().ColdStarts; got != colds {
		t.Errorf("Stats.ColdStarts = %d, want %d", got, colds)
	}
}

func TestDurableInvocations(t *testing.T) {
	s, c := startWith(t, Options{}, FunctionSpec{Name: "durable", Durable: &DurableSpec{ExecutionTimeout: 3600}}, FunctionSpec{Name: "plain"})
	arnShape := regexp.MustCompile(`^arn:aws:lambda:us-east-1:123456789012:function:durable:(\$LATEST|[0-9]+)/durable-execution/([a-zA-Z0-9_-]+)/([a-zA-Z0-9_-]+)$`)
	invoke := func(name, qualifier, execName, payload string) (*lambda.InvokeOutput, error) {
		in := &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(payload), LogType: "Tail"}
		if qualifier != "" {
			in.Qualifier = aws.String(qualifier)
		}
		if execName != "" {
			in.DurableExecutionName = aws.String(execName)
		}
		return c.Invoke(ctx(t), in)
	}

	out, err := invoke("durable", "", "", `{"order":1}`)
	if err != nil {
		t.Fatal(err)
	}
	m := arnShape.FindStringSubmatch(aws.ToString(out.DurableExecutionArn))
	if m == nil || m[1] != "$LATEST" {
		t.Fatalf("DurableExecutionArn = %q", aws.ToString(out.DurableExecutionArn))
	}
	first := aws.ToString(out.DurableExecutionArn)
	parseReport(t, reportLine(t, decodeTail(t, out.LogResult)))

	// Named executions: the name is in the ARN; the same name with the same
	// payload is the same execution, with another payload a conflict.
	out, err = invoke("durable", "", "order-42", `{"order":42}`)
	if err != nil {
		t.Fatal(err)
	}
	named := aws.ToString(out.DurableExecutionArn)
	if m := arnShape.FindStringSubmatch(named); m == nil || m[2] != "order-42" || named == first {
		t.Errorf("named DurableExecutionArn = %q", named)
	}
	out, err = invoke("durable", "", "order-42", `{"order":42}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.DurableExecutionArn); got != named {
		t.Errorf("the same name and payload started %q, want the existing %q", got, named)
	}
	_, err = invoke("durable", "", "order-42", `{"order":43}`)
	wantAPIError(t, err, http.StatusConflict, "DurableExecutionAlreadyStartedException",
		"A durable execution named order-42 has already been started with a different payload: "+named)
	_, err = invoke("durable", "", "not a name", `{}`)
	wantAPIError(t, err, http.StatusBadRequest, "ValidationException",
		"1 validation error detected: Value 'not a name' at 'durableExecutionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+")

	// The ARN names the version that ran.
	publish(t, c, "durable", "")
	out, err = invoke("durable", "1", "", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if m := arnShape.FindStringSubmatch(aws.ToString(out.DurableExecutionArn)); m == nil || m[1] != "1" {
		t.Errorf("DurableExecutionArn of version 1 = %q", aws.ToString(out.DurableExecutionArn))
	}

	// An asynchronous invocation starts one too; a DryRun none.
	ev, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("durable"), InvocationType: "Event", DurableExecutionName: aws.String("async-1")})
	if err != nil {
		t.Fatal(err)
	}
	if m := arnShape.FindStringSubmatch(aws.ToString(ev.DurableExecutionArn)); ev.StatusCode != 202 || m == nil || m[2] != "async-1" {
		t.Errorf("Event: status %d, DurableExecutionArn %q", ev.StatusCode, aws.ToString(ev.DurableExecutionArn))
	}
	dry, err := c.Invoke(ctx(t), &lambda.InvokeInput{FunctionName: aws.String("durable"), InvocationType: "DryRun"})
	if err != nil {
		t.Fatal(err)
	}
	if dry.DurableExecutionArn != nil {
		t.Errorf("DryRun: DurableExecutionArn %q", aws.ToString(dry.DurableExecutionArn))
	}

	// A function that is not durable starts no execution.
	out, err = invoke("plain", "", "", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if out.DurableExecutionArn != nil {
		t.Errorf("a plain function answered DurableExecutionArn %q", aws.ToString(out.DurableExecutionArn))
	}
	// Each invocation is billed on its own: 5 durable ones ran (one
	// asynchronously), 1 plain.
	if got := s.Stats().Invocations; got != 6 {
		t.Errorf("Stats.Invocations = %d, want 6", got)
	}
}
