package managed

import (
	"fmt"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
)

// versionStart is what the plan expects a version to take to become
// Active: its first environments start on the provider's instances.
const versionStart = 30 * time.Second

// Estimate is what the run is about to spend, said before any copy exists.
type Estimate struct {
	Copies        int
	AtOnce        int           // settings under load at once
	PerSetting    time.Duration // the longest setting's ramp and hold, its version's start included
	Wall          time.Duration // about, for every setting
	InstanceHours float64
	Cost          float64 // instance hours with the management fee, in USD
}

// estimate adds up every setting's ramp and hold on the instances that
// hold its version's environments.
func (t *Tuner) estimate() Estimate {
	e := Estimate{Copies: len(t.settings), AtOnce: t.atOnce()}
	held := time.Duration(t.m.LoadDuration()) * time.Second
	var total time.Duration
	for _, s := range t.settings {
		d := SettingDuration(s.Concurrency, held)
		total += d
		e.PerSetting = max(e.PerSetting, d)
		hours := t.instanceHours(s, d)
		e.InstanceHours += hours
		e.Cost += hours * t.cheapestHolding(s).PricePerHour * (1 + analysis.ManagedFeeShare)
	}
	e.Wall = total / time.Duration(e.AtOnce)
	return e
}

// announce says, before any copy is created, how many copies the run
// makes, for how long, and the instance hours they will hold.
func (t *Tuner) announce() {
	e := t.estimate()
	t.env.Fn.Events().Emit(progress.Event{Kind: progress.ManagedPlanned, Message: fmt.Sprintf(
		"Lambda Managed Instances: %d %s on %s, %d under load at once, each for up to about %s (its version's start, a ramp and %d s held): "+
			"about %s in all and an estimated %.2f instance-hours (about %.2f USD with the management fee)",
		e.Copies, plural(e.Copies, "copy", "copies"), t.provider.arn, e.AtOnce, e.PerSetting.Round(time.Second), t.m.LoadDuration(),
		e.Wall.Round(time.Second), e.InstanceHours, e.Cost)})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// SettingDuration is about how long a setting's copy runs before it is
// deleted, as the run plans it: its version's start, the ramp to concurrency
// invocations per environment, and the held load.
func SettingDuration(concurrency int, load time.Duration) time.Duration {
	return versionStart + time.Duration(len(rampLevels(concurrency)))*rampStep(load) + load
}
