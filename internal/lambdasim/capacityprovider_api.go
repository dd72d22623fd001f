package lambdasim

import (
	"net/http"
	"sort"
	"strings"
)

// The capacity-provider operations, under /2025-11-30/capacity-providers.

type providerOutput struct {
	CapacityProvider providerJSON
}

func handleCreateCapacityProvider(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in providerInput
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.createProvider(rt.region, &in, s.jittered(s.opts.CapacityProviderDelay))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, &providerOutput{p.doc}, nil
}

func handleGetCapacityProvider(s *Server, _ *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.lookupProvider(rt)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &providerOutput{p.doc}, nil
}

func handleListCapacityProviders(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	state := r.URL.Query().Get("State")
	if state != "" && !oneOf(state, providerPending, providerActive, "Failed", providerDeleting) {
		var v violations
		v.add(state, "state", "Member must satisfy enum value set: [Pending, Active, Failed, Deleting]")
		return 0, nil, v.err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	all := []providerJSON{}
	for key, p := range s.providers {
		p.settle(now)
		if key.region == rt.region && (state == "" || p.doc.State == state) {
			all = append(all, p.doc)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].CapacityProviderArn < all[j].CapacityProviderArn })
	page, next, err := paginate(all, r, maxListPage)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &struct {
		CapacityProviders []providerJSON
		NextMarker        *string `json:",omitempty"`
	}{page, next}, nil
}

// handleUpdateCapacityProvider changes the scaling configuration, the one
// setting of a provider that matters to the emulator; tag propagation and
// telemetry are kept as given.
func handleUpdateCapacityProvider(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in providerInput
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	var v violations
	checkScaling(in.CapacityProviderScalingConfig, &v)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.lookupProvider(rt)
	if err != nil {
		return 0, nil, err
	}
	doc := p.doc
	if sc := in.CapacityProviderScalingConfig; sc != nil {
		scaling := *doc.CapacityProviderScalingConfig
		if sc.MaxVCpuCount != nil {
			scaling.MaxVCpuCount = ptr(*sc.MaxVCpuCount)
		}
		if sc.ScalingMode != "" {
			scaling.ScalingMode = sc.ScalingMode
		}
		if sc.ScalingPolicies != nil {
			scaling.ScalingPolicies = sc.ScalingPolicies
		}
		doc.CapacityProviderScalingConfig = &scaling
	}
	if in.PropagateTags != nil {
		doc.PropagateTags = in.PropagateTags
	}
	if in.TelemetryConfig != nil {
		doc.TelemetryConfig = in.TelemetryConfig
	}
	doc.LastModified = lastModified(s.now())
	p.doc = doc
	return http.StatusOK, &providerOutput{p.doc}, nil
}

// handleDeleteCapacityProvider refuses while any function version runs on
// the provider, as AWS does; otherwise the provider is gone at once and
// the answer shows it Deleting.
func handleDeleteCapacityProvider(s *Server, _ *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.lookupProvider(rt)
	if err != nil {
		return 0, nil, err
	}
	if users := s.providerUsers(p); len(users) > 0 {
		return 0, nil, errConflict("Capacity provider %s cannot be deleted while function versions use it: [%s]",
			p.doc.CapacityProviderArn, strings.Join(functionARNs(users), ", "))
	}
	delete(s.providers, p.key)
	doc := p.doc
	doc.State = providerDeleting
	return http.StatusAccepted, &providerOutput{doc}, nil
}

type providerUserJSON struct {
	FunctionArn string
	State       string
}

func handleListFunctionVersionsByCapacityProvider(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.lookupProvider(rt)
	if err != nil {
		return 0, nil, err
	}
	page, next, err := paginate(s.providerUsers(p), r, maxListPage)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &struct {
		CapacityProviderArn string
		FunctionVersions    []providerUserJSON
		NextMarker          *string `json:",omitempty"`
	}{p.doc.CapacityProviderArn, page, next}, nil
}

func functionARNs(users []providerUserJSON) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.FunctionArn
	}
	return out
}

// lookupProvider finds the provider a path names, by name or ARN, with
// its state brought up to date. The caller holds s.mu.
func (s *Server) lookupProvider(rt *route) (*capacityProvider, *apiError) {
	name, region := rt.provider, rt.region
	if strings.HasPrefix(name, "arn:") {
		parts := strings.Split(name, ":")
		if !capacityProviderARN.MatchString(name) || len(parts) != 7 {
			var v violations
			v.add(name, "capacityProviderName", "Member must satisfy regular expression pattern: "+providerNamePattern)
			return nil, v.err()
		}
		if parts[3] != rt.region || parts[4] != s.opts.AccountID {
			return nil, errNotFound("Capacity provider not found: %s", name)
		}
		name = parts[6]
	}
	key := providerKey{region, name}
	p := s.providers[key]
	if p == nil {
		return nil, errNotFound("Capacity provider not found: %s", s.providerARN(key))
	}
	p.settle(s.now())
	return p, nil
}

// providerUsers lists the function versions ($LATEST included) configured
// to run on p, sorted by function and version. The caller holds s.mu.
func (s *Server) providerUsers(p *capacityProvider) []providerUserJSON {
	arn := p.doc.CapacityProviderArn
	var fns []*function
	for key, f := range s.functions {
		if key.region == p.key.region {
			fns = append(fns, f)
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].key.name < fns[j].key.name })
	out := []providerUserJSON{}
	now := s.now()
	for _, f := range fns {
		s.settle(f, now)
		if f.latest.Capacity.arn == arn {
			out = append(out, providerUserJSON{f.qualifiedARN(latestLabel), f.status.State})
		}
		for _, v := range f.sortedVersions() {
			if v.settings.Capacity.arn == arn {
				out = append(out, providerUserJSON{f.qualifiedARN(v.number), v.status.State})
			}
		}
	}
	return out
}
