package provider

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func ptr[T any](v T) *T { return &v }

// An imported run must map back to the very input the run was given, or the
// next plan would show a replacement.
func TestInputModel_roundTripsThroughAReport(t *testing.T) {
	tests := map[string]spec.Input{
		// What the provider sends for a configuration with only the required arguments.
		"defaults": {
			LambdaARN: "my-function", Num: 10, Strategy: analysis.StrategyCost,
			DiscardTopBottom: ptr(analysis.DefaultDiscardTopBottom), Sampling: spec.SamplingExhaustive, Isolation: spec.IsolationNone,
		},
		"everything": {
			LambdaARN: "arn:aws:lambda:eu-west-1:123456789012:function:f", Num: 50,
			PowerValues: []int32{128, 512, 3008}, Payload: ptr(`{"a":1}`), ParallelInvocation: true, MaxConcurrency: 8,
			Strategy: analysis.StrategyBalanced, BalancedWeight: ptr(0.25), AutoOptimize: true, AutoOptimizeAlias: "live",
			AutoOptimizeAliasRouting: spec.AliasRoutingClear,
			PreProcessorARN:          "arn:aws:lambda:eu-west-1:123456789012:function:pre", PostProcessorARN: "arn:aws:lambda:eu-west-1:123456789012:function:post",
			DiscardTopBottom: ptr(0.1), DisablePayloadLogs: true, IncludeOutputResults: true,
			AllowedExceptions: []string{"HandledError"}, SkipFailedPowerValues: true,
			Sampling: spec.SamplingAdaptive, AdaptiveTolerance: ptr(0.02), Isolation: spec.IsolationCopies,
			Architectures: []string{"arm64", "x86_64"},
		},
		"serial and S3": {
			LambdaARN: "f", Num: 5, PowerValuesAll: true, PayloadS3: "s3://bucket/key", Strategy: analysis.StrategySpeed,
			DiscardTopBottom: ptr(0.0), SleepBetweenRunsMs: 250, OnlyColdStarts: true, DryRun: true,
			Sampling: spec.SamplingExhaustive, Isolation: spec.IsolationNone,
		},
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			model, diags := inputModelFromReport(context.Background(), in)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if unknown := model.unknownAttributes(); len(unknown) > 0 {
				t.Fatalf("unknown attributes after import: %v", unknown)
			}
			got, diags := model.toInput(context.Background())
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !reflect.DeepEqual(got, in) {
				t.Errorf("round trip changed the input:\n got  %+v\n want %+v", got, in)
			}
		})
	}
}

func TestInputModel_unsetValuesAreNull(t *testing.T) {
	model, diags := inputModelFromReport(context.Background(), spec.Input{LambdaARN: "f", Num: 5})
	if diags.HasError() {
		t.Fatal(diags)
	}
	for name, v := range map[string]interface{ IsNull() bool }{
		"power_values": model.PowerValues, "payload": model.Payload, "payload_s3": model.PayloadS3,
		"max_concurrency": model.MaxConcurrency, "balanced_weight": model.BalancedWeight,
		"auto_optimize_alias": model.AutoOptimizeAlias, "auto_optimize_alias_routing": model.AutoOptimizeAliasRouting,
		"pre_processor_arn":  model.PreProcessorARN,
		"post_processor_arn": model.PostProcessorARN, "allowed_exceptions": model.AllowedExceptions,
	} {
		if !v.IsNull() {
			t.Errorf("%s is %v, want null like an omitted argument", name, v)
		}
	}
	// Arguments with schema defaults get the default, as the plan would.
	if model.Strategy.ValueString() != "cost" || model.DiscardTopBottom.ValueFloat64() != analysis.DefaultDiscardTopBottom {
		t.Errorf("strategy %s, discard_top_bottom %s; want the schema defaults", model.Strategy, model.DiscardTopBottom)
	}
}

