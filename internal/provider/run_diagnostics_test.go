package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

const testFunction = "arn:aws:lambda:us-east-1:123456789012:function:f"

func TestRunErrorDiagnostics(t *testing.T) {
	accessDenied := &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized to perform lambda:UpdateFunctionConfiguration"}
	throttled := &smithy.GenericAPIError{Code: "TooManyRequestsException", Message: "Rate Exceeded."}
	cleanup := &faults.CleanupError{
		Function: testFunction, RemainingAliases: []string{"RAM512"}, RemainingVersions: []string{"7"},
		LatestMemory: 512, OriginalMemory: 128, Err: errors.New("DeleteAlias: connection reset"),
	}
	tests := []struct {
		name      string
		err       error
		summaries []string
		details   []string // substrings of the first diagnostic's detail, in order
	}{
		{
			name:      "denied AWS call",
			err:       &faults.StepError{Operation: "UpdateFunctionConfiguration", Function: testFunction, Power: 512, Err: accessDenied},
			summaries: []string{"AWS Call Failed During Tuning"},
			details: []string{"Allow lambda:UpdateFunctionConfiguration", nothingChanged,
				"AWS call: UpdateFunctionConfiguration\nFunction: " + testFunction + "\nPower value: 512 MB",
				"Original error: " + accessDenied.Error()},
		},
		{
			name:      "throttled invocations",
			err:       &faults.StepError{Operation: "Invoke", Function: testFunction, Power: 1024, Err: throttled},
			summaries: []string{"AWS Call Failed During Tuning"},
			details:   []string{"max_concurrency", "Power value: 1024 MB", "Original error:"},
		},
		{
			name: "invocations throttled by the account's concurrency limit",
			err: &faults.StepError{Operation: "Invoke", Function: testFunction, Power: 1024,
				Err: fmt.Errorf("alias RAM1024: %w", &faults.ThrottledError{Reason: "ConcurrentInvocationLimitExceeded", Err: throttled})},
			summaries: []string{"Invocations Throttled During Tuning"},
			details: []string{"they hit the account's concurrency limit", "(ConcurrentInvocationLimitExceeded)", "Lower max_concurrency",
				"max_concurrent_invocations", "higher account concurrency limit", "Power value: 1024 MB", "Original error:"},
		},
		{
			name: "invocations throttled by a rate limit",
			err: &faults.StepError{Operation: "Invoke", Function: testFunction, Power: 1024,
				Err: &faults.ThrottledError{Reason: "FunctionInvocationRateLimitExceeded", Err: throttled}},
			summaries: []string{"Invocations Throttled During Tuning"},
			details:   []string{"they hit an invocation rate limit", "fewer invocations in flight", "parallel_invocation = false", "Original error:"},
		},
		{
			name: "function error",
			err: &faults.StepError{Operation: "Invoke", Function: testFunction, Power: 256,
				Err: &faults.FunctionError{Source: "RAM256", ErrorType: "HandledError", ErrorMessage: "boom"}},
			summaries: []string{"Tuned Function Returned An Error"},
			details:   []string{`list "HandledError" in allowed_exceptions`, "skip_failed_power_values", "Power value: 256 MB", "Original error:"},
		},
		{
			name: "processor error",
			err: &faults.StepError{Operation: "Invoke", Function: testFunction, Power: 256,
				Err: &faults.FunctionError{Source: "pre-processor", ErrorType: "Boom"}},
			summaries: []string{"Processor Function Failed"},
			details:   []string{"pre- or post-processor failed with Boom", "Original error:"},
		},
		{
			name:      "missing payload object",
			err:       &faults.StepError{Operation: "GetObject", Function: testFunction, Err: fmt.Errorf("%w: s3://b/k", faults.ErrPayloadNotFound)},
			summaries: []string{"AWS Call Failed During Tuning"},
			details:   []string{"payload_s3 object does not exist", "AWS call: GetObject", "Original error:"},
		},
		{
			name:      "timeout",
			err:       &faults.StepError{Operation: "Invoke", Function: testFunction, Power: 128, Err: context.DeadlineExceeded},
			summaries: []string{"Tuning Run Timed Out"},
			details:   []string{"create timeout (45m)", "timeouts { create", nothingChanged, "Power value: 128 MB", "Original error:"},
		},
		{
			name: "another run in progress",
			err: &faults.RunInProgressError{Function: testFunction, RunID: "feedbeef", Owner: "ci-7 pid 99 (provider 1.0.0)",
				Started: time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC), Err: context.DeadlineExceeded},
			summaries: []string{"Another Tuning Run In Progress"},
			details:   []string{"run feedbeef, started 2026-12-01T21:00:00Z by ci-7 pid 99 (provider 1.0.0)", nothingChanged, "Original error:"},
		},
		{
			name:      "unreleased code",
			err:       &faults.UnreleasedCodeError{Alias: "prod", Version: "3", Differences: []string{"CodeSha256", "Environment"}},
			summaries: []string{"Alias Would Get Unreleased Code"},
			details:   []string{"alias prod serves version 3", "CodeSha256, Environment", "auto_optimize_allow_unreleased = true", "Alias: prod"},
		},
		{
			name:      "interrupted",
			err:       context.Canceled,
			summaries: []string{"Tuning Run Interrupted"},
			details:   []string{"cancelled", "Function: " + testFunction, "Original error: context canceled"},
		},
		{
			name:      "nothing to choose from",
			err:       fmt.Errorf("%w: 128 MB: out of memory", faults.ErrNoSuccessfulPowerValue),
			summaries: []string{"No Power Value Succeeded"},
			details:   []string{"allowed_exceptions", "Original error:"},
		},
		{
			name: "run and clean-up both failed",
			err: errors.Join(
				&faults.StepError{Operation: "Invoke", Function: testFunction, Power: 512, Err: throttled},
				cleanup),
			summaries: []string{"AWS Call Failed During Tuning", "Tuning Run Left Changes Behind"},
			details:   []string{"see the next error", "Power value: 512 MB"},
		},
		{
			name:      "clean-up alone failed",
			err:       cleanup,
			summaries: []string{"Tuning Run Left Changes Behind"},
			details: []string{
				"aws lambda delete-alias --function-name " + testFunction + " --name RAM512",
				"aws lambda delete-function --function-name " + testFunction + " --qualifier 7",
				"--memory-size 128", "Aliases left: RAM512", "Versions left: 7", "$LATEST memory: 512 MB (should be 128 MB)",
				"Original error: DeleteAlias: connection reset",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := runErrorDiagnostics(tt.err, testFunction, 45*time.Minute)
			if got := summaries(diags); strings.Join(got, "|") != strings.Join(tt.summaries, "|") {
				t.Fatalf("summaries = %q, want %q", got, tt.summaries)
			}
			assertInOrder(t, diags[0].Detail(), tt.details)
			for _, d := range diags {
				if d.Severity() != diag.SeverityError {
					t.Errorf("%q is not an error", d.Summary())
				}
				if i := strings.LastIndex(d.Detail(), "Original error:"); i >= 0 && strings.Contains(d.Detail()[i:], "\n\n") {
					t.Errorf("%q: Original error is not the last paragraph:\n%s", d.Summary(), d.Detail())
				}
			}
		})
	}
}

