package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validateRun sends a run configuration through the provider's
// ValidateResourceConfig, which runs the schema validators, the cross-field
// validators and ValidateConfig, exactly as Terraform's plan does.
func validateRun(t *testing.T, values map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	server := protocolServer(t, New("test")())
	schemas := providerSchemas(t, server)
	resp, err := server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: "awspowertuning_run",
		Config:   configValue(t, schemas.ResourceSchemas["awspowertuning_run"], values),
	})
	if err != nil {
		t.Fatalf("ValidateResourceConfig: %v", err)
	}
	return resp.Diagnostics
}

// validRun is a minimal valid configuration plus overrides (nil deletes).
func validRun(overrides map[string]tftypes.Value) map[string]tftypes.Value {
	values := map[string]tftypes.Value{"lambda_arn": str("my-function"), "num": num(10)}
	for k, v := range overrides {
		values[k] = v
	}
	return values
}

func TestRunValidation_rejectsEachInvalidInputOnce(t *testing.T) {
	weighted := `[{"payload":{"rare":true},"weight":1},{"payload":{"common":true},"weight":100}]`
	tests := []struct {
		name      string
		config    map[string]tftypes.Value
		attribute string
		summary   string
		detail    string
	}{
		{"num below the minimum", validRun(map[string]tftypes.Value{"num": num(3)}),
			"num", "Invalid Num", "must be at least 5"},
		{"num zero", validRun(map[string]tftypes.Value{"num": num(0)}),
			"num", "Invalid Attribute Value", "between 1 and 10000"},
		{"num beyond the maximum", validRun(map[string]tftypes.Value{"num": num(300000000), "payload": str(weighted)}),
			"num", "Invalid Attribute Value", "between 1 and 10000"},
		{"only cold starts creating too many versions", validRun(map[string]tftypes.Value{"num": num(200), "only_cold_starts": boolean(true),
			"power_values": numList(128, 256, 512, 1024, 2048, 3008)}), "num", "Invalid Num", "at most 1000"},
		{"weighted payload with a zero weight", validRun(map[string]tftypes.Value{"payload": str(`[{"payload":1,"weight":0},{"payload":2,"weight":1}]`)}),
			"payload", "Invalid Payload", "entry 0 has weight 0"},
		{"weighted payload with a string weight", validRun(map[string]tftypes.Value{"payload": str(`[{"payload":1,"weight":1},{"payload":2,"weight":"3"}]`)}),
			"payload", "Invalid Payload", `entry 1 has weight "3"`},
		{"auto_optimize in a dry run", validRun(map[string]tftypes.Value{"dry_run": boolean(true), "auto_optimize": boolean(true)}),
			"auto_optimize", "Argument Has No Effect", "dry_run = false"},
		{"lambda_arn neither a name nor an ARN", validRun(map[string]tftypes.Value{"lambda_arn": str("arn:aws:lambda:us-east-1:function")}),
			"lambda_arn", "Invalid Lambda ARN", "is not a Lambda function ARN"},
		{"lambda_arn with a qualifier", validRun(map[string]tftypes.Value{"lambda_arn": str("arn:aws:lambda:us-east-1:123456789012:function:f:prod")}),
			"lambda_arn", "Invalid Lambda ARN", "qualifier"},
		{"power value too small", validRun(map[string]tftypes.Value{"power_values": numList(64, 256)}),
			"power_values", "Invalid Attribute Value", "between 128 and 10240"},
		{"power value too large", validRun(map[string]tftypes.Value{"power_values": numList(10241)}),
			"power_values", "Invalid Attribute Value", "between 128 and 10240"},
		{"power value twice", validRun(map[string]tftypes.Value{"power_values": numList(128, 128)}),
			"power_values", "Duplicate List Value", "128"},
		{"empty power values", validRun(map[string]tftypes.Value{"power_values": numList()}),
			"power_values", "Invalid Attribute Value", "at least 1"},
		{"power_values with power_values_all", validRun(map[string]tftypes.Value{"power_values": numList(128), "power_values_all": boolean(true)}),
			"power_values", "Argument Has No Effect", "power_values_all = false"},
		{"payload that is not JSON", validRun(map[string]tftypes.Value{"payload": str("{not json")}),
			"payload", "Invalid JSON", "jsonencode"},
		{"payload and payload_s3", validRun(map[string]tftypes.Value{"payload": str("{}"), "payload_s3": str("s3://bucket/key")}),
			"payload_s3", "Invalid Attribute Combination", "payload"},
		{"weighted payload giving a payload no invocation", validRun(map[string]tftypes.Value{"payload": str(weighted), "num": num(5),
			"power_values": numList(128)}), "payload", "Invalid Payload", "payload:"},
		{"payload_s3 without a key", validRun(map[string]tftypes.Value{"payload_s3": str("s3://bucket")}),
			"payload_s3", "Invalid S3 URI", "s3://bucket/key"},
		{"unknown strategy", validRun(map[string]tftypes.Value{"strategy": str("fastest")}),
			"strategy", "Invalid Attribute Value Match", "cost"},
		{"balanced_weight without the balanced strategy", validRun(map[string]tftypes.Value{"balanced_weight": num(0.3)}),
			"balanced_weight", "Argument Has No Effect", `strategy = "balanced"`},
		{"balanced_weight with strategy speed", validRun(map[string]tftypes.Value{"balanced_weight": num(0.3), "strategy": str("speed")}),
			"balanced_weight", "Argument Has No Effect", `strategy = "balanced"`},
		{"balanced_weight out of range", validRun(map[string]tftypes.Value{"balanced_weight": num(1.5), "strategy": str("balanced")}),
			"balanced_weight", "Invalid Attribute Value", "between 0"},
		{"auto_optimize_alias without auto_optimize", validRun(map[string]tftypes.Value{"auto_optimize_alias": str("prod")}),
			"auto_optimize_alias", "Argument Has No Effect", "auto_optimize = true"},
		{"auto_optimize_alias of the tuner's own aliases", validRun(map[string]tftypes.Value{"auto_optimize_alias": str("RAM512"), "auto_optimize": boolean(true)}),
			"auto_optimize_alias", "Invalid Alias Name", "names starting with RAM and a digit"},
		{"auto_optimize_alias of the run's lock", validRun(map[string]tftypes.Value{"auto_optimize_alias": str("awspowertuning-lock"), "auto_optimize": boolean(true)}),
			"auto_optimize_alias", "Invalid Alias Name", "keeps its record"},
		{"auto_optimize_alias_routing without auto_optimize_alias", validRun(map[string]tftypes.Value{"auto_optimize_alias_routing": str("keep"), "auto_optimize": boolean(true)}),
			"auto_optimize_alias_routing", "Invalid Auto Optimize Alias Routing", "only applies with auto_optimize_alias"},
		{"auto_optimize_alias_routing that is no routing choice", validRun(map[string]tftypes.Value{"auto_optimize_alias_routing": str("split"),
			"auto_optimize": boolean(true), "auto_optimize_alias": str("live")}),
			"auto_optimize_alias_routing", "Invalid Attribute Value Match", `"keep"`},
		{"copies_code_s3_uri that is not an S3 location", validRun(map[string]tftypes.Value{"copies_code_s3_uri": str("s3://B"), "isolation": str("copies")}),
			"copies_code_s3_uri", "Invalid S3 URI", "not a valid S3 bucket name"},
		{"auto_optimize_alias of digits only", validRun(map[string]tftypes.Value{"auto_optimize_alias": str("42"), "auto_optimize": boolean(true)}),
			"auto_optimize_alias", "Invalid Alias Name", "not only digits"},
		{"sleep between parallel invocations", validRun(map[string]tftypes.Value{"sleep_between_runs_ms": num(100), "parallel_invocation": boolean(true)}),
			"sleep_between_runs_ms", "Argument Has No Effect", "parallel_invocation = false"},
		{"negative sleep", validRun(map[string]tftypes.Value{"sleep_between_runs_ms": num(-1)}),
			"sleep_between_runs_ms", "Invalid Attribute Value", "between 0"},
		{"max_concurrency zero", validRun(map[string]tftypes.Value{"max_concurrency": num(0), "parallel_invocation": boolean(true)}),
			"max_concurrency", "Invalid Attribute Value", "at least 1"},
		{"discard_top_bottom above 0.4", validRun(map[string]tftypes.Value{"discard_top_bottom": num(0.5)}),
			"discard_top_bottom", "Invalid Attribute Value", "between 0"},
		{"pre-processor given by name", validRun(map[string]tftypes.Value{"pre_processor_arn": str("my-pre")}),
			"pre_processor_arn", "Invalid Pre Processor ARN", "not a function ARN"},
		{"post-processor given by name", validRun(map[string]tftypes.Value{"post_processor_arn": str("my-post")}),
			"post_processor_arn", "Invalid Post Processor ARN", "not a function ARN"},
		{"empty allowed exception", validRun(map[string]tftypes.Value{"allowed_exceptions": strList("")}),
			"allowed_exceptions", "Invalid Attribute Value Length", "at least 1"},
		{"report_s3_uri that is not an S3 URI", validRun(map[string]tftypes.Value{"report_s3_uri": str("https://bucket/key")}),
			"report_s3_uri", "Invalid S3 URI", "s3://bucket/key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := errorDiagnostics(validateRun(t, tt.config))
			if len(errs) != 1 {
				t.Fatalf("want exactly one error, got %d:%s", len(errs), describeDiagnostics(errs))
			}
			got := errs[0]
			t.Logf("%s: %s", got.Summary, got.Detail)
			if got.Attribute == nil || len(got.Attribute.Steps()) == 0 ||
				got.Attribute.Steps()[0] != tftypes.AttributeName(tt.attribute) {
				t.Errorf("error is on %v, want %s", got.Attribute, tt.attribute)
			}
			if got.Summary != tt.summary {
				t.Errorf("summary = %q, want %q", got.Summary, tt.summary)
			}
			if !strings.Contains(got.Detail, tt.detail) {
				t.Errorf("detail = %q, want it to contain %q", got.Detail, tt.detail)
			}
		})
	}
}

