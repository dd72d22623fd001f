package lambdasim

import "time"

// Lifecycle words AWS uses for states and update statuses.
const (
	statePending     = "Pending"
	stateActive      = "Active"
	updateInProgress = "InProgress"
	updateSuccessful = "Successful"
	reasonCreating   = "The function is being created."
	codeCreating     = "Creating"
)

func (s *Server) now() time.Time {
	if s.opts.Clock != nil {
		return s.opts.Clock()
	}
	return time.Now()
}

// creatingStatus is a new function's status: Pending until deadline.
func (s *Server) creatingStatus(now, deadline time.Time) status {
	return status{
		RevisionID:         s.ids.uuid(),
		LastModified:       now,
		State:              statePending,
		StateReason:        reasonCreating,
		StateReasonCode:    codeCreating,
		LastUpdateStatus:   updateInProgress,
		LastUpdateReason:   reasonCreating,
		LastUpdateCode:     codeCreating,
		transitionDeadline: deadline,
	}
}

// activeStatus is the status of something usable right away.
func (s *Server) activeStatus(now time.Time) status {
	return status{RevisionID: s.ids.uuid(), LastModified: now, State: stateActive, LastUpdateStatus: updateSuccessful}
}

// startUpdate marks $LATEST as being updated: the control plane shows the
// new settings at once, invocations keep the old ones until it settles.
func (s *Server) startUpdate(f *function, next *settings, now time.Time) {
	f.latest = next
	f.status.RevisionID = s.ids.uuid()
	f.status.LastModified = now
	f.status.LastUpdateStatus = updateInProgress
	f.status.LastUpdateReason = reasonCreating
	f.status.LastUpdateCode = codeCreating
	f.status.transitionDeadline = now.Add(s.jittered(s.opts.UpdateDelay))
}

// busy reports why $LATEST cannot be changed or published now, if it cannot.
func (f *function) busy() *apiError {
	switch {
	case f.status.State == statePending:
		return errStatePending(f.status.State)
	case f.status.LastUpdateStatus == updateInProgress:
		return errUpdateInProgress(f.arn)
	}
	return nil
}

// settle applies every transition whose time has come. State is advanced
// lazily, when a request looks at it, so no timers run in the background.
func (s *Server) settle(f *function, now time.Time) {
	if d := f.status.transitionDeadline; !d.IsZero() && !now.Before(d) {
		f.status = s.activeStatus(f.status.LastModified)
		if f.running != f.latest {
			f.running = f.latest
			f.latestGen++
			f.dropPools(latestLabel)
		}
	}
	if f.pendingVersions == 0 {
		return
	}
	for _, v := range f.versions {
		if d := v.status.transitionDeadline; !d.IsZero() && !now.Before(d) {
			v.status = s.activeStatus(v.status.LastModified)
			f.pendingVersions--
		}
	}
}
