package analysis

import (
	"math"
	"strings"
	"testing"
)

func TestEnvironmentsPerInstanceTakesTheScarcerOfCPUAndMemory(t *testing.T) {
	m7gXL, _ := ManagedInstanceType("m7g.xlarge") // 4 vCPUs, 16 GiB
	tests := []struct {
		setting ManagedSetting
		want    int
	}{
		{ManagedSetting{Power: 4096, MemoryPerVCPU: 2}, 2},  // 2 vCPUs each: CPU allows 2, memory 4
		{ManagedSetting{Power: 4096, MemoryPerVCPU: 4}, 4},  // 1 vCPU each: both allow 4
		{ManagedSetting{Power: 4096, MemoryPerVCPU: 8}, 4},  // half a vCPU each: memory allows 4
		{ManagedSetting{Power: 32768, MemoryPerVCPU: 2}, 0}, // 16 vCPUs: does not fit
		{ManagedSetting{Power: 2048, MemoryPerVCPU: 0}, 0},
	}
	for _, tt := range tests {
		if got := m7gXL.EnvironmentsPerInstance(tt.setting); got != tt.want {
			t.Errorf("%s on m7g.xlarge: %d environments, want %d", tt.setting, got, tt.want)
		}
	}
}

func TestManagedFiguresPriceThroughputOnTheCheapestInstance(t *testing.T) {
	setting := ManagedSetting{Power: 4096, MemoryPerVCPU: 4, Concurrency: 8}
	latencies := make([]float64, 100)
	for i := range latencies {
		latencies[i] = float64(100 + i) // p99 = 198
	}
	load := ManagedLoad{Setting: setting, Seconds: 60, Environments: 3, Succeeded: 3600, Errors: 2, Throttles: 5, LatenciesMs: latencies}
	c7gXL, _ := ManagedInstanceType("c7g.xlarge") // 4 vCPUs, 8 GiB: 2 environments
	m7gXL, _ := ManagedInstanceType("m7g.xlarge") // 4 vCPUs, 16 GiB: 4 environments
	r := ManagedFigures(load, []InstanceType{c7gXL, m7gXL}, 250)
	if r.Failed || !r.MeetsLatencyGoal {
		t.Fatalf("result %+v, want a measured setting within the goal", r)
	}
	if r.RequestsPerSecondPerEnvironment != 20 || r.P99Ms != 198 || r.Requests != 3607 || r.Errors != 2 || r.Throttles != 5 {
		t.Errorf("figures %+v, want 20 requests/s per environment, p99 198 ms, 3607 requests, 2 errors, 5 throttles", r)
	}
	// c7g: 0.145 × 1.15 / (40 × 3600) per request; m7g: 0.1632 × 1.15 / (80 × 3600): m7g is cheaper.
	want := (0.1632*1.15/(80*3600) + 0.2e-6) * 1e6
	if r.Instance != "m7g.xlarge" || r.RequestsPerSecondPerInstance != 80 || math.Abs(r.CostPerMillion-want) > 1e-9 {
		t.Errorf("priced on %s at %.1f/s: %.6f per million, want m7g.xlarge at 80/s: %.6f", r.Instance, r.RequestsPerSecondPerInstance, r.CostPerMillion, want)
	}
	if slow := ManagedFigures(load, []InstanceType{m7gXL}, 150); slow.MeetsLatencyGoal {
		t.Error("a p99 of 198 ms meets a 150 ms goal")
	}
	if none := ManagedFigures(ManagedLoad{Setting: setting, Seconds: 60, Environments: 3, Throttles: 40}, []InstanceType{m7gXL}, 0); !none.Failed {
		t.Error("a load with no successful request is not failed")
	}
}

func TestSelectManagedHonoursTheLatencyGoalAndTheStrategy(t *testing.T) {
	cheapSlow := ManagedResult{ManagedSetting: ManagedSetting{Power: 2048, Concurrency: 32}, CostPerMillion: 1, P99Ms: 400, MeetsLatencyGoal: true}
	dearFast := ManagedResult{ManagedSetting: ManagedSetting{Power: 8192, Concurrency: 4}, CostPerMillion: 4, P99Ms: 100, MeetsLatencyGoal: true}
	middle := ManagedResult{ManagedSetting: ManagedSetting{Power: 4096, Concurrency: 8}, CostPerMillion: 1.5, P99Ms: 150, MeetsLatencyGoal: true}
	cheapestMissesGoal := ManagedResult{ManagedSetting: ManagedSetting{Power: 2048, Concurrency: 64}, CostPerMillion: 0.5, P99Ms: 900}
	failed := ManagedResult{ManagedSetting: ManagedSetting{Power: 2048, Concurrency: 128}, Failed: true, MeetsLatencyGoal: true}
	all := []ManagedResult{cheapestMissesGoal, failed, cheapSlow, dearFast, middle}
	for strategy, want := range map[Strategy]ManagedResult{StrategyCost: cheapSlow, StrategySpeed: dearFast, StrategyBalanced: middle} {
		got, ok := SelectManaged(all, strategy, 0.5)
		if !ok || got.ManagedSetting != want.ManagedSetting {
			t.Errorf("%s chose %s (ok %v), want %s", strategy, got.ManagedSetting, ok, want.ManagedSetting)
		}
	}
	if _, ok := SelectManaged([]ManagedResult{cheapestMissesGoal, failed}, StrategyCost, 0.5); ok {
		t.Error("a setting was chosen though none meets the goal")
	}
}

func TestMonthlyCostsAndTheirComparison(t *testing.T) {
	m7gXL, _ := ManagedInstanceType("m7g.xlarge")
	r := ManagedResult{ManagedSetting: ManagedSetting{Power: 4096, MemoryPerVCPU: 4, Concurrency: 8}, RequestsPerSecondPerInstance: 80}
	got := MonthlyOnManaged(r, m7gXL, 200) // 3 instances for 200/s
	want := 3*0.1632*1.15*730 + 200*730*3600*0.2e-6
	if got.Instances != 3 || math.Abs(got.Cost-want) > 1e-6 {
		t.Errorf("200 requests/s: %d instances, %.2f a month; want 3 and %.2f", got.Instances, got.Cost, want)
	}
	// Little traffic still keeps the environments Lambda runs: 3 of 4 per instance fit on one.
	if quiet := MonthlyOnManaged(r, m7gXL, 1); quiet.Instances != 1 {
		t.Errorf("1 request/s needs %d instances, want 1", quiet.Instances)
	}
	onDemand := MonthlyOnDemand(2e-6, 200)
	if math.Abs(onDemand-2e-6*200*730*3600) > 1e-9 {
		t.Errorf("on-demand monthly %.4f", onDemand)
	}
	if s := CompareMonthly(got.Cost, onDemand, "USD"); !strings.HasPrefix(s, "Lambda Managed Instances cost") || !strings.Contains(s, "less than on-demand") {
		t.Errorf("comparison %q, want Lambda Managed Instances cheaper", s)
	}
	if s := CompareMonthly(onDemand*2, onDemand, "USD"); !strings.Contains(s, "50 % less than Lambda Managed Instances") {
		t.Errorf("comparison %q, want on-demand 50 %% cheaper", s)
	}
}
