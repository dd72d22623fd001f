package faults

import "errors"

// ErrResponseTooLarge: a buffered invocation's response was larger than
// Lambda returns that way; streaming reads it (invoke_mode = "stream").
var ErrResponseTooLarge = errors.New("the function's response is too large for a buffered invocation")
