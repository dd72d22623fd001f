package faults

import "fmt"

// CapacityProviderNotActiveError: the capacity provider cannot take
// copies yet (or any more): creating one would fail after others were made.
type CapacityProviderNotActiveError struct {
	CapacityProvider string
	State            string
}

func (e *CapacityProviderNotActiveError) Error() string {
	return fmt.Sprintf("the capacity provider %s is %s, not Active, so nothing was created or changed: Lambda puts functions only on "+
		"an Active capacity provider. Run the tuning again once it is Active, or set managed_instances.capacity_provider_arn to another one",
		e.CapacityProvider, e.State)
}

// LatencyGoalError: every setting measured missed latency_p99_ms.
type LatencyGoalError struct {
	GoalMs    float64
	BestP99Ms float64
	Best      fmt.Stringer
}

func (e *LatencyGoalError) Error() string {
	return fmt.Sprintf("no setting met latency_p99_ms = %g ms: the best p99 was %.0f ms, at %s. Raise latency_p99_ms, or measure "+
		"settings with more memory per vCPU or fewer invocations per environment", e.GoalMs, e.BestP99Ms, e.Best)
}
