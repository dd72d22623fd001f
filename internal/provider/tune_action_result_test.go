package provider

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func TestResultSentenceComparesWithTodaysMemorySize(t *testing.T) {
	ratio := func(f float64) *float64 { return &f }
	base := report.Report{FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:api", Architecture: "x86_64",
		OptimalArchitecture: "x86_64", OptimalPower: 512, OptimalDuration: 83.14, OptimalCost: 0.0000012, Currency: "USD"}
	head := "optimal memory size for arn:aws:lambda:us-east-1:123456789012:function:api: 512 MB (cost strategy), 83.1 ms and 1.2e-06 USD per invocation"
	tests := []struct {
		name string
		edit func(*report.Report)
		in   spec.Input
		want string
	}{
		{"cheaper and faster", func(r *report.Report) {
			r.BaselinePower, r.OptimalRelativeCost, r.OptimalRelativeDuration = 1024, ratio(0.62), ratio(0.999)
		}, spec.Input{}, head + "; against today's 1024 MB: 38 % cheaper and the same speed"},
		{"dearer and faster", func(r *report.Report) {
			r.BaselinePower, r.OptimalRelativeCost, r.OptimalRelativeDuration = 128, ratio(1.1), ratio(0.25)
		}, spec.Input{}, head + "; against today's 128 MB: 10 % more expensive and 75 % faster"},
		{"already optimal", func(r *report.Report) { r.BaselinePower = 512 }, spec.Input{},
			head + ", the memory size it has today"},
		{"baseline not measured", func(r *report.Report) { r.BaselinePower = 128 }, spec.Input{},
			head + "; today's 128 MB was not measured, so there is nothing to compare it with"},
		{"applied to an alias", func(r *report.Report) { r.BaselinePower = 512 },
			spec.Input{AutoOptimize: true, AutoOptimizeAlias: "live", Strategy: analysis.StrategySpeed},
			"optimal memory size for arn:aws:lambda:us-east-1:123456789012:function:api: 512 MB (speed strategy), 83.1 ms and " +
				"1.2e-06 USD per invocation, the memory size it has today; auto_optimize set alias live to 512 MB"},
		{"dry run", func(*report.Report) {}, spec.Input{DryRun: true},
			"dry run of arn:aws:lambda:us-east-1:123456789012:function:api done: every memory size answered, nothing was chosen or changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := base
			tt.edit(&rep)
			if got := resultSentence(&rep, tt.in); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
