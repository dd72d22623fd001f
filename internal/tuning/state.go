package tuning

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"golang.org/x/sync/semaphore"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/inplace"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/managed"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// run is one tuning run: its input, the function, the way of running, and
// what it has measured and changed.
type run struct {
	cfg    Config
	in     spec.Input
	a      spec.Analysis
	num    int     // invocations per size (1 in a dry run)
	powers []int32 // ascending
	runID  string  // marks everything the run makes

	events *progress.Stream
	ledger *ledger.Ledger
	fn     *lambdaops.Function
	way    target.Target
	lock   *lock.Lock // once the function is held
	// managed measures settings on Lambda Managed Instances instead of
	// memory sizes (managed_instances); nil for other runs.
	managed *managed.Tuner
	// onLambdaFleet: the run is the on-demand side of a comparison with
	// Lambda Managed Instances, on copies off the capacity provider.
	onLambdaFleet bool

	invoker invoker // buffered or streamed, as invoke_mode says

	// What resolve read.
	architecture, logFormat, codeSha256 string
	price                               analysis.Price
	tenancy                             tenancy // which invocations name a tenant

	inflight *semaphore.Weighted // max_concurrency: invocations in flight across the run's sizes
	optimum  int32               // once chosen, for auto_optimize
	recovery *ledger.Recovery    // what was recovered of an interrupted run

	rngMu sync.Mutex
	rng   *rand.Rand // jitter

	warningsMu sync.Mutex
	warnings   []string // what the user should act on, though the run did not fail
	othersTold bool     // what others changed was warned of

	aliasSeen *lambda.GetAliasOutput // auto_optimize_alias as resolve read it; nil when it did not exist
}

// runOption adjusts a run before its way of running is chosen.
type runOption func(*run)

func newRun(cfg Config, in spec.Input, region string, opts ...runOption) *run {
	seed := cfg.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	r := &run{
		cfg: cfg, in: in, a: in.Analysis(), num: in.InvocationsPerSize(),
		powers:   spec.ResolvePowerValues(in, cfg.PowerValues),
		events:   progress.NewStream(cfg.Progress, cfg.Clock),
		ledger:   &ledger.Ledger{},
		inflight: semaphore.NewWeighted(int64(in.Concurrency())),
		rng:      rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
	}
	// Unique across processes (the record and everything the run makes
	// carry it), even when two engines share a seed.
	r.runID = fmt.Sprintf("%08x", r.rng.Uint32()^uint32(time.Now().UnixNano())^uint32(os.Getpid())<<16)
	w := &waiter.Waiter{Settings: cfg.Waits, Clock: cfg.Clock, Jitter: r.jittered, Latencies: cfg.Latencies}
	r.fn = lambdaops.New(cfg.Clients.Lambda(region), region, in.LambdaARN, w, r.ledger, r.events, cfg.CleanupTimeout)
	for _, opt := range opts {
		opt(r)
	}
	r.way = r.chooseWay()
	return r
}

// chooseWay is the one place that looks at how the run is isolated.
func (r *run) chooseWay() target.Target {
	env := target.Env{Input: r.in, RunID: r.runID, Powers: r.powers, Fn: r.fn, Clients: r.cfg.Clients,
		RestoreEarly: !r.in.AppliesToLatest(), Warn: r.warn, SendTimeout: r.cfg.CleanupTimeout, Lease: r.cfg.Lock.Lease,
		OnLambdaFleet: r.onLambdaFleet}
	if r.in.Isolation != spec.IsolationCopies {
		return inplace.New(env)
	}
	way := copies.New(env)
	if r.in.ManagedInstances != nil {
		// Lambda Managed Instances measure settings on copies too: made,
		// leased, deleted and recovered as the copies of memory sizes.
		r.managed = managed.New(managed.Env{Input: r.in, Fn: r.fn, Copies: way, Warn: r.warn})
	}
	return way
}

// plan is what the run is about to do, for its first event.
func (r *run) plan() *progress.Plan {
	sampling := r.in.Sampling
	if sampling == "" {
		sampling = spec.SamplingExhaustive
	}
	isolation := r.in.Isolation
	if isolation == "" {
		isolation = spec.IsolationNone
	}
	p := &progress.Plan{Function: r.in.LambdaARN, Sizes: r.powers, Architectures: r.in.Architectures, Num: r.num,
		Isolation: isolation, Sampling: sampling, Invocations: r.num * len(r.powers) * max(1, len(r.in.Architectures))}
	if m := r.in.ManagedInstances; m != nil {
		p.ManagedSettings, p.LoadSeconds = max(1, len(m.PowerValues))*len(m.MemoryPerVCPU)*len(m.MaxConcurrencyPerEnvironment), m.LoadDuration()
	}
	return p
}

// finalMemory is what $LATEST memory must be when the run is over.
func (r *run) finalMemory() int32 {
	if r.in.AppliesToLatest() && r.optimum != 0 {
		return r.optimum
	}
	return r.fn.Original().Memory
}

// jittered spreads waits by ±20% so concurrent waiters do not poll in step.
func (r *run) jittered(d time.Duration) time.Duration {
	r.rngMu.Lock()
	f := 0.8 + 0.4*r.rng.Float64()
	r.rngMu.Unlock()
	return time.Duration(float64(d) * f)
}

// warn reports something the user should act on that did not fail the
// run: an event now, and a warning diagnostic with the report.
func (r *run) warn(message string) {
	r.events.Emit(progress.Event{Kind: progress.Warning, Message: message})
	r.warningsMu.Lock()
	r.warnings = append(r.warnings, message)
	r.warningsMu.Unlock()
}

// raceSeed makes adaptive sampling's verdicts reproducible: the same input
// and seed resample the same way, whatever the wall clock says.
func (r *run) raceSeed() uint64 {
	h := fnv.New64a()
	input, _ := json.Marshal(r.in) // a plain struct: never fails
	_, _ = h.Write(input)
	return h.Sum64() ^ uint64(r.cfg.Seed)
}

// tenancy is which functions the run invokes are tenant-isolated: Lambda
// refuses their invocations without a TenantId, and refuses a TenantId for
// any other function.
type tenancy struct {
	tuned      bool            // the function, and so its copies, which keep its TenancyConfig
	processors map[string]bool // by ARN as given; written by checkProcessors alone
}
