package htmlreport

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// managedGroup is one line of a managed chart: the settings that share a
// memory size and a memory per vCPU, by concurrency.
type managedGroup struct {
	Power         int32
	MemoryPerVCPU float64
	Results       []analysis.ManagedResult
}

// managedGroups splits results into lines, ordered by memory size then
// memory per vCPU, each line's settings by concurrency.
func managedGroups(results []analysis.ManagedResult) []managedGroup {
	var groups []managedGroup
	for _, r := range results {
		i := slices.IndexFunc(groups, func(g managedGroup) bool { return g.Power == r.Power && g.MemoryPerVCPU == r.MemoryPerVCPU })
		if i < 0 {
			groups = append(groups, managedGroup{Power: r.Power, MemoryPerVCPU: r.MemoryPerVCPU})
			i = len(groups) - 1
		}
		groups[i].Results = append(groups[i].Results, r)
	}
	slices.SortFunc(groups, func(a, b managedGroup) int {
		return cmp.Or(cmp.Compare(a.Power, b.Power), cmp.Compare(a.MemoryPerVCPU, b.MemoryPerVCPU))
	})
	for _, g := range groups {
		slices.SortStableFunc(g.Results, func(a, b analysis.ManagedResult) int { return cmp.Compare(a.Concurrency, b.Concurrency) })
	}
	return groups
}

// label names the line; the memory size only when the run tried several.
func (g managedGroup) label(manySizes bool) string {
	if manySizes {
		return fmt.Sprintf("%s, %s", megabytes(g.Power), gibPerVCPU(g.MemoryPerVCPU))
	}
	return gibPerVCPU(g.MemoryPerVCPU)
}

func manySizes(groups []managedGroup) bool {
	for _, g := range groups {
		if g.Power != groups[0].Power {
			return true
		}
	}
	return false
}

func gibPerVCPU(v float64) string { return fmt.Sprintf("%g GiB per vCPU", v) }

// settingText names a setting for people: "2048 MB, 2 GiB per vCPU, 32 at once".
func settingText(s analysis.ManagedSetting) string {
	return fmt.Sprintf("%s, %s, %d at once", megabytes(s.Power), gibPerVCPU(s.MemoryPerVCPU), s.Concurrency)
}

func isManagedOptimum(m *Managed, s analysis.ManagedSetting) bool {
	return m.Optimum != nil && m.Optimum.ManagedSetting == s
}

// missesGoal: measured, but slower at p99 than the goal.
func missesGoal(r analysis.ManagedResult) bool { return !r.Failed && !r.MeetsLatencyGoal }
