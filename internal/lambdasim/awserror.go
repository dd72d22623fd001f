package lambdasim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// apiError is a Lambda error answer: status, X-Amzn-ErrorType and body.
type apiError struct {
	status  int
	code    string
	message string
	reason  string // TooManyRequestsException's Reason
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message)
}

// capitalMessage lists the codes whose body uses "Message" instead of
// "message": the SDK reads each modelled error's own member name.
var capitalMessage = map[string]bool{
	"ResourceNotFoundException":  true,
	"ServiceException":           true,
	"SnapStartNotReadyException": true,
	"ResourceInUseException":     true,
	// DurableExecutionAlreadyStartedException's member is Message too.
	"DurableExecutionAlreadyStartedException": true,
}

func (e *apiError) body() []byte {
	msgKey := "message"
	if capitalMessage[e.code] {
		msgKey = "Message"
	}
	typ := "User"
	if e.status >= 500 {
		typ = "Service"
	}
	msg, _ := json.Marshal(e.message)
	b := make([]byte, 0, 64+len(msg))
	if e.reason != "" {
		b = append(b, `{"Reason":`...)
		b = strconv.AppendQuote(b, e.reason)
		b = append(b, ',')
	} else {
		b = append(b, '{')
	}
	b = append(b, `"Type":"`...)
	b = append(b, typ...)
	b = append(b, `","`...)
	b = append(b, msgKey...)
	b = append(b, `":`...)
	b = append(b, msg...)
	return append(b, '}')
}

func (e *apiError) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", e.code)
	w.WriteHeader(e.status)
	_, _ = w.Write(e.body())
}

func errNotFound(format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotFound, code: "ResourceNotFoundException", message: fmt.Sprintf(format, args...)}
}

func errFunctionNotFound(arn string) *apiError {
	return errNotFound("Function not found: %s", arn)
}

func errConflict(format string, args ...any) *apiError {
	return &apiError{status: http.StatusConflict, code: "ResourceConflictException", message: fmt.Sprintf(format, args...)}
}

func errUpdateInProgress(arn string) *apiError {
	return errConflict("The operation cannot be performed at this time. An update is in progress for resource: %s", arn)
}

func errStatePending(state string) *apiError {
	return errConflict("The operation cannot be performed at this time. The function is currently in the following state: %s", state)
}

func errInvalidParameter(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidParameterValueException", message: fmt.Sprintf(format, args...)}
}

func errValidation(message string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "ValidationException", message: message}
}

func errPrecondition() *apiError {
	return &apiError{status: http.StatusPreconditionFailed, code: "PreconditionFailedException",
		message: "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id"}
}

func errThrottled(reason string) *apiError {
	return &apiError{status: http.StatusTooManyRequests, code: "TooManyRequestsException", message: "Rate Exceeded.", reason: reason}
}

// errRateExceeded is the answer to a call beyond a request-rate quota.
func errRateExceeded() *apiError {
	return &apiError{status: http.StatusTooManyRequests, code: "TooManyRequestsException", message: "Rate exceeded", reason: "CallerRateLimitExceeded"}
}

// errBadJSON is AWS's answer to a body that is not JSON; detail says why.
func errBadJSON(detail string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "InvalidRequestContentException",
		message: "Could not parse request body into json: " + detail}
}

func errUnknownOperation() *apiError {
	return &apiError{status: http.StatusNotFound, code: "UnknownOperationException", message: "Unknown operation"}
}
