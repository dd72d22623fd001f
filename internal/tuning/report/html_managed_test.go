package report

import (
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// A run on Lambda Managed Instances gets the managed page, with the
// latency goal and the price given by the input.
func TestHTMLReportOfAManagedRun(t *testing.T) {
	best := analysis.ManagedResult{ManagedSetting: analysis.ManagedSetting{Power: 2048, MemoryPerVCPU: 2, Concurrency: 16},
		RequestsPerSecondPerEnvironment: 76, RequestsPerSecondPerInstance: 76, Instance: "c7i.large", P99Ms: 201,
		CostPerMillion: 0.39, MeetsLatencyGoal: true}
	rep := &Report{FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:orders", Currency: "USD",
		Input:   spec.Input{ManagedInstances: &spec.ManagedInstances{LatencyP99Ms: 250, InstancePricePerHour: 0.05}},
		Managed: &Managed{Results: []analysis.ManagedResult{best}, Optimum: &best}}
	page, err := RenderHTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Optimum: 2048 MB, 2 GiB per vCPU, 16 at once", "p99 goal: 250.0 ms", "instance_price_per_hour, 0.0500 USD an hour"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
