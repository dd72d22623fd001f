package tuning

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// apiError returns the AWS error code and message of err, if it is one.
func apiError(err error) (code, message string, ok bool) {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return "", "", false
	}
	return ae.ErrorCode(), ae.ErrorMessage(), true
}

// httpStatus returns the HTTP status of a failed AWS call, or 0.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// isBusy tells a 409 that goes away by waiting (an update in progress, a
// function or version still Pending, a SnapStart snapshot not ready) from the
// conflicts that do not (an alias that exists, a version still referenced).
func isBusy(err error) bool {
	code, msg, ok := apiError(err)
	if !ok {
		return false
	}
	switch code {
	case "SnapStartNotReadyException", "ResourceNotReadyException":
		return true
	case "ResourceConflictException":
		m := strings.ToLower(msg)
		return strings.Contains(m, "in progress") ||
			strings.Contains(m, "pending") ||
			strings.Contains(m, "cannot be performed at this time")
	}
	return false
}

// isAliasExists is CreateAlias's 409 for a name already taken.
func isAliasExists(err error) bool {
	code, msg, ok := apiError(err)
	return ok && code == "ResourceConflictException" && strings.Contains(strings.ToLower(msg), "already exists")
}

// isVersionReferenced is DeleteFunction's 409 for a version an alias uses.
func isVersionReferenced(err error) bool {
	code, msg, ok := apiError(err)
	return ok && code == "ResourceConflictException" && strings.Contains(strings.ToLower(msg), "reference")
}

// isNotFound covers Lambda's and S3's ways of saying "no such thing".
func isNotFound(err error) bool {
	code, _, ok := apiError(err)
	if ok {
		switch code {
		case "ResourceNotFoundException", "NoSuchKey", "NotFound", "NoSuchBucket":
			return true
		}
	}
	return httpStatus(err) == 404
}

// isAccessDenied covers 403 answers, whatever their code.
func isAccessDenied(err error) bool {
	code, _, ok := apiError(err)
	if ok {
		switch code {
		case "AccessDenied", "AccessDeniedException", "Forbidden":
			return true
		}
	}
	return httpStatus(err) == 403
}

// isThrottled is a rate or concurrency limit that outlasted the retries.
func isThrottled(err error) bool {
	code, _, ok := apiError(err)
	return (ok && (code == "TooManyRequestsException" || strings.Contains(code, "Throttl"))) || httpStatus(err) == 429
}

// isValidation is a request AWS refused as malformed or out of range.
func isValidation(err error) bool {
	code, _, ok := apiError(err)
	return ok && (code == "ValidationException" || code == "InvalidParameterValueException" || code == "InvalidRequestContentException")
}

// ErrorClass is what kind of AWS failure an error is, so that callers can
// give advice without inspecting SDK error types.
type ErrorClass string

const (
	ClassNone         ErrorClass = ""              // not an AWS error, or none of the below
	ClassBusy         ErrorClass = "busy"          // a 409 that waiting would clear
	ClassThrottled    ErrorClass = "throttled"     // 429 after every retry
	ClassNotFound     ErrorClass = "not-found"     // no such function, alias, version, bucket or key
	ClassAccessDenied ErrorClass = "access-denied" // 403
	ClassValidation   ErrorClass = "validation"    // a request refused as invalid
	ClassUnreachable  ErrorClass = "unreachable"   // connection refused or no such host: see Endpoint
)

// Classify tells what kind of AWS failure err (or what it wraps) is.
func Classify(err error) ErrorClass {
	switch {
	case err == nil:
		return ClassNone
	case isUnreachable(err):
		return ClassUnreachable
	case isAccessDenied(err):
		return ClassAccessDenied
	case isNotFound(err):
		return ClassNotFound
	case isThrottled(err):
		return ClassThrottled
	case isBusy(err):
		return ClassBusy
	case isValidation(err):
		return ClassValidation
	}
	return ClassNone
}

// ErrorCode is the AWS error code of err ("" when it is not an AWS error).
func ErrorCode(err error) string {
	code, _, _ := apiError(err)
	return code
}

// isUnreachable is a refused connection or a host name that does not
// resolve: nothing AWS said, and nothing retrying fixes.
func isUnreachable(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}

// Endpoint is the scheme and host a failed request was sent to ("" when err
// carries no request URL), to name an unreachable endpoint.
func Endpoint(err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return ""
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