func TestReportReadDiagnostics(t *testing.T) {
	tests := []struct {
		err     error
		summary string
		advice  string
	}{
		{fmt.Errorf("%w: NoSuchKey", report.ErrReportNotFound), "Report Not Found", "has been applied"},
		{fmt.Errorf("%w: AccessDenied", report.ErrReportAccessDenied), "Report Access Denied", "s3:GetObject on arn:aws:s3:::bucket/run.json"},
		{fmt.Errorf("%w: no kind", report.ErrNotAReport), "Object Is Not A Tuning Report", report.Kind},
		{errors.New("connection refused"), "Cannot Read Report", "could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.summary, func(t *testing.T) {
			diags := reportReadDiagnostics(tt.err, "s3://bucket/run.json", "aws", path.Root("s3_uri"))
			if len(diags) != 1 || diags[0].Summary() != tt.summary {
				t.Fatalf("summaries = %q, want [%q]", summaries(diags), tt.summary)
			}
			assertInOrder(t, diags[0].Detail(), []string{tt.advice, "S3 URI: s3://bucket/run.json", "Original error: " + tt.err.Error()})
		})
	}
}

func TestReportWriteDiagnostics(t *testing.T) {
	err := fmt.Errorf("%w: AccessDenied", report.ErrReportAccessDenied)
	// IAM advice names the bucket in the provider's partition.
	for partition, arn := range map[string]string{"aws": "arn:aws:s3:::bucket/run.json", "aws-eusc": "arn:aws-eusc:s3:::bucket/run.json"} {
		diags := reportWriteDiagnostics(err, "s3://bucket/run.json", partition)
		if len(diags) != 1 || diags[0].Summary() != "Report Not Stored" {
			t.Fatalf("summaries = %q, want [Report Not Stored]", summaries(diags))
		}
		assertInOrder(t, diags[0].Detail(), []string{"run succeeded", "s3:PutObject on " + arn, "tainted", "Original error:"})
	}
}

