package lambdasim

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// route is a request taken apart: the operation and its path labels.
type route struct {
	op     string
	region string // from the SigV4 scope, else the server's region
	fn     string // FunctionName label, decoded
	alias  string // alias Name label, decoded
	// resource is a tag operation's ARN label, decoded.
	resource string
	// provider is the CapacityProviderName label, decoded.
	provider string
	bucket   string
	key      string
	// requestID names the request in headers and, for Invoke, in the log.
	requestID string
	logs      bool // a CloudWatch Logs call
	call      int  // sequence number in the call log
	serve     func(s *Server, w http.ResponseWriter, r *http.Request, rt *route)
}

// lambdaPrefixes are the API versions Lambda paths start with (every one
// in the SDK's model, so that operations not emulated answer
// UnknownOperationException); any other path is S3, path-style.
var lambdaPrefixes = map[string]bool{
	"2014-11-13": true,
	"2015-03-31": true,
	"2016-08-19": true,
	"2017-03-31": true,
	"2017-10-31": true,
	"2018-10-31": true,
	"2019-09-25": true,
	"2019-09-30": true,
	"2020-04-22": true,
	"2020-06-30": true,
	"2021-07-20": true,
	"2021-10-31": true,
	"2021-11-15": true,
	"2024-08-31": true,
	"2025-11-30": true,
	"2025-12-01": true,
	"2026-07-09": true,
}

func routeRequest(r *http.Request, defaultRegion string) *route {
	rt := &route{region: regionFromAuthorization(r.Header.Get("Authorization"))}
	if rt.region == "" {
		rt.region = defaultRegion
	}
	if routeLogs(rt, r) {
		return rt
	}
	raw := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	first, rest, _ := strings.Cut(raw, "/")
	if lambdaPrefixes[first] {
		routeLambda(rt, r.Method, first, rest)
	} else {
		routeS3(rt, r.Method, raw)
	}
	return rt
}

// lambdaRoutes maps "version method shape" to an operation; in shapes, F
// stands for the FunctionName label, A for the alias Name label, R for
// a tag operation's resource ARN and P for a CapacityProviderName.
var lambdaRoutes = map[string]struct {
	op      string
	handler jsonHandler
}{
	"2015-03-31 POST functions":                 {"CreateFunction", handleCreateFunction},
	"2015-03-31 GET functions":                  {"ListFunctions", handleListFunctions},
	"2015-03-31 GET functions/F":                {"GetFunction", handleGetFunction},
	"2015-03-31 DELETE functions/F":             {"DeleteFunction", handleDeleteFunction},
	"2015-03-31 GET functions/F/configuration":  {"GetFunctionConfiguration", handleGetFunctionConfiguration},
	"2015-03-31 PUT functions/F/configuration":  {"UpdateFunctionConfiguration", handleUpdateFunctionConfiguration},
	"2015-03-31 PUT functions/F/code":           {"UpdateFunctionCode", handleUpdateFunctionCode},
	"2015-03-31 POST functions/F/versions":      {"PublishVersion", handlePublishVersion},
	"2015-03-31 GET functions/F/versions":       {"ListVersionsByFunction", handleListVersions},
	"2015-03-31 POST functions/F/aliases":       {"CreateAlias", handleCreateAlias},
	"2015-03-31 GET functions/F/aliases":        {"ListAliases", handleListAliases},
	"2015-03-31 GET functions/F/aliases/A":      {"GetAlias", handleGetAlias},
	"2015-03-31 PUT functions/F/aliases/A":      {"UpdateAlias", handleUpdateAlias},
	"2015-03-31 DELETE functions/F/aliases/A":   {"DeleteAlias", handleDeleteAlias},
	"2017-10-31 PUT functions/F/concurrency":    {"PutFunctionConcurrency", handlePutFunctionConcurrency},
	"2017-10-31 DELETE functions/F/concurrency": {"DeleteFunctionConcurrency", handleDeleteFunctionConcurrency},
	"2019-09-30 GET functions/F/concurrency":    {"GetFunctionConcurrency", handleGetFunctionConcurrency},
	"2016-08-19 GET account-settings":           {"GetAccountSettings", handleGetAccountSettings},
	"2017-03-31 GET tags/R":                     {"ListTags", handleListTags},
	"2017-03-31 POST tags/R":                    {"TagResource", handleTagResource},
	"2017-03-31 DELETE tags/R":                  {"UntagResource", handleUntagResource},

	"2025-11-30 POST capacity-providers":                    {"CreateCapacityProvider", handleCreateCapacityProvider},
	"2025-11-30 GET capacity-providers":                     {"ListCapacityProviders", handleListCapacityProviders},
	"2025-11-30 GET capacity-providers/P":                   {"GetCapacityProvider", handleGetCapacityProvider},
	"2025-11-30 PUT capacity-providers/P":                   {"UpdateCapacityProvider", handleUpdateCapacityProvider},
	"2025-11-30 DELETE capacity-providers/P":                {"DeleteCapacityProvider", handleDeleteCapacityProvider},
	"2025-11-30 GET capacity-providers/P/function-versions": {"ListFunctionVersionsByCapacityProvider", handleListFunctionVersionsByCapacityProvider},
}

