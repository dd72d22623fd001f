package faults

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// APIError returns the AWS error code and message of err, if it is one.
func APIError(err error) (code, message string, ok bool) {
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

// IsBusy tells a 409 that goes away by waiting (an update in progress, a
// function or version still Pending, a SnapStart snapshot not ready) from the
// conflicts that do not (an alias that exists, a version still referenced).
func IsBusy(err error) bool {
	code, msg, ok := APIError(err)
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

// IsAliasExists is CreateAlias's 409 for a name already taken.
func IsAliasExists(err error) bool {
	code, msg, ok := APIError(err)
	return ok && code == "ResourceConflictException" && strings.Contains(strings.ToLower(msg), "already exists")
}

// IsVersionReferenced is DeleteFunction's 409 for a version an alias uses.
func IsVersionReferenced(err error) bool {
	code, msg, ok := APIError(err)
	return ok && code == "ResourceConflictException" && strings.Contains(strings.ToLower(msg), "reference")
}

// IsNotFound covers Lambda's and S3's ways of saying "no such thing".
func IsNotFound(err error) bool {
	code, _, ok := APIError(err)
	if ok {
		switch code {
		case "ResourceNotFoundException", "NoSuchKey", "NotFound", "NoSuchBucket":
			return true
		}
	}
	return httpStatus(err) == 404
}

// IsAccessDenied covers 403 answers, whatever their code.
func IsAccessDenied(err error) bool {
	code, _, ok := APIError(err)
	if ok {
		switch code {
		case "AccessDenied", "AccessDeniedException", "Forbidden":
			return true
		}
	}
	return httpStatus(err) == 403
}

// IsThrottled is a rate or concurrency limit that outlasted the retries.
func IsThrottled(err error) bool {
	code, _, ok := APIError(err)
	return (ok && (code == "TooManyRequestsException" || strings.Contains(code, "Throttl"))) || httpStatus(err) == 429
}

// IsValidation is a request AWS refused as malformed or out of range.
func IsValidation(err error) bool {
	code, _, ok := APIError(err)
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
	case IsUnreachable(err):
		return ClassUnreachable
	case IsAccessDenied(err):
		return ClassAccessDenied
	case IsNotFound(err):
		return ClassNotFound
	case IsThrottled(err):
		return ClassThrottled
	case IsBusy(err):
		return ClassBusy
	case IsValidation(err):
		return ClassValidation
	}
	return ClassNone
}

// ErrorCode is the AWS error code of err ("" when it is not an AWS error).
func ErrorCode(err error) string {
	code, _, _ := APIError(err)
	return code
}

// IsUnreachable is a refused connection or a host name that does not
// resolve: nothing AWS said, and nothing retrying fixes.
func IsUnreachable(err error) bool {
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

// IsFunctionExists is CreateFunction's 409 for a name already taken.
func IsFunctionExists(err error) bool {
	code, msg, ok := APIError(err)
	return ok && code == "ResourceConflictException" && strings.Contains(strings.ToLower(msg), "already exist")
}

// IsPreconditionFailed is the 412 of a call whose RevisionId is stale:
// someone changed the function or alias since it was read.
func IsPreconditionFailed(err error) bool { return ErrorCode(err) == "PreconditionFailedException" }

// MemoryRefused is Lambda's 400 ValidationException for a memorySize it does
// not accept, with its message. Input validation keeps memory sizes within
// Lambda's 128..10240 MB, so it means the account's quota is lower (3008 MB
// on some accounts). Lambda applied nothing of that request.
func MemoryRefused(err error) (message string, ok bool) {
	code, msg, isAPI := APIError(err)
	if !isAPI || code != "ValidationException" || !strings.Contains(strings.ToLower(msg), "'memorysize'") {
		return "", false
	}
	return msg, true
}
