package lambdasim

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// CloudWatch Logs, as far as the tuner's copies need it: a function's log
// group appears on its first invocation, as Lambda creates it, and
// DeleteLogGroup and DescribeLogGroups answer as AWS does (JSON 1.1,
// X-Amz-Target: Logs_20140328.<Operation>, POST /).

// logsTargetPrefix starts the X-Amz-Target of every CloudWatch Logs call.
const logsTargetPrefix = "Logs_20140328."

// logGroupKey is a log group: they are per Region.
type logGroupKey struct{ region, name string }

// routeLogs takes a CloudWatch Logs call apart; ok is false for any other
// request.
func routeLogs(rt *route, r *http.Request) bool {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), logsTargetPrefix)
	if !ok || r.Method != http.MethodPost {
		return false
	}
	rt.op, rt.logs = op, true
	switch op {
	case "DeleteLogGroup":
		rt.serve = handleLogs(handleDeleteLogGroup)
	case "DescribeLogGroups":
		rt.serve = handleLogs(handleDescribeLogGroups)
	default:
		rt.serve = func(_ *Server, w http.ResponseWriter, _ *http.Request, _ *route) {
			writeLogsError(w, &apiError{status: http.StatusBadRequest, code: "UnknownOperationException", message: "The action or operation requested is not supported: " + op})
		}
	}
	return true
}

// logsHandler answers a JSON 1.1 request body with a result or an error.
type logsHandler func(s *Server, body []byte, region string) (any, *apiError)

func handleLogs(h logsHandler) func(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	return func(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeLogsError(w, &apiError{status: http.StatusBadRequest, code: "SerializationException", message: err.Error()})
			return
		}
		out, apiErr := h(s, body, rt.region)
		if apiErr != nil {
			writeLogsError(w, apiErr)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if out == nil {
			w.WriteHeader(http.StatusOK) // DeleteLogGroup: 200, empty body
			return
		}
		data, _ := json.Marshal(out)
		_, _ = w.Write(data)
	}
}

// writeLogsError is a JSON 1.1 error: the code in __type and in the
// X-Amzn-ErrorType header, status 400 for every client error.
func writeLogsError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", e.code)
	w.WriteHeader(e.status)
	data, _ := json.Marshal(map[string]string{"__type": e.code, "message": e.message})
	_, _ = w.Write(data)
}

func errLogGroupNotFound() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "ResourceNotFoundException", message: "The specified log group does not exist."}
}

func handleDeleteLogGroup(s *Server, body []byte, region string) (any, *apiError) {
	var in struct {
		LogGroupName string `json:"logGroupName"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, &apiError{status: http.StatusBadRequest, code: "SerializationException", message: err.Error()}
	}
	if in.LogGroupName == "" {
		return nil, &apiError{status: http.StatusBadRequest, code: "ValidationException",
			message: "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := logGroupKey{region, in.LogGroupName}
	if _, ok := s.logGroups[key]; !ok {
		return nil, errLogGroupNotFound()
	}
	delete(s.logGroups, key)
	return nil, nil
}

type logGroupJSON struct {
	LogGroupName string `json:"logGroupName"`
	CreationTime int64  `json:"creationTime"`
	Arn          string `json:"arn"`
	LogGroupArn  string `json:"logGroupArn"`
	StoredBytes  int64  `json:"storedBytes"`
}

// handleDescribeLogGroups lists the groups with a name prefix, all on one
// page (the emulator holds few).
func handleDescribeLogGroups(s *Server, body []byte, region string) (any, *apiError) {
	var in struct {
		LogGroupNamePrefix string `json:"logGroupNamePrefix"`
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, &apiError{status: http.StatusBadRequest, code: "SerializationException", message: err.Error()}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	groups := []logGroupJSON{}
	for _, name := range s.logGroupNames(region) {
		if !strings.HasPrefix(name, in.LogGroupNamePrefix) {
			continue
		}
		arn := "arn:" + partition(region) + ":logs:" + region + ":" + s.opts.AccountID + ":log-group:" + name
		groups = append(groups, logGroupJSON{LogGroupName: name, CreationTime: s.logGroups[logGroupKey{region, name}], Arn: arn + ":*", LogGroupArn: arn})
	}
	return struct {
		LogGroups []logGroupJSON `json:"logGroups"`
	}{groups}, nil
}

// logGroupNames are a Region's groups, sorted. The caller holds s.mu.
func (s *Server) logGroupNames(region string) []string {
	var names []string
	for k := range maps.Keys(s.logGroups) {
		if k.region == region {
			names = append(names, k.name)
		}
	}
	slices.Sort(names)
	return names
}

// ensureLogGroup creates a function's log group on its first invocation,
// as Lambda does. The caller holds s.mu.
func (s *Server) ensureLogGroup(region, name string) {
	key := logGroupKey{region, name}
	if _, ok := s.logGroups[key]; !ok {
		s.logGroups[key] = s.now().UnixMilli()
	}
}

// LogGroups are the log groups of a Region ("": the server's), sorted.
func (s *Server) LogGroups(region string) []string {
	if region == "" {
		region = s.opts.Region
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logGroupNames(region)
}

// isLogs reports whether the request is a CloudWatch Logs call.
func (rt *route) isLogs() bool { return rt.logs }
