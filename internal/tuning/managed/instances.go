package managed

import (
	"math"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// cheapestHolding is the instance type that holds the environments of a
// version of s for the least per hour: what a copy's version costs while
// it runs, whatever its throughput.
func (t *Tuner) cheapestHolding(s analysis.ManagedSetting) analysis.InstanceType {
	envs := t.startingEnvironments(s)
	var best analysis.InstanceType
	bestCost := math.Inf(1)
	for _, it := range t.provider.types {
		per := it.EnvironmentsPerInstance(s)
		if per == 0 {
			continue
		}
		if cost := math.Ceil(float64(envs)/float64(per)) * it.PricePerHour; cost < bestCost {
			best, bestCost = it, cost
		}
	}
	return best
}

// instancesHolding is how many instances of cheapestHolding a version of
// s runs on.
func (t *Tuner) instancesHolding(s analysis.ManagedSetting) int {
	per := t.cheapestHolding(s).EnvironmentsPerInstance(s)
	if per == 0 {
		return 0
	}
	return (t.startingEnvironments(s) + per - 1) / per
}

// instanceHours is what a version of s running for d holds.
func (t *Tuner) instanceHours(s analysis.ManagedSetting, d time.Duration) float64 {
	return float64(t.instancesHolding(s)) * d.Hours()
}

// startingEnvironments is how many execution environments a version of s starts
// with: Lambda's three, as far as MaxVCpuCount allows.
func (t *Tuner) startingEnvironments(s analysis.ManagedSetting) int {
	byLimit := int(math.Floor(float64(t.provider.maxVCpus)/s.VCPUs() + 1e-9))
	return max(1, min(analysis.MinManagedEnvironments, byLimit))
}