// functionName is the function a request names, without qualifier, for the
// call log; "" when it names none (or names it unreadably).
func (rt *route) functionName() string {
	label := rt.fn
	if label == "" {
		label = rt.resource
	}
	if label == "" {
		return ""
	}
	ref, err := parseFunctionRef(label)
	if err != nil {
		return label
	}
	return ref.name
}

func routeLambda(rt *route, method, apiVersion, rest string) {
	segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	shape := slices.Clone(segs)
	if len(segs) >= 2 && segs[0] == "functions" {
		rt.fn = unescape(segs[1])
		shape[1] = "F"
		if len(segs) == 4 && segs[2] == "aliases" {
			rt.alias = unescape(segs[3])
			shape[3] = "A"
		}
	}
	if len(segs) >= 2 && segs[0] == "capacity-providers" {
		rt.provider = unescape(segs[1])
		shape[1] = "P"
	}
	if len(segs) == 2 && segs[0] == "tags" {
		rt.resource = unescape(segs[1])
		shape[1] = "R"
	}
	key := apiVersion + " " + method + " " + strings.Join(shape, "/")
	if key == "2015-03-31 POST functions/F/invocations" {
		rt.op, rt.serve = "Invoke", handleInvoke
		return
	}
	if key == "2021-11-15 POST functions/F/response-streaming-invocations" {
		rt.op, rt.serve = "InvokeWithResponseStream", handleInvokeStream
		return
	}
	if h, ok := lambdaRoutes[key]; ok {
		rt.op, rt.serve = h.op, h.handler.serve
		return
	}
	rt.op = "UnknownOperation"
	rt.serve = func(_ *Server, w http.ResponseWriter, _ *http.Request, _ *route) { errUnknownOperation().write(w) }
}

func routeS3(rt *route, method, raw string) {
	bucket, key, hasKey := strings.Cut(raw, "/")
	rt.bucket, rt.key = unescape(bucket), unescape(key)
	switch {
	case rt.bucket == "":
		rt.op = "ListBuckets"
	case !hasKey || rt.key == "":
		rt.op = map[string]string{http.MethodPut: "CreateBucket", http.MethodHead: "HeadBucket", http.MethodGet: "ListObjects", http.MethodDelete: "DeleteBucket"}[method]
	default:
		rt.op = map[string]string{http.MethodPut: "PutObject", http.MethodGet: "GetObject", http.MethodHead: "HeadObject", http.MethodDelete: "DeleteObject"}[method]
	}
	if rt.op == "" {
		rt.op = "UnknownS3Operation"
	}
	rt.serve = serveS3
	if isCodeBucket(rt.bucket) && (rt.op == "GetObject" || rt.op == "HeadObject") {
		rt.op, rt.serve = "GetFunctionCode", serveFunctionCode
	}
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// isS3 reports whether the request goes to the S3 emulation.
func (rt *route) isS3() bool { return rt.bucket != "" || rt.op == "ListBuckets" }