func TestRunValidation_acceptsValidConfigurations(t *testing.T) {
	tests := map[string]map[string]tftypes.Value{
		"minimal": validRun(nil),
		"everything": validRun(map[string]tftypes.Value{
			"lambda_arn":                  str("arn:aws:lambda:eu-west-1:123456789012:function:f"),
			"power_values":                numList(128, 512, 1024),
			"payload":                     str(`[{"payload":{"a":1},"weight":3},{"payload":{"b":2},"weight":1}]`),
			"parallel_invocation":         boolean(true),
			"max_concurrency":             num(4),
			"strategy":                    str("balanced"),
			"balanced_weight":             num(0.25),
			"auto_optimize":               boolean(true),
			"auto_optimize_alias":         str("live"),
			"auto_optimize_alias_routing": str("keep"),
			"pre_processor_arn":           str("arn:aws:lambda:eu-west-1:123456789012:function:pre"),
			"post_processor_arn":          str("arn:aws:lambda:eu-west-1:123456789012:function:post"),
			"discard_top_bottom":          num(0.1),
			"sleep_between_runs_ms":       num(0),
			"disable_payload_logs":        boolean(true),
			"include_output_results":      boolean(true),
			"allowed_exceptions":          strList("HandledError"),
			"skip_failed_power_values":    boolean(true),
			"triggers":                    strMap(map[string]string{"code": "abc"}),
			"report_s3_uri":               str("s3://reports/tuning/f.json"),
		}),
		"dry run ignores num":                        validRun(map[string]tftypes.Value{"dry_run": boolean(true), "num": num(1)}),
		"all power values":                           validRun(map[string]tftypes.Value{"power_values_all": boolean(true)}),
		"power values with power_values_all = false": validRun(map[string]tftypes.Value{"power_values": numList(128, 256), "power_values_all": boolean(false)}),
		"dry run with auto_optimize = false":         validRun(map[string]tftypes.Value{"dry_run": boolean(true), "auto_optimize": boolean(false)}),
		"most invocations":                           validRun(map[string]tftypes.Value{"num": num(10000)}),
		"payload from S3":                            validRun(map[string]tftypes.Value{"payload_s3": str("s3://payloads/big.json")}),
		"serial with sleep":                          validRun(map[string]tftypes.Value{"sleep_between_runs_ms": num(50)}),
		"explicitly serial":                          validRun(map[string]tftypes.Value{"sleep_between_runs_ms": num(50), "parallel_invocation": boolean(false)}),
		"speed strategy":                             validRun(map[string]tftypes.Value{"strategy": str("speed")}),
		"auto optimize no alias":                     validRun(map[string]tftypes.Value{"auto_optimize": boolean(true)}),
	}
	for name, config := range tests {
		t.Run(name, func(t *testing.T) {
			if errs := errorDiagnostics(validateRun(t, config)); len(errs) > 0 {
				t.Fatalf("want no error, got:%s", describeDiagnostics(errs))
			}
		})
	}
}

