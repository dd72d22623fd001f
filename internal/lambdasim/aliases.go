package lambdasim

import (
	"fmt"
	"maps"
	"net/http"
	"sort"
)

const versionPattern = `(\$LATEST|[0-9]+)`

// checkAliasTarget validates a FunctionVersion and routing weights and
// checks that every version they name exists.
func (f *function) checkAliasTarget(ver string, routing *routingJSON) *apiError {
	var v violations
	if ver != latestLabel && !isVersionNumber(ver) {
		v.add(ver, "functionVersion", "Member must satisfy regular expression pattern: "+versionPattern)
	}
	if routing != nil {
		for n, w := range routing.AdditionalVersionWeights {
			if w < 0 || w > 1 {
				v.add(fmt.Sprint(w), "routingConfig.additionalVersionWeights", "Member must have value between 0.0 and 1.0")
			}
			if !isVersionNumber(n) {
				v.add(n, "routingConfig.additionalVersionWeights", "Member must satisfy regular expression pattern: [0-9]+")
			}
		}
	}
	if err := v.err(); err != nil {
		return err
	}
	if ver != latestLabel && f.versions[ver] == nil {
		return errFunctionNotFound(f.qualifiedARN(ver))
	}
	if routing != nil {
		for n := range routing.AdditionalVersionWeights {
			if f.versions[n] == nil {
				return errFunctionNotFound(f.qualifiedARN(n))
			}
		}
	}
	return nil
}

func handleCreateAlias(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in aliasInput
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	var v violations
	v.checkAliasName(in.Name)
	v.checkDescription(in.Description)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupUnqualified(rt)
	if err != nil {
		return 0, nil, err
	}
	if f.aliases[in.Name] != nil {
		return 0, nil, errConflict("Alias already exists: %s", f.qualifiedARN(in.Name))
	}
	if err := f.checkAliasTarget(in.FunctionVersion, in.RoutingConfig); err != nil {
		return 0, nil, err
	}
	a := &alias{name: in.Name, version: in.FunctionVersion, revisionID: s.ids.uuid()}
	a.applyOptional(&in)
	f.aliases[in.Name] = a
	return http.StatusCreated, s.aliasJSON(f, a), nil
}

// applyOptional copies the optional members the request carries.
func (a *alias) applyOptional(in *aliasInput) {
	if in.Description != nil {
		a.description = *in.Description
	}
	if in.RoutingConfig != nil {
		a.weights = maps.Clone(in.RoutingConfig.AdditionalVersionWeights)
	}
}

// lookupAlias finds the function and checks the alias name label.
func (s *Server) lookupAlias(rt *route) (*function, *apiError) {
	var v violations
	v.checkAliasName(rt.alias)
	if err := v.err(); err != nil {
		return nil, err
	}
	return s.lookupUnqualified(rt)
}

// lookupExistingAlias is lookupAlias for operations on an alias that must
// exist; notFound is the operation's own 404 text for the alias ARN.
func (s *Server) lookupExistingAlias(rt *route, notFound string) (*function, *alias, *apiError) {
	f, err := s.lookupAlias(rt)
	if err != nil {
		return nil, nil, err
	}
	a := f.aliases[rt.alias]
	if a == nil {
		return nil, nil, errNotFound(notFound, f.qualifiedARN(rt.alias))
	}
	return f, a, nil
}

func handleGetAlias(s *Server, _ *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, a, err := s.lookupExistingAlias(rt, "Cannot find alias arn: %s")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.aliasJSON(f, a), nil
}

func handleUpdateAlias(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in aliasInput
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	var v violations
	v.checkDescription(in.Description)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, a, err := s.lookupExistingAlias(rt, "Alias not found: %s")
	if err != nil {
		return 0, nil, err
	}
	if in.RevisionId != "" && in.RevisionId != a.revisionID {
		return 0, nil, errPrecondition()
	}
	target := a.version
	if in.FunctionVersion != "" {
		target = in.FunctionVersion
	}
	if err := f.checkAliasTarget(target, in.RoutingConfig); err != nil {
		return 0, nil, err
	}
	updated := *a
	updated.version = target
	updated.applyOptional(&in)
	updated.revisionID = s.ids.uuid()
	f.aliases[rt.alias] = &updated
	return http.StatusOK, s.aliasJSON(f, &updated), nil
}

func handleDeleteAlias(s *Server, _ *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupAlias(rt)
	if err != nil {
		return 0, nil, err
	}
	delete(f.aliases, rt.alias)
	return http.StatusNoContent, nil, nil
}

func handleListAliases(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupUnqualified(rt)
	if err != nil {
		return 0, nil, err
	}
	only := r.URL.Query().Get("FunctionVersion")
	names := make([]string, 0, len(f.aliases))
	for name, a := range f.aliases {
		if only == "" || a.version == only {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	all := make([]*aliasJSON, len(names))
	for i, name := range names {
		all[i] = s.aliasJSON(f, f.aliases[name])
	}
	page, next, err := paginate(all, r, 0)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &struct {
		Aliases    []*aliasJSON
		NextMarker *string `json:",omitempty"`
	}{page, next}, nil
}
