package spec_test

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// managedRun is a valid tuning on Lambda Managed Instances to break.
func managedRun() spec.Input {
	return spec.Input{LambdaARN: validFunctionARN, Num: 10, Isolation: spec.IsolationCopies,
		ManagedInstances: &spec.ManagedInstances{MemoryPerVCPU: []float64{2, 4}, MaxConcurrencyPerEnvironment: []int{1, 16},
			PowerValues: []int32{2048, 4096}}}
}

func TestValidateManagedInstances(t *testing.T) {
	tests := []struct {
		name   string
		modify func(in *spec.Input, m *spec.ManagedInstances)
		want   []string
		hint   string
	}{
		{name: "valid", modify: func(*spec.Input, *spec.ManagedInstances) {}},
		{name: "every option", modify: func(_ *spec.Input, m *spec.ManagedInstances) {
			m.LoadSeconds, m.LatencyP99Ms, m.RequestsPerSecond, m.CompareOnDemand, m.InstancePricePerHour = 30, 250, 200, true, 0.2
			m.CapacityProviderARN = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet"
		}},
		{name: "ratio 6", modify: func(_ *spec.Input, m *spec.ManagedInstances) { m.MemoryPerVCPU = []float64{2, 6} },
			want: []string{spec.AttrManagedMemoryPerVCPU}, hint: "2, 4 or 8"},
		{name: "no ratio", modify: func(_ *spec.Input, m *spec.ManagedInstances) { m.MemoryPerVCPU = nil },
			want: []string{spec.AttrManagedMemoryPerVCPU}},
		{name: "concurrency 0 and 1601", modify: func(_ *spec.Input, m *spec.ManagedInstances) { m.MaxConcurrencyPerEnvironment = []int{0, 1601} },
			want: []string{spec.AttrManagedConcurrency, spec.AttrManagedConcurrency}, hint: "1 and 1600"},
		{name: "memory under 2048", modify: func(_ *spec.Input, m *spec.ManagedInstances) { m.PowerValues = []int32{1024} },
			want: []string{spec.AttrManagedPowerValues}, hint: "2048"},
		{name: "in place", modify: func(in *spec.Input, _ *spec.ManagedInstances) { in.Isolation = spec.IsolationNone },
			want: []string{spec.AttrIsolation}, hint: `"copies"`},
		{name: "cold starts", modify: func(in *spec.Input, _ *spec.ManagedInstances) { in.OnlyColdStarts = true },
			want: []string{spec.AttrOnlyColdStarts, spec.AttrOnlyColdStarts}},
		{name: "adaptive", modify: func(in *spec.Input, _ *spec.ManagedInstances) { in.Sampling = spec.SamplingAdaptive },
			want: []string{spec.AttrSampling}},
		{name: "comparison without traffic", modify: func(_ *spec.Input, m *spec.ManagedInstances) { m.CompareOnDemand = true },
			want: []string{spec.AttrManagedCompare}, hint: "requests_per_second"},
		{name: "a function ARN as capacity provider", modify: func(_ *spec.Input, m *spec.ManagedInstances) {
			m.CapacityProviderARN = validFunctionARN
		}, want: []string{spec.AttrManagedProvider}},
		{name: "capacity provider in another Region", modify: func(_ *spec.Input, m *spec.ManagedInstances) {
			m.CapacityProviderARN = "arn:aws:lambda:eu-west-1:123456789012:capacity-provider:fleet"
		}, want: []string{spec.AttrManagedProvider}, hint: "eu-west-1"},
		{name: "load of 5 seconds", modify: func(_ *spec.Input, m *spec.ManagedInstances) { m.LoadSeconds = 5 },
			want: []string{spec.AttrManagedLoadSeconds}},
		{name: "too many settings", modify: func(_ *spec.Input, m *spec.ManagedInstances) {
			m.PowerValues = []int32{2048, 4096, 8192}
			m.MemoryPerVCPU = []float64{2, 4, 8}
			m.MaxConcurrencyPerEnvironment = []int{1, 2, 4, 8, 16, 32}
		}, want: []string{spec.AttrManagedInstances}, hint: "54 settings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := managedRun()
			tt.modify(&in, in.ManagedInstances)
			assertInputErrors(t, in, tt.want, tt.hint, "")
		})
	}
}

func TestManagedSettingsAreEveryCombination(t *testing.T) {
	m := managedRun().ManagedInstances
	got := m.Settings(nil)
	if len(got) != 8 || got[0] != [3]float64{2048, 2, 1} || got[7] != [3]float64{4096, 4, 16} {
		t.Errorf("settings %v, want 2 × 2 × 2 from 2048 MB, 2 GiB per vCPU, 1 at once", got)
	}
	m.PowerValues = nil
	if got := m.Settings([]int32{8192}); len(got) != 4 || got[0][0] != 8192 {
		t.Errorf("settings without power_values %v, want the function's 8192 MB", got)
	}
	if m.LoadDuration() != spec.DefaultLoadSeconds {
		t.Errorf("load %d s, want the default", m.LoadDuration())
	}
}
