package lambdasim

import "time"

// A managed-instances version runs on a fleet of long-lived execution
// environments, each serving many invocations at once. Callers never wait
// for a cold start: a version is Active only once its first environments
// run, and when every environment is full the invocation is throttled
// while the fleet scales up in the background.

// initialEnvironments is how many environments a version starts with.
// AWS says it starts several for availability; three is the emulator's
// reading (one per Availability Zone).
const initialEnvironments = 3

// fleet is one version's execution environments.
type fleet struct {
	envs    []*environment
	scaleTo int       // environments once the pending scale-up lands
	scaleAt time.Time // when it lands; zero: none pending
}

// environment is one execution environment: its in-flight invocations
// share its vCPUs and its memory.
type environment struct {
	inFlight int
}

// fleetFor returns the fleet of a version, starting it if needed, with any
// scale-up whose time has come applied. The caller holds s.mu.
func (s *Server) fleetFor(f *function, label string, st *settings, now time.Time) *fleet {
	fl := f.fleets[label]
	if fl == nil {
		fl = &fleet{}
		fl.grow(min(initialEnvironments, s.maxEnvironments(st)))
		f.fleets[label] = fl
	}
	if !fl.scaleAt.IsZero() && !now.Before(fl.scaleAt) {
		fl.grow(fl.scaleTo)
		fl.scaleAt = time.Time{}
	}
	return fl
}

func (fl *fleet) grow(n int) {
	for len(fl.envs) < n {
		fl.envs = append(fl.envs, &environment{})
	}
}

// admitManaged places one invocation on the least busy environment with
// room, and reports how many invocations that environment now runs. With
// every environment full it asks for more (twice as many, within the
// capacity provider's MaxVCpuCount) and refuses the invocation. AWS's
// model has no throttle reason of its own for a full fleet: the emulator
// answers ConcurrentInvocationLimitExceeded, an assumption. The caller
// holds s.mu.
func (s *Server) admitManaged(f *function, label string, st *settings) (*environment, int, *apiError) {
	now := s.now()
	fl := s.fleetFor(f, label, st, now)
	limit := envMaxConcurrency(st)
	var best *environment
	for _, e := range fl.envs {
		if e.inFlight < limit && (best == nil || e.inFlight < best.inFlight) {
			best = e
		}
	}
	if best == nil {
		s.scaleUp(fl, st, now)
		return nil, 0, errThrottled(reasonAccountLimit)
	}
	best.inFlight++
	f.inFlight++
	s.concurrency.total++
	s.stats.maxInFlight = max(s.stats.maxInFlight, s.concurrency.total)
	return best, best.inFlight, nil
}

// scaleUp asks for twice the environments, landing after
// Options.ManagedScaleDelay; a scale-up already on its way is left alone.
func (s *Server) scaleUp(fl *fleet, st *settings, now time.Time) {
	if !fl.scaleAt.IsZero() {
		return
	}
	target := min(2*len(fl.envs), s.maxEnvironments(st))
	if target <= len(fl.envs) {
		return
	}
	if s.opts.ManagedScaleDelay <= 0 {
		fl.grow(target)
		return
	}
	fl.scaleTo, fl.scaleAt = target, now.Add(s.opts.ManagedScaleDelay)
}

// ManagedEnvironments reports how many execution environments a
// managed-instances version of a function runs now (0 before its first
// invocation), for tests of scaling.
func (s *Server) ManagedEnvironments(region, function, version string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if region == "" {
		region = s.opts.Region
	}
	f := s.functions[functionKey{region, function}]
	if f == nil {
		return 0
	}
	fl := f.fleets[version]
	if fl == nil {
		return 0
	}
	if !fl.scaleAt.IsZero() && !s.now().Before(fl.scaleAt) {
		fl.grow(fl.scaleTo)
		fl.scaleAt = time.Time{}
	}
	return len(fl.envs)
}
