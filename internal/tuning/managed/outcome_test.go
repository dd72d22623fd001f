package managed

import (
	"errors"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

func TestNoOptimumSaysWhyNoSettingWasChosen(t *testing.T) {
	fast := analysis.ManagedResult{ManagedSetting: analysis.ManagedSetting{Power: 4096, MemoryPerVCPU: 2, Concurrency: 4}, P99Ms: 180}
	slow := analysis.ManagedResult{ManagedSetting: analysis.ManagedSetting{Power: 2048, MemoryPerVCPU: 2, Concurrency: 16}, P99Ms: 420}
	failed := analysis.ManagedResult{ManagedSetting: analysis.ManagedSetting{Power: 2048, MemoryPerVCPU: 2, Concurrency: 64}, Failed: true, FailureReason: "out of memory"}

	err := noOptimum([]analysis.ManagedResult{slow, failed, fast}, 150)
	var goal *faults.LatencyGoalError
	if !errors.As(err, &goal) || goal.BestP99Ms != 180 || goal.Best != fast.ManagedSetting {
		t.Fatalf("error = %v, want the latency goal missed, best p99 180 ms", err)
	}
	for _, want := range []string{"no setting met latency_p99_ms = 150 ms", "the best p99 was 180 ms", "4096 MB, 2 GiB per vCPU, 4 at once"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if err := noOptimum([]analysis.ManagedResult{failed}, 150); !errors.Is(err, faults.ErrNoSuccessfulPowerValue) || !strings.Contains(err.Error(), "out of memory") {
		t.Errorf("error = %v, want no setting measured, with the reason", err)
	}
}

func TestCompareNamesTheCheaperSide(t *testing.T) {
	m := &report.Managed{Monthly: &analysis.ManagedMonthly{RequestsPerSecond: 200, Cost: 300}}
	Compare(m, 1024, 2e-6, 200, "USD")
	if od := 2e-6 * 200 * 730 * 3600; m.OnDemand == nil || m.OnDemand.MonthlyCost != od || m.OnDemand.Power != 1024 {
		t.Fatalf("on-demand side %+v, want %.2f a month at 1024 MB", m.OnDemand, od)
	}
	if !strings.HasPrefix(m.Comparison, "Lambda Managed Instances cost 300.00 USD a month") {
		t.Errorf("comparison %q", m.Comparison)
	}
}
