package faults

import (
	"errors"
	"testing"
)

func TestStepErrorMessage(t *testing.T) {
	cause := errors.New("boom")
	tests := []struct {
		err  *StepError
		want string
	}{
		{&StepError{Operation: "UpdateFunctionConfiguration", Function: "arn:aws:lambda:us-east-1:1:function:f", Power: 512, Err: cause},
			"UpdateFunctionConfiguration on arn:aws:lambda:us-east-1:1:function:f at 512 MB: boom"},
		{&StepError{Operation: "GetFunction", Function: "f", Err: cause}, "GetFunction on f: boom"},
		{&StepError{Operation: "GetObject", Err: cause}, "GetObject: boom"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if !errors.Is(tt.err, cause) {
			t.Errorf("%q does not unwrap to its cause", tt.err)
		}
	}
}

func TestCleanupErrorMessage(t *testing.T) {
	cause := errors.New("throttled")
	fn := "arn:aws:lambda:us-east-1:1:function:f"
	tests := []struct {
		err  *CleanupError
		want string
	}{
		{&CleanupError{Function: fn, RemainingAliases: []string{"RAM128", "RAM256"}, RemainingVersions: []string{"3", "4"},
			LatestMemory: 512, OriginalMemory: 128, Err: cause},
			"clean-up of " + fn + " incomplete: aliases RAM128, RAM256 and versions 3, 4 remain; $LATEST memory is 512 MB (was 128 MB): throttled"},
		{&CleanupError{Function: fn, RemainingVersions: []string{"7"}, LatestMemory: 128, OriginalMemory: 128, Err: cause},
			"clean-up of " + fn + " incomplete: version 7 remains; $LATEST memory is 128 MB: throttled"},
		{&CleanupError{Function: fn, RemainingAliases: []string{"RAM128-0"}, OriginalMemory: 256, DescriptionChanged: true, Err: cause},
			"clean-up of " + fn + " incomplete: alias RAM128-0 remains; $LATEST memory is unknown (should be 256 MB) and its description was not restored: throttled"},
		{&CleanupError{Function: fn, LatestMemory: 1024, OriginalMemory: 128, Err: cause},
			"clean-up of " + fn + " incomplete: no alias or version remains; $LATEST memory is 1024 MB (was 128 MB): throttled"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() =\n  %q\nwant\n  %q", got, tt.want)
		}
		if !errors.Is(tt.err, cause) {
			t.Errorf("%q does not unwrap to its cause", tt.err)
		}
	}
}

func TestFunctionErrorMessage(t *testing.T) {
	fe := &FunctionError{Source: "RAM128", ErrorType: "TypeError", ErrorMessage: "x is undefined",
		StackTrace: []string{"at a (index.js:1)", "at b (index.js:2)"}, Payload: `{"k":1}`}
	want := "function error in RAM128: TypeError: x is undefined\nstack trace:\n  at a (index.js:1)\n  at b (index.js:2)\npayload: {\"k\":1}"
	if got := fe.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	fe.Payload = ""
	if got := fe.Error(); got != want[:len(want)-len("\npayload: {\"k\":1}")] {
		t.Errorf("without payload: %q", got)
	}
}
