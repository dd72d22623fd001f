package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// comparedArchitecturesReport is a run with copies on two architectures
// whose optimum is on arm64, not on the function's x86_64, streamed.
func comparedArchitecturesReport() *report.Report {
	relCost, relDuration, discard := 0.8, 0.5, 0.2
	// The input as the schema's defaults fill it in.
	in := spec.Input{LambdaARN: testFunction, Num: 5, PowerValues: []int32{128, 512}, Strategy: "cost",
		DiscardTopBottom: &discard, Sampling: spec.SamplingExhaustive, Isolation: spec.IsolationCopies, Architectures: []string{"x86_64", "arm64"}, IncludeOutputResults: true}
	return &report.Report{
		Kind: report.Kind, Input: in, FunctionARN: testFunction, Region: "us-east-1",
		Architecture: "x86_64", Currency: "USD", FunctionCodeSha256: "c29tZQ==",
		OptimalPower: 512, OptimalCost: 1.6e-6, OptimalDuration: 100.5, BaselinePower: 128,
		OptimalRelativeCost: &relCost, OptimalRelativeDuration: &relDuration, TuningCost: 3.25e-5,
		VisualizationURL: "https://example.com/#arm64", OptimalArchitecture: "arm64",
		VisualizationURLs: map[string]string{"arm64": "https://example.com/#arm64", "x86_64": "https://example.com/#x86"},
		Results: []analysis.PowerResult{
			{Power: 128, Architecture: "x86_64", AverageCost: 2e-6, AverageDuration: 400.25, TotalCost: 1e-5, Invocations: 5, P50Duration: 400, P90Duration: 410, P99Duration: 420, TimeToFirstByte: 35.5, ResponseBytes: 8 << 20},
			{Power: 512, Architecture: "x86_64", AverageCost: 2.5e-6, AverageDuration: 110.5, TotalCost: 1.25e-5, Invocations: 5, P50Duration: 110, P90Duration: 111, P99Duration: 112, WithinNoise: true, TimeToFirstByte: 20.25, ResponseBytes: 8 << 20},
			{Power: 128, Architecture: "arm64", TotalCost: 2e-6, Invocations: 5, Errors: 5, Failed: true, FailureReason: "Runtime.OutOfMemory"},
			{Power: 512, Architecture: "arm64", AverageCost: 1.6e-6, AverageDuration: 100.5, TotalCost: 8e-6, Invocations: 5, P50Duration: 100, P90Duration: 101, P99Duration: 102},
		},
		WithinNoise: []analysis.SizeKey{{Power: 512, Arch: "x86_64"}},
		InvokeMode:  spec.InvokeModeStream,
		Output:      `{"power":512}`,
		TunedAt:     time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
		Triggers:    map[string]string{"code": "v2"},
	}
}

// An in-place update re-writes the report from state alone: it must be the
// report the run wrote, architectures, baseline and comparison included.
func TestStoredReport_rewritesWhatTheRunStored(t *testing.T) {
	ctx := context.Background()
	want := comparedArchitecturesReport()
	inputs, diags := inputModelFromReport(ctx, want.Input)
	outcome, d := outcomeFromReport(ctx, want)
	diags.Append(d...)
	triggers, d := types.MapValueFrom(ctx, types.StringType, want.Triggers)
	diags.Append(d...)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got, diags := storedReport(ctx, runResourceModel{runInputModel: inputs, Triggers: triggers, outcomeModel: outcome})
	if diags.HasError() {
		t.Fatal(diags)
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("rewritten report differs from the stored one:\n got %s\nwant %s", gotJSON, wantJSON)
	}
}

// output is re-shaped on the optimum's architecture, as a run shapes it:
// the arm64 rows only, the failed one left out.
func TestReshapeOutput_keepsTheOptimumsArchitecture(t *testing.T) {
	ctx := context.Background()
	outcome, diags := outcomeFromReport(ctx, comparedArchitecturesReport())
	if diags.HasError() {
		t.Fatal(diags)
	}
	text, diags := reshapeOutput(ctx, outcome, true)
	if diags.HasError() {
		t.Fatal(diags)
	}
	up, err := analysis.ParseUpstreamOutput(text)
	if err != nil {
		t.Fatalf("%v in %s", err, text)
	}
	if o := up.Optimal; o.Power != 512 || o.AverageCost != 1.6e-6 || o.AverageDuration != 100.5 {
		t.Errorf("output optimum = %+v, want 512 MB at 1.6e-6 and 100.5 ms (arm64's)", o)
	}
	var values []int32
	for _, s := range up.Stats {
		values = append(values, s.Power)
	}
	if !reflect.DeepEqual(values, []int32{512}) || strings.Contains(text, "110.5") {
		t.Errorf("stats %v in %s, want arm64's 512 MB only", values, text)
	}
}