func TestOutcomeFromReport(t *testing.T) {
	tunedAt := time.Date(2025, 8, 1, 12, 30, 0, 500_000_000, time.FixedZone("CEST", 2*3600))
	report := &report.Report{
		FunctionARN: testFunction, Architecture: "arm64", Currency: "USD", FunctionCodeSha256: "c29tZQ==",
		OptimalPower: 512, OptimalCost: 2.1e-6, OptimalDuration: 120.5, TuningCost: 3.3e-5, InvocationsSaved: 45,
		VisualizationURL: "https://lambda-power-tuning.show/#a;b;c", Output: `{"power":512}`, TunedAt: tunedAt,
		Results: []analysis.PowerResult{
			{Power: 256, AverageCost: 2.5e-6, AverageDuration: 240.25, TotalCost: 1.25e-5, Invocations: 5, P50Duration: 240, P90Duration: 250, P99Duration: 260,
				Retired: true, BehindBy: 0.4, WithinNoise: true},
			{Power: 512, AverageCost: 2.1e-6, AverageDuration: 120.5, TotalCost: 1.05e-5, Invocations: 5, Errors: 1, Failed: true, FailureReason: "timeout"},
		},
	}
	outcome, diags := outcomeFromReport(context.Background(), report)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if want := testFunction + "@2025-08-01T10:30:00.5Z"; outcome.ID.ValueString() != want {
		t.Errorf("id = %s, want %s", outcome.ID, want)
	}
	if outcome.TunedAt.ValueString() != "2025-08-01T10:30:00.5Z" {
		t.Errorf("tuned_at = %s, want UTC RFC 3339", outcome.TunedAt)
	}
	if outcome.OptimalPower.ValueInt64() != 512 || outcome.OptimalCost.ValueFloat64() != 2.1e-6 ||
		outcome.Architecture.ValueString() != "arm64" || outcome.FunctionCodeSha256.ValueString() != "c29tZQ==" {
		t.Errorf("outcome = %+v", outcome)
	}
	var results []resultModel
	if diags := outcome.Results.ElementsAs(context.Background(), &results, false); diags.HasError() {
		t.Fatal(diags)
	}
	want := resultModel{
		// A failed row's figures are null; what it was billed is kept.
		Power: types.Int64Value(512), Architecture: types.StringValue("arm64"), AverageCost: types.Float64Null(), AverageDuration: types.Float64Null(),
		TotalCost: types.Float64Value(1.05e-5), Invocations: types.Int64Value(5), Errors: types.Int64Value(1),
		Failed: types.BoolValue(true), FailureReason: types.StringValue("timeout"),
		P50Duration: types.Float64Null(), P90Duration: types.Float64Null(), P99Duration: types.Float64Null(),
		Retired: types.BoolValue(false), BehindBy: types.Float64Value(0), Sampling: types.StringValue(""), WithinNoise: types.BoolValue(false),
		TimeToFirstByte: types.Float64Null(), ResponseBytes: types.Int64Value(0),
	}
	if len(results) != 2 || !reflect.DeepEqual(results[1], want) || results[0].P90Duration.ValueFloat64() != 250 ||
		!results[0].Retired.ValueBool() || results[0].BehindBy.ValueFloat64() != 0.4 || !results[0].WithinNoise.ValueBool() {
		t.Errorf("results = %+v", results)
	}
	// A report stored before the mode was recorded was buffered: no time to first byte.
	if outcome.InvokeModeUsed.ValueString() != "buffered" || !results[0].TimeToFirstByte.IsNull() {
		t.Errorf("invoke_mode_used %s, time_to_first_byte %s; want buffered and null", outcome.InvokeModeUsed, results[0].TimeToFirstByte)
	}
	if outcome.InvocationsSaved.ValueInt64() != 45 {
		t.Errorf("invocations_saved = %s, want 45", outcome.InvocationsSaved)
	}
	// A run that compared no architectures: the function's, and no charts per architecture.
	if outcome.OptimalArch.ValueString() != "arm64" || outcome.VisualizationURLs.IsNull() || len(outcome.VisualizationURLs.Elements()) != 0 {
		t.Errorf("optimal_architecture %s, visualization_urls %s; want arm64 and an empty map", outcome.OptimalArch, outcome.VisualizationURLs)
	}
}

func TestOutcomeFromReportComparingArchitectures(t *testing.T) {
	report := &report.Report{
		FunctionARN: testFunction, Architecture: "x86_64", OptimalPower: 512, OptimalArchitecture: "arm64",
		VisualizationURLs: map[string]string{"x86_64": "https://x", "arm64": "https://a"},
		Results:           []analysis.PowerResult{{Power: 512, Architecture: "x86_64"}, {Power: 512, Architecture: "arm64"}},
	}
	outcome, diags := outcomeFromReport(context.Background(), report)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var results []resultModel
	if diags := outcome.Results.ElementsAs(context.Background(), &results, false); diags.HasError() {
		t.Fatal(diags)
	}
	if len(results) != 2 || results[0].Architecture.ValueString() != "x86_64" || results[1].Architecture.ValueString() != "arm64" {
		t.Errorf("results = %+v, want one row per architecture", results)
	}
	urls := map[string]string{}
	if diags := outcome.VisualizationURLs.ElementsAs(context.Background(), &urls, false); diags.HasError() {
		t.Fatal(diags)
	}
	if outcome.OptimalArch.ValueString() != "arm64" || !reflect.DeepEqual(urls, report.VisualizationURLs) {
		t.Errorf("optimal_architecture %s, visualization_urls %v", outcome.OptimalArch, urls)
	}
}
