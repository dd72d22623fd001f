package tuning

import (
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// Config is everything the engine needs besides the Input. Zero fields take
// the defaults documented on each.
type Config struct {
	Clients awsapi.Clients
	Prices  analysis.PriceTable // zero value: the built-in prices
	// PowerValues is the deployment's default; nil: spec.DefaultPowerValues.
	PowerValues []int32
	// VisualizationURL is the chart's base URL; "": analysis.DefaultVisualizationURL.
	VisualizationURL string
	// Progress receives the run's events, one at a time; nil: none.
	Progress func(progress.Event)
	// Latencies is what waits learn of each function's updates; share one
	// across Engines so that every run of a provider process learns from
	// the others. Nil: the Engine's own.
	Latencies *waiter.Latencies
	// InvocationBudget, when set, caps the invocations in flight across
	// every run that shares it (the provider's max_concurrent_invocations),
	// on top of each run's own cap.
	InvocationBudget *semaphore.Weighted
	// ProviderVersion names the provider in the run record, so a waiting
	// run can say who holds the function.
	ProviderVersion string
	// Lock is the run record's lease and how long a run waits for another.
	Lock lock.Settings
	// Waits bound how Lambda is waited for; zero: suited to AWS's latencies.
	Waits waiter.Settings
	// CleanupTimeout bounds clean-up after the run's context ended, and a
	// change once sent. Zero: 2 minutes.
	CleanupTimeout time.Duration
	// Clock is the engine's time; nil: the wall clock.
	Clock clock.Clock
	// Seed seeds the jitter of polls and adaptive sampling's resampling;
	// 0: the wall clock (jitter) and the input alone (sampling).
	Seed int64
}

// withDefaults fills in zero fields.
func (cfg Config) withDefaults() Config {
	if cfg.Latencies == nil {
		cfg.Latencies = waiter.NewLatencies()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.CleanupTimeout <= 0 {
		cfg.CleanupTimeout = 2 * time.Minute
	}
	if cfg.VisualizationURL == "" {
		cfg.VisualizationURL = analysis.DefaultVisualizationURL
	}
	if len(cfg.PowerValues) == 0 {
		cfg.PowerValues = spec.DefaultPowerValues
	}
	cfg.Waits = cfg.Waits.WithDefaults()
	cfg.Lock = cfg.Lock.WithDefaults()
	return cfg
}
