// Package lambdasim is a local emulator of the AWS Lambda API, faithful to
// the behaviour recorded in LAMBDA-API.md, for tests, the demo and offline
// users. It is a test double: the provider never imports it.
package lambdasim

import "time"

// Options configure a Server. Zero values are usable: seed 0, time scale 0,
// no control-plane delay, account concurrency 1000, memory quota 10240.
type Options struct {
	Region    string // default "us-east-1"
	AccountID string // default "123456789012"
	Seed      int64
	// TimeScale: 0 answers at once but reports realistic durations; 1 takes
	// the reported time for real; 0.01 takes a hundredth of it.
	TimeScale float64
	// UpdateDelay is the real time an update takes to become Successful.
	UpdateDelay time.Duration
	// PublishDelay is real time added to each PublishVersion response.
	PublishDelay time.Duration
	// SnapStartDelay is how long a SnapStart version stays Pending.
	SnapStartDelay time.Duration
	// AccountConcurrency caps concurrent invocations across the account (default 1000).
	AccountConcurrency int
	// MemoryQuota rejects MemorySize above it like AWS does (default 10240; e.g. 3008).
	MemoryQuota int32
	// Logf, when set, receives one line per request.
	Logf func(format string, args ...any)
}

// Fault is an injected failure for one operation (e.g. "Invoke",
// "UpdateFunctionConfiguration", "*" for all). It applies to the next Count
// matching requests, or, with Rate > 0, to that fraction of them (seeded).
type Fault struct {
	Operation string
	Count     int
	Rate      float64
	Status    int           // e.g. 429, 500, 503
	Code      string        // X-Amzn-ErrorType, e.g. "TooManyRequestsException", "ServiceException"
	Message   string        // default: AWS's text for that code
	Drop      bool          // close the connection without a response
	Delay     time.Duration // answer (or fail) only after this delay
}

// FunctionSpec creates a function without going through the API (the demo's
// preload file and tests use it). Environment holds the SIM_* variables.
type FunctionSpec struct {
	Name                string            `json:"name"`
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
}

// Server is the emulator. It is an http.Handler; Start also listens.
type Server struct {
	opts Options
	// fields owned by the implementation
}
