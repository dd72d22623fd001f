package tuning

import (
	"errors"
	"strings"

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
