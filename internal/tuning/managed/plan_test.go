package managed

import (
	"math"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

func tunerWith(maxVCpus int, settings ...analysis.ManagedSetting) *Tuner {
	c7iLarge, _ := analysis.ManagedInstanceType("c7i.large") // 2 vCPUs, 4 GiB
	m7iLarge, _ := analysis.ManagedInstanceType("m7i.large") // 2 vCPUs, 8 GiB
	c7iXL, _ := analysis.ManagedInstanceType("c7i.xlarge")   // 4 vCPUs, 8 GiB
	return &Tuner{m: spec.ManagedInstances{LoadSeconds: 60}, settings: settings,
		provider: provider{arn: "fleet", maxVCpus: maxVCpus, types: []analysis.InstanceType{c7iLarge, m7iLarge, c7iXL}}}
}

// TestSettingsUnderLoadAtOnceFitTheProvidersVCPUs: three environments of
// 2 vCPUs take 6 of MaxVCpuCount; the callers of every load share 512.
func TestSettingsUnderLoadAtOnceFitTheProvidersVCPUs(t *testing.T) {
	s := analysis.ManagedSetting{Power: 4096, MemoryPerVCPU: 2, Concurrency: 16}
	many := []analysis.ManagedSetting{s, s, s, s, s}
	tests := []struct {
		maxVCpus int
		settings []analysis.ManagedSetting
		want     int
	}{
		{400, many, 5}, // room for all
		{12, many, 2},  // 12 vCPUs: two versions of 6
		{4, many, 1},   // not even one whole version: one at a time, on 2 environments
		{400, []analysis.ManagedSetting{{Power: 2048, MemoryPerVCPU: 2, Concurrency: 100}, s, s, s}, 1}, // 300 callers each
	}
	for _, tt := range tests {
		if got := tunerWith(tt.maxVCpus, tt.settings...).atOnce(); got != tt.want {
			t.Errorf("MaxVCpuCount %d, %d settings: %d at once, want %d", tt.maxVCpus, len(tt.settings), got, tt.want)
		}
	}
	if envs := tunerWith(4).startingEnvironments(s); envs != 2 {
		t.Errorf("4 vCPUs hold %d environments of 2 vCPUs, want 2", envs)
	}
}

// TestThePlanEstimatesInstanceHours: the three 1-vCPU environments of a
// 2048 MB setting go two to a c7i.large (2 vCPUs): two of them are the
// cheapest way to hold a version while it starts, ramps and holds.
func TestThePlanEstimatesInstanceHours(t *testing.T) {
	s := analysis.ManagedSetting{Power: 2048, MemoryPerVCPU: 2, Concurrency: 16}
	tu := tunerWith(400, s, s)
	if it, n := tu.cheapestHolding(s), tu.instancesHolding(s); it.Name != "c7i.large" || n != 2 {
		t.Fatalf("held on %d × %s, want 2 × c7i.large", n, it.Name)
	}
	e := tu.estimate()
	perSetting := versionStart + 3*6*time.Second + 60*time.Second // start, three ramp levels of 6 s, the hold
	wantHours := 2 * 2 * perSetting.Hours()
	if e.Copies != 2 || e.AtOnce != 2 || e.PerSetting != perSetting || e.Wall != perSetting || math.Abs(e.InstanceHours-wantHours) > 1e-9 {
		t.Errorf("estimate %+v, want 2 copies at once, %v each, %.4f instance-hours", e, perSetting, wantHours)
	}
	if want := wantHours * 0.08925 * 1.15; math.Abs(e.Cost-want) > 1e-9 {
		t.Errorf("estimated cost %.4f, want %.4f", e.Cost, want)
	}
}
