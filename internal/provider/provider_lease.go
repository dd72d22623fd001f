package provider

import (
	"fmt"
	"time"
)

// runLeaseEnv sets how long a run's record in AWS outlives a process that
// stopped renewing it (killed, lost, suspended): the next run waits that
// long before it treats the run as interrupted and recovers it. Shorter
// recovers sooner; too short and a run suspended for longer loses its lock.
const runLeaseEnv = "AWSPOWERTUNING_RUN_LEASE"

const minRunLease = time.Second

// runLease is the lease from the environment; zero means the engine's default.
func runLease(getenv func(string) string) (time.Duration, error) {
	v := getenv(runLeaseEnv)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, err
	}
	if d < minRunLease {
		return 0, fmt.Errorf("%s is shorter than %s", d, minRunLease)
	}
	return d, nil
}
