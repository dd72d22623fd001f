package lambdasim

import "net/http"

const (
	latestLabel        = "$LATEST"
	snapStartPublished = "PublishedVersions"
)

// view is what a qualifier selects: the settings and status of $LATEST or a
// version, and how the answer names it.
type view struct {
	version      string // "$LATEST" or "N": whose settings these are
	arnQualifier string // suffix FunctionArn shows: "" (unqualified), "$LATEST", "N" or an alias
	settings     *settings
	status       *status
}

// latestView shows $LATEST; arnQualifier is "" (unqualified) or "$LATEST".
func (f *function) latestView(arnQualifier string) view {
	return view{version: latestLabel, arnQualifier: arnQualifier, settings: f.latest, status: &f.status}
}

// view shows a published version under its own number.
func (v *version) view() view {
	return view{version: v.number, arnQualifier: v.number, settings: v.settings, status: &v.status}
}

// lookup finds the function a FunctionName label names, with its state
// brought up to date. The caller holds s.mu.
func (s *Server) lookup(rt *route) (*function, functionRef, *apiError) {
	ref, err := parseFunctionRef(rt.fn)
	if err != nil {
		return nil, ref, err
	}
	if ref.region != "" && ref.region != rt.region {
		return nil, ref, errNotFound("Functions from '%s' are not reachable in this region ('%s')", ref.region, rt.region)
	}
	account := s.opts.AccountID
	if ref.account != "" {
		account = ref.account
	}
	f := s.functions[functionKey{rt.region, ref.name}]
	if f == nil || account != s.opts.AccountID {
		arn := functionARN(rt.region, account, ref.name)
		if ref.qualifier != "" {
			arn += ":" + ref.qualifier
		}
		return nil, ref, errFunctionNotFound(arn)
	}
	s.settle(f, s.now())
	return f, ref, nil
}

// lookupQualified is lookup with the ?Qualifier= value merged into the
// reference. The caller holds s.mu.
func (s *Server) lookupQualified(r *http.Request, rt *route) (*function, functionRef, *apiError) {
	f, ref, err := s.lookup(rt)
	if err != nil {
		return nil, ref, err
	}
	if ref, err = ref.withQueryQualifier(r.URL.Query().Get("Qualifier")); err != nil {
		return nil, ref, err
	}
	return f, ref, nil
}

// lookupUnqualified is lookup for operations on the function itself, which
// take no qualifier.
func (s *Server) lookupUnqualified(rt *route) (*function, *apiError) {
	f, ref, err := s.lookup(rt)
	if err != nil {
		return nil, err
	}
	if ref.qualifier != "" {
		return nil, errInvalidParameter("Unsupported function name: %s. Qualified function names are not supported for this operation.", rt.fn)
	}
	return f, nil
}

// resolve selects what a qualifier names: "" and "$LATEST" the latest
// settings, a number that version, anything else an alias's target. The
// control plane shows $LATEST's newest settings even during an update.
func (f *function) resolve(qualifier string) (view, *apiError) {
	switch {
	case qualifier == "" || qualifier == latestLabel:
		return f.latestView(qualifier), nil
	case isVersionNumber(qualifier):
		v := f.versions[qualifier]
		if v == nil {
			return view{}, errFunctionNotFound(f.qualifiedARN(qualifier))
		}
		return v.view(), nil
	}
	a := f.aliases[qualifier]
	if a == nil {
		return view{}, errFunctionNotFound(f.qualifiedARN(qualifier))
	}
	target, err := f.resolve(a.version)
	if err != nil {
		return view{}, errFunctionNotFound(f.qualifiedARN(qualifier))
	}
	target.arnQualifier = qualifier
	return target, nil
}
