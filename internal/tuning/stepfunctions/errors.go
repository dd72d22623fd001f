package stepfunctions

import (
	"errors"
	"fmt"
	"strings"
)

// ErrStillRunning: the execution has not finished (data source reads only).
var ErrStillRunning = errors.New("the execution is still running")

// CallError is a failed Step Functions call.
type CallError struct {
	Operation string // "StartExecution", "DescribeExecution", …
	ARN       string // the state machine's or the execution's
	Err       error
}

func (e *CallError) Error() string { return e.Operation + " on " + e.ARN + ": " + e.Err.Error() }
func (e *CallError) Unwrap() error { return e.Err }

// ExecutionError is an execution that ended without a tuning result:
// FAILED, TIMED_OUT, ABORTED, or SUCCEEDED without power (the original
// tool's clean-up path, EmptyOutput).
type ExecutionError struct {
	ExecutionARN string
	Status       string
	EmptyOutput  bool
	// ErrorName and Cause come from DescribeExecution, or from the history when
	// the execution itself did not fail. State is the state that failed.
	ErrorName, Cause, State string
	// HistoryErr is why the history could not be read, if it could not.
	HistoryErr error
}

func (e *ExecutionError) Error() string {
	var b strings.Builder
	if e.EmptyOutput {
		b.WriteString("the execution SUCCEEDED but its output has no power: AWS Lambda Power Tuning ends an " +
			"execution this way when a step failed and its error handling ran the clean-up state, whose output is empty")
	} else {
		fmt.Fprintf(&b, "the execution ended %s", e.Status)
	}
	switch {
	case e.State != "" && (e.ErrorName != "" || e.Cause != ""):
		fmt.Fprintf(&b, "; state %q failed", e.State)
	case e.State != "":
		fmt.Fprintf(&b, "; in state %q", e.State)
	}
	if e.ErrorName != "" {
		b.WriteString(" with " + e.ErrorName)
	}
	if e.Cause != "" {
		b.WriteString(": " + e.Cause)
	}
	if e.ErrorName == "" && e.Cause == "" {
		b.WriteString("; the execution history names no error or cause")
	}
	if e.HistoryErr != nil {
		b.WriteString(" (the history could not be read: " + e.HistoryErr.Error() + ")")
	}
	return b.String()
}

// StoppedError is a wait that ended (interrupt or create timeout) while the
// execution ran.
type StoppedError struct {
	ExecutionARN string
	Reason       error // the context's error
	StopErr      error // nil when StopExecution succeeded
}

func (e *StoppedError) Error() string {
	if e.StopErr != nil {
		return fmt.Sprintf("the wait ended (%v) and StopExecution failed, so the execution may still be running: %v", e.Reason, e.StopErr)
	}
	return fmt.Sprintf("the wait ended (%v) and the execution was stopped with StopExecution", e.Reason)
}

func (e *StoppedError) Unwrap() []error { return []error{e.Reason, e.StopErr} }
