package spec_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

const validFunctionARN = "arn:aws:lambda:us-east-1:123456789012:function:my-fn"

func ptr[T any](v T) *T { return &v }

// inputErrors unpacks Validate's joined error into its *InputError values.
func inputErrors(t *testing.T, err error) []*spec.InputError {
	t.Helper()
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Validate error %T is not an errors.Join", err)
	}
	var out []*spec.InputError
	for _, e := range joined.Unwrap() {
		var ie *spec.InputError
		if !errors.As(e, &ie) {
			t.Fatalf("Validate error %v is not an *InputError", e)
		}
		out = append(out, ie)
	}
	return out
}

func TestValidate(t *testing.T) {
	const secret = "p4yl0ad-secret"
	tests := []struct {
		name   string
		modify func(in *spec.Input)
		want   []string // attribute names, one per error
		hint   string   // a word the first error's message must contain
	}{
		{name: "minimal input", modify: func(in *spec.Input) {}},
		{name: "a tenant, streamed, with placeholders", modify: func(in *spec.Input) {
			in.TenantID, in.InvokeMode, in.PayloadPlaceholders, in.Payload = "tenant-42/eu:blue", spec.InvokeModeStream, true, ptr(`{"id":"${index}"}`)
		}},
		{name: "tenant id too long", modify: func(in *spec.Input) { in.TenantID = strings.Repeat("t", spec.MaxTenantIDLength+1) },
			want: []string{"tenant_id"}, hint: "256"},
		{name: "tenant id of the longest length", modify: func(in *spec.Input) { in.TenantID = strings.Repeat("t", spec.MaxTenantIDLength) }},
		{name: "tenant id with a space", modify: func(in *spec.Input) { in.TenantID = "tenant 42" }},
		{name: "tenant id with a line break", modify: func(in *spec.Input) { in.TenantID = "tenant\n42" }, want: []string{"tenant_id"}, hint: "control characters"},
		{name: "unknown invoke mode", modify: func(in *spec.Input) { in.InvokeMode = "streaming" }, want: []string{"invoke_mode"}, hint: `"stream"`},
		{name: "placeholders without a payload", modify: func(in *spec.Input) { in.PayloadPlaceholders = true },
			want: []string{"payload_placeholders"}, hint: "no effect"},
		{name: "a write-only payload that is not JSON", modify: func(in *spec.Input) {
			in.Payload, in.PayloadWriteOnly, in.PayloadWriteOnlyVersion = ptr("{token"), true, 2
		}, want: []string{"payload_wo"}, hint: "JSON"},
		{name: "a write-only payload and payload_s3", modify: func(in *spec.Input) {
			in.Payload, in.PayloadWriteOnly, in.PayloadS3 = ptr(`{"token":"t"}`), true, "s3://bucket/payload.json"
		}, want: []string{"payload_s3"}, hint: "payload_wo"},
		{name: "payload_wo_version without payload_wo", modify: func(in *spec.Input) { in.PayloadWriteOnlyVersion = 1 },
			want: []string{"payload_wo_version"}, hint: "payload_wo"},
		{name: "placeholders with an S3 payload", modify: func(in *spec.Input) {
			in.PayloadPlaceholders, in.PayloadS3 = true, "s3://bucket/payload.json"
		}},
		{name: "copies of an alias", modify: func(in *spec.Input) {
			in.Isolation, in.LambdaARN = spec.IsolationCopies, validFunctionARN+":prod"
		}},
		{name: "copies of a partial ARN's version", modify: func(in *spec.Input) {
			in.Isolation, in.LambdaARN = spec.IsolationCopies, "123456789012:function:fn:3"
		}},
		{name: "copies on both architectures", modify: func(in *spec.Input) {
			in.Isolation, in.Architectures = spec.IsolationCopies, []string{"x86_64", "arm64"}
		}},
		{name: "architectures with adaptive sampling", modify: func(in *spec.Input) {
			in.Isolation, in.Architectures, in.Sampling = spec.IsolationCopies, []string{"x86_64", "arm64"}, spec.SamplingAdaptive
		}, want: []string{"architectures"}, hint: "adaptive"},
		{name: "architectures without copies", modify: func(in *spec.Input) { in.Architectures = []string{"arm64"} }, want: []string{"architectures"}, hint: `isolation = "copies"`},
		{name: "architectures unknown and repeated", modify: func(in *spec.Input) {
			in.Isolation, in.Architectures = spec.IsolationCopies, []string{"arm64", "riscv", "arm64"}
		}, want: []string{"architectures", "architectures"}, hint: "x86_64"},
		{name: "isolation unknown", modify: func(in *spec.Input) { in.Isolation = "sandbox" }, want: []string{"isolation"}, hint: `"copies"`},
		{name: "copies with only cold starts", modify: func(in *spec.Input) {
			in.Isolation, in.OnlyColdStarts = spec.IsolationCopies, true
		}, want: []string{"only_cold_starts"}, hint: "copies"},
		{name: "copies of an alias with auto_optimize", modify: func(in *spec.Input) {
			in.Isolation, in.LambdaARN, in.AutoOptimize = spec.IsolationCopies, validFunctionARN+":prod", true
		}, want: []string{"auto_optimize"}, hint: "qualifier"},
		{name: "every option set well", modify: func(in *spec.Input) {
			in.LambdaARN = "my_fn-2"
			in.Num = 50
			in.PowerValues = []int32{128, 10240, 1024}
			in.Payload = ptr(`[{"payload":{"a":1},"weight":3},{"payload":"{\"b\":2}","weight":1}]`)
			in.ParallelInvocation = true
			in.MaxConcurrency = 10
			in.Strategy = analysis.StrategyBalanced
			in.BalancedWeight = ptr(0.0)
			in.AutoOptimize = true
			in.AutoOptimizeAlias = "prod"
			in.PreProcessorARN = "arn:aws:lambda:eu-west-1:123456789012:function:pre:live"
			in.PostProcessorARN = "arn:aws:lambda:eu-west-1:123456789012:function:post"
			in.DiscardTopBottom = ptr(0.4)
			in.AllowedExceptions = []string{"HandledError"}
		}},
		{name: "China ARN", modify: func(in *spec.Input) { in.LambdaARN = "arn:aws-cn:lambda:cn-north-1:123456789012:function:fn" }},
		{name: "GovCloud ARN", modify: func(in *spec.Input) { in.LambdaARN = "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:fn" }},
		{name: "partial ARN", modify: func(in *spec.Input) { in.LambdaARN = "123456789012:function:fn" }},
		{name: "serial with a sleep", modify: func(in *spec.Input) { in.SleepBetweenRunsMs = 250 }},
		{name: "bounds of discard and weight", modify: func(in *spec.Input) {
			in.DiscardTopBottom = ptr(0.0)
			in.Strategy = analysis.StrategyBalanced
			in.BalancedWeight = ptr(1.0)
		}},
		{name: "power_values_all alone", modify: func(in *spec.Input) { in.PowerValuesAll = true }},
		{name: "dry run with num 1", modify: func(in *spec.Input) { in.DryRun = true; in.Num = 1 }},
		{name: "dry run lays out a weighted payload over num", modify: func(in *spec.Input) {
			in.DryRun = true
			in.Num = 2
			in.Payload = ptr(`[{"payload":1,"weight":1},{"payload":2,"weight":1}]`)
		}},
		{name: "payload from S3", modify: func(in *spec.Input) { in.PayloadS3 = "s3://my-bucket.data/path/to/payload.json" }},
		{name: "num at the maximum", modify: func(in *spec.Input) { in.Num = spec.MaxNum }},
		{name: "num beyond the maximum", modify: func(in *spec.Input) {
			in.Num = 300_000_000
			in.Payload = ptr(`[{"payload":1,"weight":1},{"payload":2,"weight":1}]`)
		}, want: []string{"num"}, hint: "at most 10000"},
		{name: "only cold starts beyond the version cap", modify: func(in *spec.Input) {
			in.OnlyColdStarts = true
			in.Num = 600
			in.PowerValues = []int32{128, 256}
		}, want: []string{"num"}, hint: "600 × 2"},
		{name: "auto_optimize in a dry run", modify: func(in *spec.Input) { in.DryRun = true; in.AutoOptimize = true },
			want: []string{"auto_optimize"}, hint: "dry run"},
		{name: "weighted payload with a zero weight", modify: func(in *spec.Input) {
			in.Payload = ptr(`[{"payload":1,"weight":1},{"payload":2,"weight":0}]`)
		}, want: []string{"payload"}, hint: "entry 1"},
		{name: "alias names that are allowed", modify: func(in *spec.Input) { in.AutoOptimize = true; in.AutoOptimizeAlias = "RAMP-128MB_x" }},

		{name: "lambda_arn missing", modify: func(in *spec.Input) { in.LambdaARN = "" }, want: []string{"lambda_arn"}, hint: "required"},
		{name: "lambda_arn with an alias qualifier", modify: func(in *spec.Input) { in.LambdaARN = validFunctionARN + ":prod" }, want: []string{"lambda_arn"}, hint: "$LATEST"},
		{name: "lambda_arn with $LATEST", modify: func(in *spec.Input) { in.LambdaARN = validFunctionARN + ":$LATEST" }, want: []string{"lambda_arn"}, hint: "$LATEST"},
		{name: "lambda_arn with a short account", modify: func(in *spec.Input) { in.LambdaARN = "arn:aws:lambda:us-east-1:123:function:fn" }, want: []string{"lambda_arn"}, hint: "arn:aws:lambda:<region>"},
		{name: "lambda_arn of another service", modify: func(in *spec.Input) { in.LambdaARN = "arn:aws:s3:::my-bucket" }, want: []string{"lambda_arn"}},
		{name: "lambda_arn with an unknown partition", modify: func(in *spec.Input) { in.LambdaARN = "arn:aws-xx:lambda:us-east-1:123456789012:function:fn" }, want: []string{"lambda_arn"}},
		{name: "lambda_arn partial ARN with a qualifier", modify: func(in *spec.Input) { in.LambdaARN = "123456789012:function:fn:prod" }, want: []string{"lambda_arn"}, hint: "$LATEST"},
		{name: "lambda_arn partial ARN with a short account", modify: func(in *spec.Input) { in.LambdaARN = "1234:function:fn" }, want: []string{"lambda_arn"}, hint: "partial ARN"},
		{name: "lambda_arn name with a space", modify: func(in *spec.Input) { in.LambdaARN = "my fn" }, want: []string{"lambda_arn"}},
		{name: "lambda_arn name too long", modify: func(in *spec.Input) { in.LambdaARN = strings.Repeat("f", 65) }, want: []string{"lambda_arn"}},
		{name: "num below 5", modify: func(in *spec.Input) { in.Num = 4 }, want: []string{"num"}, hint: "at least 5"},
		{name: "dry run with num 0", modify: func(in *spec.Input) { in.DryRun = true; in.Num = 0 }, want: []string{"num"}, hint: "at least 1"},
		{name: "dry run with a weighted payload larger than num", modify: func(in *spec.Input) {
			in.DryRun = true
			in.Num = 1
			in.Payload = ptr(`[{"payload":1,"weight":1},{"payload":2,"weight":1}]`)
		}, want: []string{"payload"}, hint: "num"},
		{name: "a bad num skips the weighted layout", modify: func(in *spec.Input) {
			in.Num = 2
			in.Payload = ptr(`[{"payload":1,"weight":1},{"payload":2,"weight":1},{"payload":3,"weight":1}]`)
		}, want: []string{"num"}},
		{name: "power value too small and too large", modify: func(in *spec.Input) { in.PowerValues = []int32{127, 512, 10241} },
			want: []string{"power_values", "power_values"}, hint: "between 128 and 10240"},
		{name: "power value repeated", modify: func(in *spec.Input) { in.PowerValues = []int32{512, 256, 512} }, want: []string{"power_values"}, hint: "once"},
		{name: "power values with power_values_all", modify: func(in *spec.Input) { in.PowerValues = []int32{512}; in.PowerValuesAll = true },
			want: []string{"power_values"}, hint: "power_values_all"},
		{name: "payload not JSON", modify: func(in *spec.Input) { in.Payload = ptr(`{token: "` + secret + `"}`) }, want: []string{"payload"}, hint: "JSON"},
		{name: "payload empty text", modify: func(in *spec.Input) { in.Payload = ptr("") }, want: []string{"payload"}},
		{name: "weighted payload with more entries than num", modify: func(in *spec.Input) {
			in.Num = 5
			in.Payload = ptr(`[{"payload":"` + secret + `","weight":1},{"payload":2,"weight":1},{"payload":3,"weight":1},{"payload":4,"weight":1},{"payload":5,"weight":1},{"payload":6,"weight":1}]`)
		}, want: []string{"payload"}, hint: "num"},
		{name: "weighted payload entry without a slot", modify: func(in *spec.Input) {
			in.Payload = ptr(`[{"payload":"` + secret + `","weight":1},{"payload":2,"weight":99}]`)
		}, want: []string{"payload"}, hint: "weight"},
		{name: "payload and payload_s3", modify: func(in *spec.Input) { in.Payload = ptr(`{}`); in.PayloadS3 = "s3://bucket/key" },
			want: []string{"payload_s3"}, hint: "only one"},
		{name: "payload_s3 without scheme", modify: func(in *spec.Input) { in.PayloadS3 = "bucket/key" }, want: []string{"payload_s3"}, hint: "s3://bucket/key"},
		{name: "payload_s3 with uppercase bucket", modify: func(in *spec.Input) { in.PayloadS3 = "s3://My-Bucket/key" }, want: []string{"payload_s3"}, hint: "bucket"},
		{name: "payload_s3 with short bucket", modify: func(in *spec.Input) { in.PayloadS3 = "s3://ab/key" }, want: []string{"payload_s3"}},
		{name: "payload_s3 with IP bucket", modify: func(in *spec.Input) { in.PayloadS3 = "s3://192.168.1.10/key" }, want: []string{"payload_s3"}},
		{name: "payload_s3 with double dot", modify: func(in *spec.Input) { in.PayloadS3 = "s3://my..bucket/key" }, want: []string{"payload_s3"}},
		{name: "payload_s3 without key", modify: func(in *spec.Input) { in.PayloadS3 = "s3://my-bucket" }, want: []string{"payload_s3"}, hint: "key"},
		{name: "payload_s3 with empty key", modify: func(in *spec.Input) { in.PayloadS3 = "s3://my-bucket/" }, want: []string{"payload_s3"}, hint: "key"},
		{name: "strategy unknown", modify: func(in *spec.Input) { in.Strategy = "fast" }, want: []string{"strategy"}, hint: "balanced"},
		{name: "balanced_weight out of range", modify: func(in *spec.Input) { in.Strategy = analysis.StrategyBalanced; in.BalancedWeight = ptr(1.5) },
			want: []string{"balanced_weight"}, hint: "between 0"},
		{name: "balanced_weight NaN", modify: func(in *spec.Input) { in.Strategy = analysis.StrategyBalanced; in.BalancedWeight = ptr(math.NaN()) },
			want: []string{"balanced_weight"}},
		{name: "balanced_weight with strategy cost", modify: func(in *spec.Input) { in.Strategy = analysis.StrategyCost; in.BalancedWeight = ptr(0.5) },
			want: []string{"balanced_weight"}, hint: `"balanced"`},
		{name: "balanced_weight without strategy", modify: func(in *spec.Input) { in.BalancedWeight = ptr(0.5) }, want: []string{"balanced_weight"}},
		{name: "discard negative", modify: func(in *spec.Input) { in.DiscardTopBottom = ptr(-0.1) }, want: []string{"discard_top_bottom"}, hint: "0.4"},
		{name: "discard above 0.4", modify: func(in *spec.Input) { in.DiscardTopBottom = ptr(0.41) }, want: []string{"discard_top_bottom"}},
		{name: "auto_optimize_alias without auto_optimize", modify: func(in *spec.Input) { in.AutoOptimizeAlias = "prod" },
			want: []string{"auto_optimize_alias"}, hint: "auto_optimize = true"},
		{name: "alias that is a run alias", modify: func(in *spec.Input) { in.AutoOptimize = true; in.AutoOptimizeAlias = "RAM128" },
			want: []string{"auto_optimize_alias"}, hint: "temporary"},
		{name: "alias that is a cold-start run alias", modify: func(in *spec.Input) { in.AutoOptimize = true; in.AutoOptimizeAlias = "RAM1024-3" },
			want: []string{"auto_optimize_alias"}},
		{name: "alias of only digits", modify: func(in *spec.Input) { in.AutoOptimize = true; in.AutoOptimizeAlias = "123" }, want: []string{"auto_optimize_alias"}},
		{name: "alias with a bad character", modify: func(in *spec.Input) { in.AutoOptimize = true; in.AutoOptimizeAlias = "prod!" }, want: []string{"auto_optimize_alias"}},
		{name: "alias too long", modify: func(in *spec.Input) { in.AutoOptimize = true; in.AutoOptimizeAlias = strings.Repeat("a", 129) }, want: []string{"auto_optimize_alias"}},
		{name: "pre-processor as a bare name", modify: func(in *spec.Input) { in.PreProcessorARN = "my-pre" }, want: []string{"pre_processor_arn"}, hint: "ARN"},
		{name: "post-processor as a bad ARN", modify: func(in *spec.Input) { in.PostProcessorARN = "arn:aws:lambda:us-east-1:1:function:x" }, want: []string{"post_processor_arn"}},
		{name: "sleep negative", modify: func(in *spec.Input) { in.SleepBetweenRunsMs = -1 }, want: []string{"sleep_between_runs_ms"}},
		{name: "sleep with parallel invocation", modify: func(in *spec.Input) { in.SleepBetweenRunsMs = 100; in.ParallelInvocation = true },
			want: []string{"sleep_between_runs_ms"}, hint: "parallel_invocation"},
		{name: "max_concurrency negative", modify: func(in *spec.Input) { in.ParallelInvocation = true; in.MaxConcurrency = -1 }, want: []string{"max_concurrency"}},
		{name: "allowed_exceptions with empty entries", modify: func(in *spec.Input) { in.AllowedExceptions = []string{"", "HandledError", "  "} },
			want: []string{"allowed_exceptions", "allowed_exceptions"}},
		{name: "several mistakes are all reported", modify: func(in *spec.Input) {
			in.LambdaARN = ""
			in.Num = 1
			in.Strategy = "cheap"
			in.DiscardTopBottom = ptr(0.5)
			in.PreProcessorARN = "pre"
		}, want: []string{"lambda_arn", "num", "discard_top_bottom", "strategy", "pre_processor_arn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := spec.Input{LambdaARN: validFunctionARN, Num: 10}
			tt.modify(&in)
			assertInputErrors(t, in, tt.want, tt.hint, secret)
		})
	}
}

