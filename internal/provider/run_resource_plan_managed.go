package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/managed"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// noteManagedLoad says what a tuning on Lambda Managed
// Instances will create before it creates anything: how many copies, and
// about how long each holds instances. Their instance hours depend on the
// capacity provider's instance types, read at apply: the run states them
// before its first copy.
func noteManagedLoad(input spec.Input, resp *resource.ModifyPlanResponse) {
	m := input.ManagedInstances
	if m == nil {
		return
	}
	settings := m.Settings([]int32{0}) // without power_values: the function's own memory size
	load := time.Duration(m.LoadDuration()) * time.Second
	var longest time.Duration
	var envSeconds float64
	for _, s := range settings {
		d := managed.SettingDuration(int(s[2]), load)
		longest = max(longest, d)
		if s[0] > 0 {
			envSeconds += float64(analysis.MinManagedEnvironments) * s[0] / 1024 / s[1] * d.Seconds()
		}
	}
	sizes := "each holds the environments Lambda starts for its version"
	if envSeconds > 0 {
		sizes = fmt.Sprintf("together about %.1f vCPU-hours of the capacity provider's instances", envSeconds/3600)
	}
	resp.Diagnostics.AddAttributeWarning(attributePath(spec.AttrManagedInstances), "Tuning Creates Copies On The Capacity Provider",
		fmt.Sprintf("The run will create %d temporary copies of the function on the capacity provider, one per setting, each running "+
			"for up to about %s (its version's start, a ramp and load_seconds = %d held), %s. They are deleted as each "+
			"setting is measured. The run states its estimate of the instance hours, from the provider's instance types, "+
			"before it creates the first copy.", len(settings), longest.Round(time.Second), m.LoadDuration(), sizes))
}
