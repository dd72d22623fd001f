package provider

import (
	"strings"
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

func TestResultSentenceOfATuningOnManagedInstances(t *testing.T) {
	optimum := analysis.ManagedResult{ManagedSetting: analysis.ManagedSetting{Power: 4096, MemoryPerVCPU: 2, Concurrency: 16},
		Instance: "m7g.xlarge", RequestsPerSecondPerEnvironment: 75.9, P99Ms: 212, CostPerMillion: 0.7712}
	rep := &report.Report{FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:api", Currency: "USD",
		Managed: &report.Managed{Optimum: &optimum, Monthly: &analysis.ManagedMonthly{RequestsPerSecond: 200, Instances: 2, Cost: 254.97},
			Comparison: "Lambda Managed Instances cost 254.97 USD a month, 63 % less than on-demand Lambda at 696.42 USD."}}
	got := resultSentence(rep, spec.Input{})
	for _, want := range []string{"4096 MB, 2 GiB per vCPU, 16 at once (cost strategy) on m7g.xlarge", "75.9 requests/s per environment",
		"p99 212 ms", "0.7712 USD per million requests", "at 200 requests/s: 2 instances, 254.97 USD a month", "63 % less than on-demand"} {
		if !strings.Contains(got, want) {
			t.Errorf("sentence %q does not say %q", got, want)
		}
	}
}
