package lambdasim

import (
	"maps"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// newFunction registers a function; the caller holds s.mu and has checked
// that the name is free.
func (s *Server) newFunction(key functionKey, st *settings, stat status) *function {
	f := &function{
		key:      key,
		arn:      functionARN(key.region, s.opts.AccountID, key.name),
		latest:   st,
		running:  st,
		status:   stat,
		versions: make(map[string]*version),
		aliases:  make(map[string]*alias),
		warm:     make(map[envKey]int),
		rngs:     make(map[string]*rand.Rand),
		fleets:   make(map[string]*fleet),
	}
	s.functions[key] = f
	return f
}

func handleCreateFunction(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in functionInput
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	if err := checkNewFunctionName(in.FunctionName); err != nil {
		return 0, nil, err
	}
	ref, err := parseFunctionRef(in.FunctionName)
	if err != nil {
		return 0, nil, err
	}
	if ref.qualifier != "" {
		return 0, nil, invalidFunctionName(in.FunctionName)
	}
	packageType := packageZip
	if in.PackageType != "" {
		packageType = in.PackageType
	}
	if !oneOf(packageType, packageZip, packageImage) {
		var v violations
		v.add(packageType, "packageType", "Member must satisfy enum value set: [Zip, Image]")
		return 0, nil, v.err()
	}
	st := defaultSettings(ref.name)
	if err := applyConfig(&st, &in, s.opts.MemoryQuota); err != nil {
		return 0, nil, err
	}
	if err := applyKinds(&st, &in, true); err != nil {
		return 0, nil, err
	}
	if in.Code == nil {
		in.Code = &codeInput{}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.applyCode(&st, in.Code, packageType); err != nil {
		return 0, nil, err
	}
	if st.PackageType == packageZip && (st.Runtime == "" || st.Handler == "") {
		return 0, nil, errInvalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
	}
	if err := s.checkProvider(&st); err != nil {
		return 0, nil, err
	}
	if err := checkTags(nil, in.Tags); err != nil {
		return 0, nil, err
	}
	key := functionKey{rt.region, ref.name}
	if s.functions[key] != nil {
		return 0, nil, errConflict("Function already exist: %s", ref.name)
	}
	now := s.now()
	f := s.newFunction(key, st.withDerived(), s.creatingStatus(now, now.Add(s.jittered(s.opts.UpdateDelay))))
	if len(in.Tags) > 0 {
		f.tags = maps.Clone(in.Tags)
	}
	out := s.changedJSON(f, in.Publish, now)
	// With Publish, AWS shows the new version's configuration under the
	// function's unqualified ARN (UpdateFunctionCode shows the version's ARN).
	out.FunctionArn = f.arn
	return http.StatusCreated, out, nil
}

// changedJSON answers a create or code update: with Publish, it publishes
// $LATEST and shows the version, otherwise it shows $LATEST. The caller
// holds s.mu.
func (s *Server) changedJSON(f *function, publish bool, now time.Time) *configurationJSON {
	if publish {
		return s.configJSON(f, s.publish(f, nil, now).view())
	}
	return s.configJSON(f, f.latestView(""))
}

func handleGetFunctionConfiguration(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, v, err := s.lookupView(r, rt)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.configJSON(f, v), nil
}

// lookupView resolves the function and the qualifier given in the path or
// the query. The caller holds s.mu.
func (s *Server) lookupView(r *http.Request, rt *route) (*function, view, *apiError) {
	f, ref, err := s.lookupQualified(r, rt)
	if err != nil {
		return nil, view{}, err
	}
	v, err := f.resolve(ref.qualifier)
	if err != nil {
		return nil, view{}, err
	}
	return f, v, nil
}

type getFunctionOutput struct {
	Configuration *configurationJSON
	Code          codeJSON
	Tags          map[string]string                             `json:",omitempty"`
	Concurrency   *struct{ ReservedConcurrentExecutions int32 } `json:",omitempty"`
}

// codeJSON is where a function's package is: an S3 download for zips, the
// registry for images.
type codeJSON struct {
	RepositoryType   string
	Location         string `json:",omitempty"`
	ImageUri         string `json:",omitempty"`
	ResolvedImageUri string `json:",omitempty"`
}

func handleGetFunction(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, v, err := s.lookupView(r, rt)
	if err != nil {
		return 0, nil, err
	}
	out := &getFunctionOutput{Configuration: s.configJSON(f, v), Tags: maps.Clone(f.tags)}
	if st := v.settings; st.PackageType == packageImage {
		out.Code = codeJSON{RepositoryType: "ECR", ImageUri: st.ImageUri, ResolvedImageUri: st.ResolvedImageUri}
	} else {
		out.Code = codeJSON{RepositoryType: "S3", Location: s.codeLocation(r, f, st, s.now())}
	}
	if f.reserved != nil {
		out.Concurrency = &struct{ ReservedConcurrentExecutions int32 }{*f.reserved}
	}
	return http.StatusOK, out, nil
}

// maxListPage is the most ListFunctions and ListVersionsByFunction return
// in one page, whatever MaxItems asks.
const maxListPage = 50

func handleListFunctions(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	allVersions := false
	switch fv := r.URL.Query().Get("FunctionVersion"); fv {
	case "":
	case "ALL":
		allVersions = true
	default:
		var v violations
		v.add(fv, "functionVersion", "Member must satisfy enum value set: [ALL]")
		return 0, nil, v.err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var fns []*function
	for key, f := range s.functions {
		if key.region == rt.region {
			fns = append(fns, f)
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].key.name < fns[j].key.name })
	var all []*configurationJSON
	for _, f := range fns {
		s.settle(f, now)
		if !allVersions {
			all = append(all, listed(s.configJSON(f, f.latestView(""))))
			continue
		}
		all = append(all, listed(s.configJSON(f, f.latestView(latestLabel))))
		for _, v := range f.sortedVersions() {
			all = append(all, listed(s.configJSON(f, v.view())))
		}
	}
	page, next, err := paginate(all, r, maxListPage)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &struct {
		Functions  []*configurationJSON
		NextMarker *string `json:",omitempty"`
	}{page, next}, nil
}

// listed is a configuration as ListFunctions shows it: AWS leaves out the
// state, update status and runtime version (GetFunction has them).
func listed(c *configurationJSON) *configurationJSON {
	c.State, c.StateReason, c.StateReasonCode = "", "", ""
	c.LastUpdateStatus, c.LastUpdateStatusReason, c.LastUpdateStatusReasonCode = "", "", ""
	c.RuntimeVersionConfig = nil
	return c
}

func handleUpdateFunctionConfiguration(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in functionInput
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Architectures != nil {
		return 0, nil, errInvalidParameter("Architectures can only be changed with UpdateFunctionCode.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupUnqualified(rt)
	if err != nil {
		return 0, nil, err
	}
	next := *f.latest
	if err := applyConfig(&next, &in, s.opts.MemoryQuota); err != nil {
		return 0, nil, err
	}
	if err := applyKinds(&next, &in, false); err != nil {
		return 0, nil, err
	}
	if err := f.checkChangeable(in.RevisionId); err != nil {
		return 0, nil, err
	}
	if next.Capacity != f.latest.Capacity || next.MemorySize != f.latest.MemorySize {
		if err := s.checkProvider(&next); err != nil {
			return 0, nil, err
		}
	}
	s.startUpdate(f, next.withDerived(), s.now())
	return http.StatusOK, s.configJSON(f, f.latestView("")), nil
}

// checkChangeable refuses changes while $LATEST is busy or when the caller's
// RevisionId is stale.
func (f *function) checkChangeable(revisionID string) *apiError {
	if err := f.busy(); err != nil {
		return err
	}
	if revisionID != "" && revisionID != f.status.RevisionID {
		return errPrecondition()
	}
	return nil
}

func handleUpdateFunctionCode(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in codeUpdateInput
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupUnqualified(rt)
	if err != nil {
		return 0, nil, err
	}
	next := *f.latest
	var v violations
	if err := applyArchitectures(&next, in.Architectures, &v); err != nil {
		return 0, nil, err
	}
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	if err := s.applyCode(&next, &in.codeInput, f.latest.PackageType); err != nil {
		return 0, nil, err
	}
	if err := f.checkChangeable(in.RevisionId); err != nil {
		return 0, nil, err
	}
	if in.DryRun {
		return http.StatusOK, s.configJSON(f, view{version: latestLabel, settings: &next, status: &f.status}), nil
	}
	now := s.now()
	s.startUpdate(f, next.withDerived(), now)
	return http.StatusOK, s.changedJSON(f, in.Publish, now), nil
}

func handleDeleteFunction(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ref, err := s.lookupQualified(r, rt)
	if err != nil {
		return 0, nil, err
	}
	if ref.qualifier == "" {
		s.reserve(f, nil)
		delete(s.functions, f.key)
		return http.StatusNoContent, nil, nil
	}
	if err := s.deleteVersion(f, ref.qualifier); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// paginate serves Marker/MaxItems the way list operations do; the marker is
// an opaque position. pageCap, when not 0, bounds a page whatever MaxItems says.
func paginate[T any](all []T, r *http.Request, pageCap int) ([]T, *string, *apiError) {
	q := r.URL.Query()
	start := 0
	if m := q.Get("Marker"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 || n > len(all) {
			return nil, nil, errInvalidParameter("Invalid marker: %s", m)
		}
		start = n
	}
	limit := 50
	if m := q.Get("MaxItems"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > 10000 {
			var v violations
			v.add(m, "maxItems", "Member must have value between 1 and 10000")
			return nil, nil, v.err()
		}
		limit = n
	}
	if pageCap > 0 {
		limit = min(limit, pageCap)
	}
	end := min(start+limit, len(all))
	page := all[start:end]
	if page == nil {
		page = []T{}
	}
	if end < len(all) {
		next := strconv.Itoa(end)
		return page, &next, nil
	}
	return page, nil, nil
}
