package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Re-shaping output from the recorded outcome gives what the run itself
// rendered: the report's own rendering, with or without stats.
func TestReshapeOutputIsTheReportsRendering(t *testing.T) {
	ctx := context.Background()
	row := func(power int32, arch string, cost, duration float64) analysis.PowerResult {
		return analysis.PowerResult{Power: power, Architecture: arch, AverageCost: cost, AverageDuration: duration,
			TotalCost: cost * 10, Invocations: 10}
	}
	results := []analysis.PowerResult{
		row(128, "x86_64", 0.000004, 900), row(256, "x86_64", 0.000003, 300),
		{Power: 512, Architecture: "x86_64", Failed: true, FailureReason: "Runtime.OutOfMemory"},
		row(128, "arm64", 0.000002, 950), row(256, "arm64", 0.0000025, 320),
	}
	rep, err := report.Build(report.Facts{
		Input: spec.Input{LambdaARN: "f", Num: 10, Isolation: spec.IsolationCopies, Architectures: []string{"x86_64", "arm64"},
			SkipFailedPowerValues: true},
		FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f", Region: "us-east-1",
		Architecture: "x86_64", Currency: "USD", BaselinePower: 128, ChartBase: "https://example.com/chart",
	}, results)
	if err != nil {
		t.Fatal(err)
	}
	outcome, diags := outcomeFromReport(ctx, rep)
	if diags.HasError() {
		t.Fatal(diags)
	}
	for _, stats := range []bool{false, true} {
		got, diags := reshapeOutput(ctx, outcome, stats)
		if diags.HasError() {
			t.Fatal(diags)
		}
		if want := rep.UpstreamOutput(stats); got != want || got == "" {
			t.Errorf("stats %v: output = %s, want %s", stats, got, want)
		}
	}
	if got, _ := reshapeOutput(ctx, outcome, false); got != rep.Output {
		t.Errorf("output without stats = %s, want what the run rendered, %s", got, rep.Output)
	}

	dryRun := outcome
	dryRun.OptimalPower = types.Int64Null() // a dry run chooses nothing
	if got, _ := reshapeOutput(ctx, dryRun, true); got != "" {
		t.Errorf("a dry run's output = %s, want none", got)
	}
}
