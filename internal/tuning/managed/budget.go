package managed

import (
	"context"
	"math"

	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// How many settings are under load at once. Each published version keeps
// its environments running, and their vCPUs come out of the capacity
// provider's MaxVCpuCount, which also serves the user's own functions: the
// versions of the settings under load at once never take more than it, or
// Lambda would throttle a load for want of instances and the setting would
// be measured short. And the callers of every load at once stay within the
// connections the engine keeps open to Lambda, so that the process, not the
// setting, is never the bottleneck.
const (
	// maxCallers bounds the callers of all loads at once: the HTTP
	// connections the engine's clients keep per host (awsclient).
	maxCallers = 512
	// maxInCreation bounds copies created at once: CreateFunction shares
	// the control-plane quota of 15 calls per second.
	maxInCreation = 10
)

// budget is what the settings under load at once share.
type budget struct {
	vcpus    *semaphore.Weighted
	maxVCpus int64
	callers  *semaphore.Weighted
}

func newBudget(maxVCpus int) *budget {
	return &budget{vcpus: semaphore.NewWeighted(int64(maxVCpus)), maxVCpus: int64(maxVCpus), callers: semaphore.NewWeighted(maxCallers)}
}

// take waits until a setting's version and its load fit, and returns what
// gives the room back.
func (b *budget) take(ctx context.Context, vcpus int64, callers int) (release func(), err error) {
	vcpus = min(vcpus, b.maxVCpus)
	if err := b.vcpus.Acquire(ctx, vcpus); err != nil {
		return nil, err
	}
	if err := b.callers.Acquire(ctx, int64(callers)); err != nil {
		b.vcpus.Release(vcpus)
		return nil, err
	}
	return func() { b.callers.Release(int64(callers)); b.vcpus.Release(vcpus) }, nil
}

// vcpusOf is what the environments of a version of s take.
func vcpusOf(s analysis.ManagedSetting, environments int) int64 {
	return int64(math.Ceil(float64(environments) * s.VCPUs()))
}

// callersOf is the most callers a load on s keeps busy.
func callersOf(s analysis.ManagedSetting, environments int) int {
	return min(maxCallers, s.Concurrency*environments)
}

// atOnce is how many of settings the budget lets be under load at once,
// when they all weigh what the heaviest does: the plan's estimate.
func (t *Tuner) atOnce() int {
	var vcpus int64
	callers := 1
	for _, s := range t.settings {
		envs := t.startingEnvironments(s)
		vcpus, callers = max(vcpus, min(vcpusOf(s, envs), int64(t.provider.maxVCpus))), max(callers, callersOf(s, envs))
	}
	n := min(int64(t.provider.maxVCpus)/max(vcpus, 1), int64(maxCallers/callers))
	return int(max(1, min(n, int64(len(t.settings)))))
}
