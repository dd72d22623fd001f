package lambdasim

import (
	"cmp"
	"maps"
	"math/rand/v2"
	"time"
)

// functionKey identifies a function: functions live in one region.
type functionKey struct {
	region string
	name   string
}

// settings is what a version freezes: code and configuration. It is
// immutable once stored, so versions and in-flight invocations may share it.
type settings struct {
	settingsCore
	Environment map[string]string
	sim         simParams // parsed from Environment once
	code        []byte    // the zip; nil for images
}

// settingsCore is the comparable part of settings.
type settingsCore struct {
	Runtime          string
	Role             string
	Handler          string
	Description      string
	Timeout          int32
	MemorySize       int32
	Architecture     string
	LogFormat        string
	LogGroup         string
	AppLogLevel      string
	SystemLogLevel   string
	SnapStartApplyOn string // "None" | "PublishedVersions"
	EphemeralStorage int32
	TracingMode      string // "PassThrough" | "Active"
	PackageType      string // "Zip" | "Image"
	CodeSha256       string
	CodeSize         int64
	ImageUri         string // images only, like ResolvedImageUri
	ResolvedImageUri string
	TenancyMode      string // "" or "PER_TENANT"; set at creation only
	Durable          durableSettings
	Capacity         capacitySettings
}

// sameAs reports whether two settings would publish the same version.
func (a *settings) sameAs(b *settings) bool {
	return a.settingsCore == b.settingsCore && maps.Equal(a.Environment, b.Environment)
}

// withDerived returns s with sim parameters parsed from its environment.
func (s settings) withDerived() *settings {
	s.sim = parseSimParams(s.Environment)
	s.sim.onArchitecture(cmp.Or(s.Architecture, "x86_64"))
	return &s
}

// status is the lifecycle part of a configuration: it changes over time
// without the settings changing.
type status struct {
	RevisionID         string
	LastModified       time.Time
	State              string // Pending | Active | Failed
	StateReason        string
	StateReasonCode    string
	LastUpdateStatus   string // InProgress | Successful | Failed
	LastUpdateReason   string
	LastUpdateCode     string
	transitionDeadline time.Time // when a Pending state or InProgress update ends
}

// version is a published, immutable copy of $LATEST.
type version struct {
	number   string
	settings *settings
	status   status
}

// alias points at a version, optionally splitting traffic with a second one.
type alias struct {
	name        string
	version     string
	description string
	weights     map[string]float64 // AdditionalVersionWeights
	revisionID  string
}

// function is one Lambda function and everything hanging off it.
type function struct {
	key         functionKey
	arn         string    // unqualified
	latest      *settings // what the control plane shows for $LATEST
	running     *settings // what $LATEST invocations use; differs during an update
	status      status    // of $LATEST
	versions    map[string]*version
	lastVersion int       // versions are numbered from it and never reused
	publishedAt *settings // $LATEST settings the newest version was published from
	newestVer   string
	// pendingVersions counts SnapStart versions still waiting for their snapshot.
	pendingVersions int
	aliases         map[string]*alias
	reserved        *int32
	tags            map[string]string // the function's own: versions and aliases have none

	inFlight int
	// warm counts idle execution environments per version label and, with
	// tenant isolation, per tenant; the $LATEST pools are emptied whenever
	// its running settings change.
	warm      map[envKey]int
	latestGen int
	rngs      map[string]*rand.Rand // per version label: seeded noise
	// fleets are the execution environments of managed-instances
	// versions, by version label.
	fleets map[string]*fleet
	// durableNames remembers the execution names callers gave, for
	// idempotent starts: name → ARN and payload digest.
	durableNames map[string]durableExecution
}

// envKey names a pool of execution environments: one per executed version,
// and one per (version, tenant) for a function with tenant isolation.
type envKey struct {
	label  string
	tenant string // "" without tenant isolation
}

// dropPools forgets every idle environment of a version label, whatever
// its tenant.
func (f *function) dropPools(label string) {
	for k := range f.warm {
		if k.label == label {
			delete(f.warm, k)
		}
	}
}

func (f *function) qualifiedARN(qualifier string) string {
	return f.arn + ":" + qualifier
}
