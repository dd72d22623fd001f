package lambdasim

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Tags belong to the function, never to a version or an alias; the
// resource is the function's unqualified ARN.

const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256

	// taggablePattern is AWS's text for the ARNs tag operations accept.
	taggablePattern = `arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`
	// tagTextPattern is what tag keys and values may contain, in AWS's words.
	tagTextPattern = `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`
)

var (
	taggableARN = regexp.MustCompile(`^(?:` + taggablePattern + `)$`)
	tagText     = regexp.MustCompile(tagTextPattern)
)

// checkTags applies AWS's limits to the tags a function would have after
// adding add to existing. Lengths are in characters, as AWS counts them.
func checkTags(existing, add map[string]string) *apiError {
	var badKey, badValue bool
	for k, v := range add {
		if n := utf8.RuneCountInString(k); n < 1 || n > maxTagKeyLen || !tagText.MatchString(k) {
			badKey = true
		}
		if utf8.RuneCountInString(v) > maxTagValueLen || !tagText.MatchString(v) {
			badValue = true
		}
	}
	var v violations
	if badKey {
		v.add(javaMap(add), "tags", "Map keys must satisfy constraint: [Member must have length less than or equal to 128, "+
			"Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: "+tagTextPattern+"]")
	}
	if badValue {
		v.add(javaMap(add), "tags", "Map value must satisfy constraint: [Member must have length less than or equal to 256, "+
			"Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: "+tagTextPattern+"]")
	}
	if err := v.err(); err != nil {
		return err
	}
	total := len(existing)
	for k := range add {
		if _, ok := existing[k]; !ok {
			total++
		}
	}
	if total > maxTags {
		return errInvalidParameter("Number of tags exceeds resource tag limit.")
	}
	return nil
}

// javaMap prints a map the way AWS's validation messages do:
// "{k1=v1, k2=v2}" (sorted here; AWS's order is its hash map's).
func javaMap(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+"="+m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// lookupTagged finds the function a tag operation's ARN names. The caller
// holds s.mu.
func (s *Server) lookupTagged(rt *route) (*function, *apiError) {
	arn := rt.resource
	if !taggableARN.MatchString(arn) {
		var v violations
		v.add(arn, "resource", "Member must satisfy regular expression pattern: "+taggablePattern)
		return nil, v.err()
	}
	parts := strings.Split(arn, ":")
	region, account, kind := parts[3], parts[4], parts[5]
	if kind != "function" {
		// The emulator has no layers, code signing configs or mappings.
		return nil, errNotFound("The resource you requested does not exist.")
	}
	if len(parts) > 7 {
		return nil, errInvalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.")
	}
	f := s.functions[functionKey{region, parts[6]}]
	if f == nil || account != s.opts.AccountID {
		return nil, errFunctionNotFound(arn)
	}
	return f, nil
}

func handleListTags(s *Server, _ *http.Request, rt *route) (int, any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupTagged(rt)
	if err != nil {
		return 0, nil, err
	}
	tags := maps.Clone(f.tags)
	if tags == nil {
		tags = map[string]string{}
	}
	return http.StatusOK, &struct{ Tags map[string]string }{tags}, nil
}

func handleTagResource(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	var in struct{ Tags map[string]string }
	if err := decodeBody(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Tags == nil {
		return 0, nil, errValidation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupTagged(rt)
	if err != nil {
		return 0, nil, err
	}
	if err := checkTags(f.tags, in.Tags); err != nil {
		return 0, nil, err
	}
	if f.tags == nil {
		f.tags = make(map[string]string, len(in.Tags))
	}
	maps.Copy(f.tags, in.Tags)
	return http.StatusNoContent, nil, nil
}

func handleUntagResource(s *Server, r *http.Request, rt *route) (int, any, *apiError) {
	keys, given := r.URL.Query()["tagKeys"]
	if !given {
		return 0, nil, errValidation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookupTagged(rt)
	if err != nil {
		return 0, nil, err
	}
	for _, k := range keys {
		delete(f.tags, k)
	}
	return http.StatusNoContent, nil, nil
}
