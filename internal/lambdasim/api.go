// Package lambdasim is a local emulator of the AWS Lambda API, faithful to
// how real Lambda answers (paths, status codes, error codes and messages,
// asynchronous updates), for tests, the demo and offline users. It is a
// test double: the provider never imports it.
package lambdasim

import (
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a Server. Zero values are usable: seed 0, time scale 0,
// no control-plane delay, account concurrency 1000, memory quota 10240,
// request-rate quotas counted but not enforced.
type Options struct {
	Region    string // default "us-east-1"
	AccountID string // default "123456789012"
	Seed      int64
	// TimeScale: 0 answers at once but reports realistic durations; 1 takes
	// the reported time for real; 0.01 takes a hundredth of it.
	TimeScale float64
	// UpdateDelay is the real time an update takes to become Successful
	// (and a function created through the API takes to become Active).
	UpdateDelay time.Duration
	// PublishDelay is real time added to each PublishVersion response.
	PublishDelay time.Duration
	// SnapStartDelay is how long a SnapStart version stays Pending.
	SnapStartDelay time.Duration
	// ControlPlaneLatency is real time added before answering every Lambda
	// API call but Invoke and InvokeWithResponseStream (GetFunction
	// included; PublishVersion takes it on
	// top of PublishDelay), so benchmarks meet AWS's control-plane round
	// trips: tens to a few hundred milliseconds, typically 50–150 ms from
	// inside the Region. S3 and CloudWatch Logs calls are not delayed.
	// Like PublishDelay it is slept in real time, even with Clock set.
	// Default 0: answers at once.
	ControlPlaneLatency time.Duration
	// DelayJitter spreads UpdateDelay, PublishDelay, SnapStartDelay and
	// ControlPlaneLatency like AWS's own latencies vary: each is drawn,
	// seeded, from d×(1−j) to d×(1+j) (0 to 1; default 0, exact delays).
	// These delays are real time whatever TimeScale says.
	DelayJitter float64
	// AccountConcurrency caps concurrent invocations across the account (default 1000).
	AccountConcurrency int
	// MemoryQuota rejects MemorySize above it like AWS does (default 10240; e.g. 3008).
	MemoryQuota int32
	// Logf, when set, receives one line per request.
	Logf func(format string, args ...any)
	// Clock, when set, replaces time.Now for every state transition
	// (update propagation, SnapStart readiness), request-rate quota and
	// call time, so tests control time.
	Clock func() time.Time
	// EnforceQuotas refuses control-plane calls beyond Lambda's request-rate
	// quotas with 429 TooManyRequestsException "Rate exceeded", as AWS
	// does. Off by default: clients that do not pace themselves yet (the
	// engine's end-to-end tests among them) would fail. Calls counts every
	// call either way, so a test can check pacing without enforcing it.
	EnforceQuotas bool
	// GetFunctionQuota is GetFunction's calls per second per Region
	// (default AWSGetFunctionQuota, 100).
	GetFunctionQuota int
	// CapacityProviderDelay is how long a capacity provider created through
	// the API stays Pending before it is Active (0: Active at once). Like
	// UpdateDelay it follows Clock when set.
	CapacityProviderDelay time.Duration
	// ManagedVersionDelay is how long a published version of a function on
	// a capacity provider stays Pending while its first execution
	// environments start (0: Active at once). It follows Clock when set.
	ManagedVersionDelay time.Duration
	// ManagedScaleDelay is how long a managed-instances version's fleet
	// takes to add execution environments once every environment is full
	// (0: they are there for the next invocation; the one that found the
	// fleet full is throttled either way). It follows Clock when set.
	ManagedScaleDelay time.Duration
	// ControlQuota is the calls per second per Region that every other
	// control-plane operation shares; Invoke and S3 are not limited
	// (default AWSControlQuota, 15).
	ControlQuota int
}

// Fault is an injected failure for one operation (e.g. "Invoke",
// "UpdateFunctionConfiguration", "GetObject", "*" for all). It applies to the
// next Count matching requests, or, with Rate > 0, to that fraction of them
// (seeded; with Count > 0 too, at most Count times).
type Fault struct {
	Operation string        `json:"operation"`
	Count     int           `json:"count,omitempty"`
	Rate      float64       `json:"rate,omitempty"`
	Status    int           `json:"status,omitempty"`  // e.g. 429, 500, 503
	Code      string        `json:"code,omitempty"`    // X-Amzn-ErrorType, e.g. "TooManyRequestsException", "ServiceException"
	Message   string        `json:"message,omitempty"` // default: AWS's text for that code
	Drop      bool          `json:"drop,omitempty"`    // close the connection without a response
	Delay     time.Duration `json:"delay,omitempty"`   // answer (or fail) only after this delay; JSON: "250ms"
}

// FunctionSpec creates a function without going through the API (the demo's
// preload file and tests use it). Environment holds the SIM_* variables.
type FunctionSpec struct {
	Name                string            `json:"name"`
	Region              string            `json:"region,omitempty"` // default Options.Region
	Runtime             string            `json:"runtime,omitempty"`
	Handler             string            `json:"handler,omitempty"`
	MemorySize          int32             `json:"memory_size,omitempty"`
	Timeout             int32             `json:"timeout,omitempty"`
	Architecture        string            `json:"architecture,omitempty"` // x86_64 | arm64
	LogFormat           string            `json:"log_format,omitempty"`   // Text | JSON
	SnapStart           bool              `json:"snap_start,omitempty"`
	Description         string            `json:"description,omitempty"`
	Environment         map[string]string `json:"environment,omitempty"`
	ReservedConcurrency *int32            `json:"reserved_concurrency,omitempty"`
	Tags                map[string]string `json:"tags,omitempty"`
	// TenantIsolationMode "PER_TENANT" gives the function tenant isolation
	// (CreateFunction's TenancyConfig): every invocation must then name a
	// TenantId, and each tenant gets execution environments of its own.
	TenantIsolationMode string `json:"tenant_isolation_mode,omitempty"`
	// Durable makes a durable function (CreateFunction's DurableConfig).
	Durable *DurableSpec `json:"durable,omitempty"`
	// CapacityProvider runs the function on Lambda Managed Instances
	// (CreateFunction's CapacityProviderConfig); the provider must exist
	// (AddCapacityProvider) and be Active. MemorySize then defaults to 2048.
	CapacityProvider *CapacityProviderSpec `json:"capacity_provider,omitempty"`
	// Code is the zip package (nil: a small placeholder), for tests that
	// need a package of a given size (see LargeZipPackage).
	Code []byte `json:"-"`
}

// DurableSpec is a durable function's DurableConfig.
type DurableSpec struct {
	ExecutionTimeout      int32  `json:"execution_timeout"`                  // seconds, 1–31622400 (required)
	RetentionPeriodInDays int32  `json:"retention_period_in_days,omitempty"` // 1–90; 0: AWS's default, 14
	KMSKeyArn             string `json:"kms_key_arn,omitempty"`
}

// CapacityProviderSpec is a function's CapacityProviderConfig (Lambda
// Managed Instances). Zero optional members are left out, as in a request
// that does not give them.
type CapacityProviderSpec struct {
	// ARN is the capacity provider's ARN; a bare name stands for
	// arn:<partition>:lambda:<region>:<account>:capacity-provider:<name>.
	ARN                                   string  `json:"arn"`
	ExecutionEnvironmentMemoryGiBPerVCpu  float64 `json:"memory_gib_per_vcpu,omitempty"`             // 2.0–8.0
	PerExecutionEnvironmentMaxConcurrency int32   `json:"per_environment_max_concurrency,omitempty"` // 1–1600
}

// CapacityProviderDefinition creates a capacity provider without going
// through the API (the preload file and tests use it): it is Active at
// once. Zero fields take the emulator's defaults: x86_64 instances, every
// instance type of InstanceTypes for that architecture, Auto scaling up to
// 400 vCPUs, a made-up operator role, subnet and security group.
type CapacityProviderDefinition struct {
	Name                  string   `json:"name"`
	Region                string   `json:"region,omitempty"`       // default Options.Region
	Architecture          string   `json:"architecture,omitempty"` // x86_64 | arm64
	AllowedInstanceTypes  []string `json:"allowed_instance_types,omitempty"`
	ExcludedInstanceTypes []string `json:"excluded_instance_types,omitempty"`
	// MaxVCpuCount caps the vCPUs of all the provider's instances (2–15000),
	// and so how far each version's fleet of execution environments scales.
	MaxVCpuCount int32 `json:"max_vcpu_count,omitempty"`
}

// Stats are counters for assertions in tests and for the benchmark.
type Stats struct {
	// Invocations counts Invoke requests that ran the function (function
	// errors and timeouts included; throttles, DryRun and rejected requests not).
	Invocations int
	// ColdStarts counts invocations that needed a new execution environment.
	ColdStarts int
	// Throttled counts 429 answers given because of concurrency limits
	// (injected faults are counted in Faults instead).
	Throttled int
	// RateLimited counts 429 answers given for request-rate quotas
	// (Options.EnforceQuotas).
	RateLimited int
	// InFlight is the number of invocations running now; MaxInFlight its peak.
	InFlight    int
	MaxInFlight int
	// Faults counts requests answered by an injected fault.
	Faults int
	// Requests counts every request by operation name ("Invoke", "GetObject", …).
	Requests map[string]int
}

// Config is the preload file of cmd/lambdasim (JSON).
type Config struct {
	// CapacityProviders are created before Functions, which may run on them.
	CapacityProviders []CapacityProviderDefinition `json:"capacity_providers,omitempty"`
	Functions         []FunctionSpec               `json:"functions,omitempty"`
	Objects           []Object                     `json:"objects,omitempty"`
	Faults            []Fault                      `json:"faults,omitempty"`
	DeniedBuckets     []string                     `json:"denied_buckets,omitempty"`
}

// Object is an S3 object to preload. Body is the content as text; File, when
// set instead, names a file to read (relative to the config file).
type Object struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
	Body   string `json:"body,omitempty"`
	File   string `json:"file,omitempty"`
}

// Server is the emulator. It is an http.Handler; Start also listens.
type Server struct {
	opts Options

	// mu guards everything below: the Lambda and S3 state, faults and stats.
	mu          sync.Mutex
	functions   map[functionKey]*function
	providers   map[providerKey]*capacityProvider
	ids         *idSource
	faults      *faultSet
	stats       counters
	concurrency concurrency
	s3          *objectStore
	jitter      *rand.Rand
	calls       callLog
	packages    map[string][]byte     // by Code.Location ID
	logGroups   map[logGroupKey]int64 // CloudWatch Logs groups → creation time (ms)
	quotas      map[quotaKey]*rateWindow

	listener net.Listener
	http     *http.Server
}