func summaries(diags diag.Diagnostics) []string {
	out := make([]string, len(diags))
	for i, d := range diags {
		out[i] = d.Summary()
	}
	return out
}

// assertInOrder checks that text contains each part, one after the other.
func assertInOrder(t *testing.T, text string, parts []string) {
	t.Helper()
	rest := text
	for _, part := range parts {
		i := strings.Index(rest, part)
		if i < 0 {
			t.Errorf("missing (or out of order) %q in:\n%s", part, text)
			return
		}
		rest = rest[i+len(part):]
	}
}

// Each warning of the engine gets a summary that says what it is about.
func TestRunWarnings(t *testing.T) {
	tests := []struct{ warning, summary string }{
		{"Someone else changed $LATEST of " + testFunction + " during the tuning run: MemorySize to 2048 MB (kept; the run had set 512 MB).",
			"Function Changed By Someone Else During Tuning"},
		{"Recovered what interrupted tuning runs left of copies of " + testFunction + ": deleted log group /aws/lambda/awspt-f-1 (1 of copies already gone).",
			"Interrupted Tuning Run Recovered"},
		{"The copies of " + testFunction + " were deleted, but CloudWatch Logs DeleteLogGroup was denied for their log groups, which remain: /aws/lambda/awspt-f-1.",
			"Tuning Run Left Something Behind"},
		{"tenant_id is ignored: " + testFunction + " has no tenant isolation, and Lambda refuses a TenantId for such a function.",
			"Tenant ID Ignored"},
		{"The copies of " + testFunction + " lack its tags k46, k47: Lambda allows a function 50 tags.", "Copies Lack Some Tags"},
	}
	for _, tt := range tests {
		diags := runWarnings([]string{tt.warning}, testFunction)
		if len(diags) != 1 || diags[0].Summary() != tt.summary || diags[0].Severity() != diag.SeverityWarning {
			t.Errorf("%q: diagnostics %q, want one warning %q", tt.warning, summaries(diags), tt.summary)
			continue
		}
		assertInOrder(t, diags[0].Detail(), []string{tt.warning, "Function: " + testFunction})
	}
}

// A function refused for its kind or place is told on the attribute that
// fixes it, saying nothing was changed.
func TestKindDiagnostics(t *testing.T) {
	tests := []struct {
		err       error
		summary   string
		attribute string
		says      string
	}{
		{&spec.InputError{Attribute: spec.AttrTenantID, Err: &faults.TenantRequiredError{Function: testFunction, Mode: "PER_TENANT"}},
			"Tenant ID Required", spec.AttrTenantID, "Set tenant_id"},
		{&faults.ManagedInstancesError{Function: testFunction, CapacityProvider: "arn:aws:lambda:us-east-1:123456789012:capacity-provider:cp"},
			"Function Runs On Lambda Managed Instances", spec.AttrLambdaARN, "Lambda Managed Instances"},
		{&faults.UnpricedRegionError{Region: "us-gov-west-1", Architecture: "arm64"}, "No Lambda Price For Region", "", "lambda_prices"},
		{&faults.CapacityProviderNotActiveError{CapacityProvider: "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet", State: "Pending"},
			"Capacity Provider Not Active", "managed_instances.capacity_provider_arn", "once it is Active"},
		{&faults.LatencyGoalError{GoalMs: 100, BestP99Ms: 212, Best: analysis.ManagedSetting{Power: 4096, MemoryPerVCPU: 2, Concurrency: 8}},
			"No Setting Met The Latency Goal", "managed_instances.latency_p99_ms", "the best p99 was 212 ms, at 4096 MB"},
	}
	for _, tt := range tests {
		d, ok := kindDiagnostic(tt.err, testFunction)
		if !ok || d.Summary() != tt.summary {
			t.Errorf("%v: diagnostic %v, want %q", tt.err, d, tt.summary)
			continue
		}
		if at := attributeOf(d); at != tt.attribute {
			t.Errorf("%s is on %q, want %q", tt.summary, at, tt.attribute)
		}
		assertInOrder(t, d.Detail(), []string{"nothing was", tt.says}) // changed, or created or changed
	}
	if _, ok := kindDiagnostic(errors.New("other"), testFunction); ok {
		t.Error("an unrelated error is taken for a kind of function")
	}
}
