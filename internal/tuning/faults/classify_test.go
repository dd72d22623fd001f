package faults

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestClassify(t *testing.T) {
	api := func(code, msg string) error { return &smithy.GenericAPIError{Code: code, Message: msg} }
	status := func(code int) error {
		return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: code}}, Err: errors.New("boom")}}
	}
	tests := []struct {
		err  error
		want ErrorClass
	}{
		{nil, ClassNone},
		{errors.New("plain"), ClassNone},
		{api("AccessDeniedException", "not authorized"), ClassAccessDenied},
		{status(403), ClassAccessDenied},
		{api("ResourceNotFoundException", "Function not found"), ClassNotFound},
		{api("NoSuchKey", "gone"), ClassNotFound},
		{status(404), ClassNotFound},
		{api("TooManyRequestsException", "Rate exceeded"), ClassThrottled},
		{api("ThrottlingException", "slow down"), ClassThrottled},
		{api("ResourceConflictException", "An update is in progress for resource"), ClassBusy},
		{api("ResourceConflictException", "Alias already exists"), ClassNone},
		{api("ValidationException", "'memorySize' failed"), ClassValidation},
		{api("InvalidParameterValueException", "bad"), ClassValidation},
		// Wrapped the way the engine returns them.
		{&StepError{Operation: "Invoke", Function: "f", Power: 512, Err: fmt.Errorf("alias RAM512: %w", api("TooManyRequestsException", "x"))}, ClassThrottled},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("Classify(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if got := ErrorCode(&StepError{Err: api("ValidationException", "m")}); got != "ValidationException" {
		t.Errorf("ErrorCode = %q", got)
	}
	if got := ErrorCode(errors.New("plain")); got != "" {
		t.Errorf("ErrorCode of a plain error = %q", got)
	}
}
