package lambdasim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// jsonHandler serves one REST-JSON control-plane operation: it returns the
// success status and body, or an AWS error.
type jsonHandler func(s *Server, r *http.Request, rt *route) (int, any, *apiError)

func (h jsonHandler) serve(s *Server, w http.ResponseWriter, r *http.Request, rt *route) {
	if r.ContentLength > maxControlBody {
		errTooLarge(rt.op).write(w)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxControlBody)
	status, body, err := h(s, r, rt)
	if err == errBodyTooLarge {
		err = errTooLarge(rt.op)
	}
	if err != nil {
		err.write(w)
		return
	}
	if body == nil {
		w.WriteHeader(status)
		return
	}
	out, mErr := json.Marshal(body)
	if mErr != nil {
		(&apiError{status: http.StatusInternalServerError, code: "ServiceException", message: mErr.Error()}).write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// maxControlBody is AWS's limit on a control-plane request: CreateFunction
// and UpdateFunctionCode carry up to a 50 MB zip, base64.
const maxControlBody = 70167211

// errBodyTooLarge stands for errTooLarge until the operation is known.
var errBodyTooLarge = &apiError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLargeException"}

func errTooLarge(op string) *apiError {
	return &apiError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLargeException",
		message: "Request must be smaller than " + strconv.Itoa(maxControlBody) + " bytes for the " + op + " operation"}
}

// decodeBody reads a JSON request body into dst; an empty body leaves dst alone.
func decodeBody(r *http.Request, dst any) *apiError {
	data, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errBodyTooLarge
	}
	if err != nil {
		return errBadJSON(err.Error())
	}
	if len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return errValidation("1 validation error detected: Value at '" + typeErr.Field + "' failed to satisfy constraint: Member must be of type " + typeErr.Type.String())
		}
		return errBadJSON(err.Error())
	}
	return nil
}

// lastModified is AWS's LastModified format.
func lastModified(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000-0700")
}

// Request shapes. Pointers tell "absent" from "zero".

type functionInput struct {
	FunctionName     string
	Runtime          *string
	Role             *string
	Handler          *string
	Description      *string
	Timeout          *int32
	MemorySize       *int32
	Environment      *environmentJSON
	Architectures    []string
	LoggingConfig    *loggingJSON
	SnapStart        *struct{ ApplyOn string }
	EphemeralStorage *struct{ Size int32 }
	TracingConfig    *struct{ Mode string }
	PackageType      string
	Code             *codeInput
	Tags             map[string]string
	Publish          bool
	RevisionId       string

	TenancyConfig          *tenancyJSON
	DurableConfig          *durableJSON
	CapacityProviderConfig *capacityProviderJSON
}

type codeInput struct {
	ZipFile  []byte
	S3Bucket string
	S3Key    string
	ImageUri string
}

type codeUpdateInput struct {
	codeInput
	Architectures []string
	Publish       bool
	DryRun        bool
	RevisionId    string
}

type publishInput struct {
	CodeSha256  string
	Description *string
	RevisionId  string
}

type aliasInput struct {
	Name            string
	FunctionVersion string
	Description     *string
	RoutingConfig   *routingJSON
	RevisionId      string
}

// Response shapes, with the member names the SDK reads.

type environmentJSON struct {
	Variables map[string]string
}

type loggingJSON struct {
	LogFormat           string
	ApplicationLogLevel string `json:",omitempty"`
	SystemLogLevel      string `json:",omitempty"`
	LogGroup            string `json:",omitempty"`
}

type routingJSON struct {
	AdditionalVersionWeights map[string]float64
}

