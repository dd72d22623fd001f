package lambdasim

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// publish copies $LATEST into a new version, or returns the newest version
// when $LATEST has not changed since it was published (AWS then ignores the
// request's description). Numbers are never reused. The caller holds s.mu.
func (s *Server) publish(f *function, description *string, now time.Time) *version {
	if f.publishedAt != nil && f.publishedAt.sameAs(f.latest) {
		if v := f.versions[f.newestVer]; v != nil {
			return v
		}
	}
	f.lastVersion++
	number := strconv.Itoa(f.lastVersion)
	st := f.latest
	if description != nil && *description != st.Description {
		withDesc := *st
		withDesc.Description = *description
		st = &withDesc
	}
	stat := s.activeStatus(now)
	if st.SnapStartApplyOn == snapStartPublished {
		// Pending until its snapshot is ready; the update itself succeeded.
		stat.State, stat.StateReason, stat.StateReasonCode = statePending, reasonCreating, codeCreating
		stat.transitionDeadline = now.Add(s.jittered(s.opts.SnapStartDelay))
		f.pendingVersions++
	}
	if st.Capacity.arn != "" && s.opts.ManagedVersionDelay > 0 {
		// Pending, and its creation in progress, until its first
		// execution environments have started on the capacity provider.
		stat.State, stat.StateReason, stat.StateReasonCode = statePending, reasonCreating, codeCreating
		stat.LastUpdateStatus, stat.LastUpdateReason, stat.LastUpdateCode = updateInProgress, reasonCreating, codeCreating
		stat.transitionDeadline = now.Add(s.jittered(s.opts.ManagedVersionDelay))
		f.pendingVersions++
	}
	v := &version{number: number, settings: st, status: stat}
	f.versions[number] = v
	f.newestVer = number
	f.publishedAt = f.latest
	return v
}

func handlePublishVersion(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in publishInput
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	var v violations
	v.checkDescription(in.Description)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	var delay time.Duration
	out, err := func() (*configurationJSON, *apiError) {
		s.mu.Lock()
		defer s.mu.Unlock()
		f, err := s.lookupUnqualified(rt)
		if err != nil {
			return nil, err
		}
		if err := f.checkChangeable(in.RevisionId); err != nil {
			return nil, err
		}
		if in.CodeSha256 != "" && in.CodeSha256 != f.latest.CodeSha256 {
			return nil, errInvalidParameter("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.", in.CodeSha256, f.latest.CodeSha256)
		}
		v := s.publish(f, in.Description, s.now())
		delay = s.jittered(s.opts.PublishDelay)
		return s.configJSON(f, v.view()), nil
	}()
	if err != nil {
		return 0, nil, err
	}
	// The control plane's latency, outside the lock: others keep being served.
	_ = sleepCtx(r.Context(), delay)
	return http.StatusCreated, out, nil
}

func handleListVersions(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupUnqualified(rt)
	if err != nil {
		return 0, nil, err
	}
	all := []*configurationJSON{s.configJSON(f, f.latestView(latestLabel))}
	for _, v := range f.sortedVersions() {
		all = append(all, s.configJSON(f, v.view()))
	}
	page, next, err := paginate(all, r, maxListPage)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &struct {
		Versions   []*configurationJSON
		NextMarker *string `json:",omitempty"`
	}{page, next}, nil
}

func (f *function) sortedVersions() []*version {
	out := make([]*version, 0, len(f.versions))
	for _, v := range f.versions {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		a, _ := strconv.Atoi(out[i].number)
		b, _ := strconv.Atoi(out[j].number)
		return a < b
	})
	return out
}

// deleteVersion answers as AWS does: $LATEST and aliases cannot be
// deleted this way, a version an alias uses cannot be deleted, and a
// missing version is no error.
func (s *Server) deleteVersion(f *function, qualifier string) *apiError {
	switch {
	case qualifier == latestLabel:
		return errInvalidParameter("$LATEST version cannot be deleted without deleting the function.")
	case !isVersionNumber(qualifier):
		return errInvalidParameter("Deletion of aliases is not currently supported.")
	}
	v := f.versions[qualifier]
	if v == nil {
		return nil
	}
	if users := f.aliasesUsing(qualifier); len(users) > 0 {
		return errConflict("Unable to delete version because the following aliases reference it: [%s]", strings.Join(users, ", "))
	}
	if !v.status.transitionDeadline.IsZero() {
		f.pendingVersions--
	}
	delete(f.versions, qualifier)
	delete(f.fleets, qualifier)
	f.dropPools(qualifier)
	delete(f.rngs, qualifier)
	return nil
}

// aliasesUsing names the aliases that route any traffic to a version, sorted.
func (f *function) aliasesUsing(number string) []string {
	var names []string
	for _, a := range f.aliases {
		if _, weighted := a.weights[number]; a.version == number || weighted {
			names = append(names, a.name)
		}
	}
	sort.Strings(names)
	return names
}