func TestRunValidation_unknownValues(t *testing.T) {
	t.Run("unknown lambda_arn still checks the other inputs", func(t *testing.T) {
		errs := errorDiagnostics(validateRun(t, validRun(map[string]tftypes.Value{
			"lambda_arn": unknown(tftypes.String), "num": num(3),
		})))
		if len(errs) != 1 || errs[0].Summary != "Invalid Num" {
			t.Fatalf("want one Invalid Num error, got:%s", describeDiagnostics(errs))
		}
	})
	t.Run("unknown strategy defers the balanced_weight check to apply", func(t *testing.T) {
		errs := errorDiagnostics(validateRun(t, validRun(map[string]tftypes.Value{
			"strategy": unknown(tftypes.String), "balanced_weight": num(0.5),
		})))
		if len(errs) != 0 {
			t.Fatalf("want no error, got:%s", describeDiagnostics(errs))
		}
	})
	t.Run("a list element unknown at plan defers the list's checks to apply", func(t *testing.T) {
		withUnknown := func(ty tftypes.Type, known tftypes.Value) tftypes.Value {
			return tftypes.NewValue(tftypes.List{ElementType: ty}, []tftypes.Value{unknown(ty), known})
		}
		errs := errorDiagnostics(validateRun(t, validRun(map[string]tftypes.Value{
			"power_values":       withUnknown(tftypes.Number, num(1024)),
			"allowed_exceptions": withUnknown(tftypes.String, str("HandledError")),
		})))
		if len(errs) != 0 {
			t.Fatalf("want no error, got:%s", describeDiagnostics(errs))
		}
	})
	t.Run("unknown payload defers the engine's checks to apply", func(t *testing.T) {
		errs := errorDiagnostics(validateRun(t, validRun(map[string]tftypes.Value{
			"payload": unknown(tftypes.String), "pre_processor_arn": str("bare-name"),
		})))
		if len(errs) != 0 {
			t.Fatalf("want no error, got:%s", describeDiagnostics(errs))
		}
	})
}

func TestTitleAttribute(t *testing.T) {
	tests := map[string]string{
		"lambda_arn":            "Lambda ARN",
		"payload_s3":            "Payload S3",
		"num":                   "Num",
		"sleep_between_runs_ms": "Sleep Between Runs (ms)",
	}
	for in, want := range tests {
		if got := titleAttribute(in); got != want {
			t.Errorf("titleAttribute(%q) = %q, want %q", in, got, want)
		}
	}
}