type configurationJSON struct {
	FunctionName               string
	FunctionArn                string
	Runtime                    string `json:",omitempty"`
	Role                       string
	Handler                    string `json:",omitempty"`
	CodeSize                   int64
	Description                string
	Timeout                    int32
	MemorySize                 int32
	LastModified               string
	CodeSha256                 string
	Version                    string
	Environment                *environmentJSON `json:",omitempty"`
	TracingConfig              struct{ Mode string }
	RevisionId                 string
	State                      string `json:",omitempty"` // always set but in ListFunctions
	StateReason                string `json:",omitempty"`
	StateReasonCode            string `json:",omitempty"`
	LastUpdateStatus           string `json:",omitempty"` // always set but in ListFunctions
	LastUpdateStatusReason     string `json:",omitempty"`
	LastUpdateStatusReasonCode string `json:",omitempty"`
	PackageType                string
	Architectures              []string
	EphemeralStorage           struct{ Size int32 }
	SnapStart                  struct{ ApplyOn, OptimizationStatus string }
	RuntimeVersionConfig       *struct{ RuntimeVersionArn string } `json:",omitempty"`
	LoggingConfig              loggingJSON
	TenancyConfig              *tenancyJSON          `json:",omitempty"`
	DurableConfig              *durableJSON          `json:",omitempty"`
	CapacityProviderConfig     *capacityProviderJSON `json:",omitempty"`
}

type aliasJSON struct {
	AliasArn        string
	Name            string
	FunctionVersion string
	Description     string
	RevisionId      string
	RoutingConfig   *routingJSON `json:",omitempty"`
}

// configJSON renders one view of a function's configuration.
func (s *Server) configJSON(f *function, v view) *configurationJSON {
	st := v.settings
	c := &configurationJSON{
		FunctionName:               f.key.name,
		FunctionArn:                f.arn,
		Runtime:                    st.Runtime,
		Role:                       st.Role,
		Handler:                    st.Handler,
		CodeSize:                   st.CodeSize,
		Description:                st.Description,
		Timeout:                    st.Timeout,
		MemorySize:                 st.MemorySize,
		LastModified:               lastModified(v.status.LastModified),
		CodeSha256:                 st.CodeSha256,
		Version:                    v.version,
		RevisionId:                 v.status.RevisionID,
		State:                      v.status.State,
		StateReason:                v.status.StateReason,
		StateReasonCode:            v.status.StateReasonCode,
		LastUpdateStatus:           v.status.LastUpdateStatus,
		LastUpdateStatusReason:     v.status.LastUpdateReason,
		LastUpdateStatusReasonCode: v.status.LastUpdateCode,
		PackageType:                st.PackageType,
		Architectures:              []string{st.Architecture},
		LoggingConfig: loggingJSON{
			LogFormat:           st.LogFormat,
			ApplicationLogLevel: st.AppLogLevel,
			SystemLogLevel:      st.SystemLogLevel,
			LogGroup:            st.LogGroup,
		},
	}
	if v.arnQualifier != "" {
		c.FunctionArn = f.qualifiedARN(v.arnQualifier)
	}
	if len(st.Environment) > 0 {
		c.Environment = &environmentJSON{Variables: st.Environment}
	}
	c.TracingConfig.Mode = st.TracingMode
	c.EphemeralStorage.Size = st.EphemeralStorage
	c.SnapStart.ApplyOn = st.SnapStartApplyOn
	c.SnapStart.OptimizationStatus = "Off"
	if st.SnapStartApplyOn == snapStartPublished && v.version != latestLabel {
		c.SnapStart.OptimizationStatus = "On"
	}
	kindsJSON(c, st)
	if st.Runtime != "" {
		_, arn := runtimeVersion(st.Runtime, f.key.region)
		c.RuntimeVersionConfig = &struct{ RuntimeVersionArn string }{arn}
	}
	return c
}

func (s *Server) aliasJSON(f *function, a *alias) *aliasJSON {
	out := &aliasJSON{
		AliasArn:        f.qualifiedARN(a.name),
		Name:            a.name,
		FunctionVersion: a.version,
		Description:     a.description,
		RevisionId:      a.revisionID,
	}
	if len(a.weights) > 0 {
		out.RoutingConfig = &routingJSON{AdditionalVersionWeights: a.weights}
	}
	return out
}