func TestParseFunctionARN(t *testing.T) {
	tests := []struct {
		in, region, name string
		isARN            bool
	}{
		{validFunctionARN, "us-east-1", "my-fn", true},
		{"arn:aws-cn:lambda:cn-northwest-1:123456789012:function:fn_1", "cn-northwest-1", "fn_1", true},
		{"arn:aws-us-gov:lambda:us-gov-east-1:123456789012:function:fn", "us-gov-east-1", "fn", true},
		{"arn:aws:lambda:ap-southeast-5:123456789012:function:fn:prod", "ap-southeast-5", "fn", true},
		{"my-fn", "", "my-fn", false},
		{"123456789012:function:my-fn", "", "my-fn", false},
		{"arn:aws:lambda:us-east-1:12:function:fn", "", "arn:aws:lambda:us-east-1:12:function:fn", false},
	}
	for _, tt := range tests {
		region, name, isARN := spec.ParseFunctionARN(tt.in)
		if region != tt.region || name != tt.name || isARN != tt.isARN {
			t.Errorf("ParseFunctionARN(%q) = %q, %q, %v; want %q, %q, %v", tt.in, region, name, isARN, tt.region, tt.name, tt.isARN)
		}
	}
}

func TestResolvePowerValues(t *testing.T) {
	var all []int32
	for p := int32(128); p <= 3008; p += 64 {
		all = append(all, p)
	}
	tests := []struct {
		name       string
		in         spec.Input
		deployment []int32
		want       []int32
	}{
		{"input values, sorted and deduplicated", spec.Input{PowerValues: []int32{1024, 128, 512, 128}}, []int32{256}, []int32{128, 512, 1024}},
		{"all", spec.Input{PowerValuesAll: true}, []int32{256}, all},
		{"deployment default, sorted", spec.Input{}, []int32{2048, 256}, []int32{256, 2048}},
		{"built-in default", spec.Input{}, nil, []int32{128, 256, 512, 1024, 1536, 3008}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deployment := slices.Clone(tt.deployment)
			got := spec.ResolvePowerValues(tt.in, deployment)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("ResolvePowerValues = %v, want %v", got, tt.want)
			}
			if !slices.Equal(deployment, tt.deployment) {
				t.Errorf("the deployment default was modified: %v", deployment)
			}
			got[0] = -1 // the result must be the caller's own
			if spec.DefaultPowerValues[0] != 128 || (len(tt.in.PowerValues) > 0 && tt.in.PowerValues[0] == -1) {
				t.Error("ResolvePowerValues returned shared storage")
			}
		})
	}
	if len(all) != 46 || all[45] != 3008 {
		t.Fatalf("test setup: %d values up to %d", len(all), all[len(all)-1])
	}
}

// assertInputErrors checks that Validate refuses in on exactly the
// attributes want (in any order), each error starting with its attribute,
// the first saying hint, and none quoting secret.
func assertInputErrors(t *testing.T, in spec.Input, want []string, hint, secret string) {
	t.Helper()
	errs := inputErrors(t, in.Validate())
	var got []string
	for _, e := range errs {
		got = append(got, e.Attribute)
		if e.Message == "" || !strings.HasPrefix(e.Error(), e.Attribute+": ") {
			t.Errorf("error %q has no message or does not start with its attribute", e.Error())
		}
		if secret != "" && strings.Contains(e.Message, secret) {
			t.Errorf("error %q quotes the payload", e.Message)
		}
	}
	want = slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("attributes in error = %v, want %v (errors: %v)", got, want, errs)
	}
	if hint != "" && !strings.Contains(errs[0].Message, hint) {
		t.Errorf("message %q does not say %q", errs[0].Message, hint)
	}
}
