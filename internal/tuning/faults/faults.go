// Package faults is how a run fails: the error types callers tell apart
// (a failed AWS call with its operation, function and memory size; what a
// clean-up left; a function error; a live run in the way), and the
// classification of AWS errors, so that no other package inspects SDK error
// types. It imports no AWS SDK service package.
package faults

import (
	"cmp"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Errors a run wraps, for callers to tell apart with errors.Is.
var (
	// ErrPayloadNotFound: the payload_s3 object (or its bucket) does not exist.
	ErrPayloadNotFound = errors.New("payload_s3 object not found")
	// ErrPayloadAccessDenied: reading the payload_s3 object was refused.
	ErrPayloadAccessDenied = errors.New("access to the payload_s3 object was denied")
	// ErrFunctionBusy: the function stayed busy (an update in progress, a
	// version not ready) for longer than Config.ConflictTimeout.
	ErrFunctionBusy = errors.New("the function stayed busy")
	// ErrUpdateFailed: Lambda reported LastUpdateStatus Failed.
	ErrUpdateFailed = errors.New("the function update failed")
	// ErrNoSuccessfulPowerValue: no power value has a successful invocation
	// to choose from.
	ErrNoSuccessfulPowerValue = errors.New("no power value completed successfully")
	// ErrAliasNotOurs: an alias with a name the run would create (RAM<power>,
	// RAM<power>-<i>) exists and was not created by a tuning run. The run
	// stops before changing anything rather than take it over.
	ErrAliasNotOurs = errors.New(`an alias the run would create already exists and was not created by a tuning run (its description does not start with "awspowertuning run")`)
)

// ErrLockLost: another run took over this run's lock (its lease had
// expired, e.g. the process was suspended): the run stops.
var ErrLockLost = errors.New("the run lost its lock on the function to another tuning run")

// ErrRunInProgress is wrapped by RunInProgressError.
var ErrRunInProgress = errors.New("another tuning run is in progress on the function")

// RunInProgressError: a live run (its lease fresh) holds the function. Err
// is the context error when the wait ended with the run's context.
type RunInProgressError struct {
	Function string
	RunID    string
	Owner    string
	Started  time.Time
	Waited   time.Duration // the bound that ran out (Config.LockWait); 0 with Err
	Err      error
}

func (e *RunInProgressError) Error() string {
	s := fmt.Sprintf("another tuning run is in progress on %s: run %s, started %s by %s",
		e.Function, e.RunID, e.Started.Format(time.RFC3339), e.Owner)
	if e.Waited > 0 {
		s += fmt.Sprintf("; waited %s", e.Waited)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *RunInProgressError) Is(target error) bool { return target == ErrRunInProgress }
func (e *RunInProgressError) Unwrap() error        { return e.Err }

// UnreleasedCodeError: auto_optimize_alias would move the alias to $LATEST
// code or configuration it does not serve yet. Nothing was changed.
type UnreleasedCodeError struct {
	Alias       string
	Version     string   // the alias's version
	Differences []string // e.g. "CodeSha256", "Environment"
}

func (e *UnreleasedCodeError) Error() string {
	return fmt.Sprintf("alias %s serves version %s, whose %s %s from $LATEST: publishing $LATEST to it would release "+
		"code or configuration it does not serve yet", e.Alias, e.Version, strings.Join(e.Differences, ", "),
		Plural(len(e.Differences), "differs", "differ"))
}

// StepError is a failed AWS call (or function invocation) during a run.
type StepError struct {
	Operation string // the AWS API call, e.g. "UpdateFunctionConfiguration", "Invoke"
	Function  string // function ARN
	Power     int32  // 0 when not about one power value
	Err       error
}

// Error reads like "UpdateFunctionConfiguration on arn:…:function:f at 512 MB: <cause>".
func (e *StepError) Error() string {
	var b strings.Builder
	b.WriteString(e.Operation)
	if e.Function != "" {
		b.WriteString(" on ")
		b.WriteString(e.Function)
	}
	if e.Power != 0 {
		fmt.Fprintf(&b, " at %d MB", e.Power)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("unknown error")
	}
	return b.String()
}

func (e *StepError) Unwrap() error { return e.Err }

// CleanupError says exactly what a run left behind on the function, so a
// person can finish the job by hand.
type CleanupError struct {
	Function          string
	RemainingAliases  []string
	RemainingVersions []string
	// RemainingCopies are copies (isolation = "copies") not deleted; each
	// is a whole function with the name listed.
	RemainingCopies []string
	// RemainingStagedCode is the s3:// URI of the package staged for the
	// copies (copies_code_s3_uri) if it was not deleted.
	RemainingStagedCode string
	LatestMemory        int32 // $LATEST memory as the run left it (0: unknown)
	// OriginalMemory is what $LATEST memory should be (the value before the
	// run, or the optimum with auto_optimize and no alias).
	OriginalMemory int32
	// DescriptionChanged is true when $LATEST description was not restored.
	DescriptionChanged bool
	// Recovering is the interrupted run whose recovery this was ("" for
	// this run's own clean-up).
	Recovering string
	Err        error
}

// Error reads like "clean-up of arn:… incomplete: aliases RAM128, RAM256 and
// versions 3, 4 remain; $LATEST memory is 512 MB (was 128 MB): <cause>".
func (e *CleanupError) Error() string {
	var b strings.Builder
	if e.Recovering != "" {
		fmt.Fprintf(&b, "recovery of interrupted run %s on %s incomplete: ", e.Recovering, e.Function)
	} else {
		fmt.Fprintf(&b, "clean-up of %s incomplete: ", e.Function)
	}
	var left []string
	if len(e.RemainingAliases) > 0 {
		left = append(left, Plural(len(e.RemainingAliases), "alias ", "aliases ")+strings.Join(e.RemainingAliases, ", "))
	}
	if len(e.RemainingVersions) > 0 {
		left = append(left, Plural(len(e.RemainingVersions), "version ", "versions ")+strings.Join(e.RemainingVersions, ", "))
	}
	if len(e.RemainingCopies) > 0 {
		left = append(left, Plural(len(e.RemainingCopies), "copy ", "copies ")+strings.Join(e.RemainingCopies, ", "))
	}
	staged := 0
	if e.RemainingStagedCode != "" {
		left, staged = append(left, "the staged package "+e.RemainingStagedCode), 1
	}
	if len(left) > 0 {
		b.WriteString(strings.Join(left, " and "))
		b.WriteString(Plural(len(e.RemainingAliases)+len(e.RemainingVersions)+len(e.RemainingCopies)+staged, " remains; ", " remain; "))
	} else {
		b.WriteString("no alias or version remains; ")
	}
	switch {
	case e.OriginalMemory == 0:
		fmt.Fprintf(&b, "$LATEST memory is %d MB", e.LatestMemory)
	case e.LatestMemory == 0:
		fmt.Fprintf(&b, "$LATEST memory is unknown (should be %d MB)", e.OriginalMemory)
	case e.LatestMemory != e.OriginalMemory:
		fmt.Fprintf(&b, "$LATEST memory is %d MB (was %d MB)", e.LatestMemory, e.OriginalMemory)
	default:
		fmt.Fprintf(&b, "$LATEST memory is %d MB", e.LatestMemory)
	}
	if e.DescriptionChanged {
		b.WriteString(" and its description was not restored")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *CleanupError) Unwrap() error { return e.Err }

// FunctionError is an invocation that ended with a function error whose type
// is not in allowed_exceptions (or a failed pre- or post-processor).
type FunctionError struct {
	Source string // the alias invoked (RAM512), or "pre-processor" / "post-processor"
	// ErrorType is the body's errorType; "" when the body has none (some
	// endpoints, such as moto in Docker mode, send only the header).
	ErrorType    string
	Header       string // X-Amz-Function-Error: "Handled" or "Unhandled"
	ErrorMessage string
	StackTrace   []string
	// Payload is the request body; empty when disable_payload_logs is set.
	Payload string
}

func (e *FunctionError) Error() string {
	var b strings.Builder
	b.WriteString("function error")
	if e.Source != "" {
		fmt.Fprintf(&b, " in %s", e.Source)
	}
	fmt.Fprintf(&b, ": %s", cmp.Or(e.ErrorType, "unknown error type"))
	if e.ErrorType == "" && e.Header != "" {
		fmt.Fprintf(&b, " (X-Amz-Function-Error: %s)", e.Header)
	}
	if e.ErrorMessage != "" {
		fmt.Fprintf(&b, ": %s", e.ErrorMessage)
	}
	if len(e.StackTrace) > 0 {
		fmt.Fprintf(&b, "\nstack trace:\n  %s", strings.Join(e.StackTrace, "\n  "))
	}
	if e.Payload != "" {
		fmt.Fprintf(&b, "\npayload: %s", e.Payload)
	}
	return b.String()
}

// Plural picks one or many by n, for messages that count.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// CodeChangedError: the function's code changed during the run (a deploy
// between two configuration updates). The run stops: nothing measured on
// mixed code is reported.
type CodeChangedError struct {
	Function  string
	Was, Now  string // CodeSha256 when the run read the function, and now
	Operation string // the call that found it
}

func (e *CodeChangedError) Error() string {
	return fmt.Sprintf("the code of %s changed during the run (CodeSha256 %s when the run began, %s now, found by %s): "+
		"the run stopped, as sizes measured on different code cannot be compared, and reports nothing", e.Function, e.Was, e.Now, e.Operation)
}

// NotInvocableError: the function cannot be invoked as it is, so tuning it
// in place would change it for nothing. Found before any change.
type NotInvocableError struct {
	Function string
	Cause    string // what stops invocations
	Fix      string // what to do about it
}

func (e *NotInvocableError) Error() string {
	return fmt.Sprintf("%s cannot be invoked: %s; nothing was changed. %s", e.Function, e.Cause, e.Fix)
}

// ThrottledError: Lambda kept throttling invocations after every retry;
// Reason is the limit it named (TooManyRequestsException's Reason).
type ThrottledError struct {
	Reason string
	Err    error
}

func (e *ThrottledError) Error() string {
	if e.Reason == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("throttled by %s (%s): %v", e.Limit(), e.Reason, e.Err)
}

func (e *ThrottledError) Unwrap() error { return e.Err }

// Limit names the limit that was hit, in words.
func (e *ThrottledError) Limit() string {
	switch {
	case strings.HasPrefix(e.Reason, "ReservedFunction"):
		return "the function's reserved concurrency"
	case e.Reason == "ConcurrentInvocationLimitExceeded":
		return "the account's concurrency limit, which functions without reserved concurrency share"
	case strings.Contains(e.Reason, "RateLimit"):
		return "an invocation rate limit"
	case e.Reason == "":
		return "a concurrency or rate limit"
	}
	return "the " + e.Reason + " limit"
}

// WeightedAliasError: auto_optimize_alias names an alias with weighted
// routing (a canary, a blue/green shift); moving it would change the
// traffic split, so the run refuses before any change unless
// auto_optimize_alias_routing says what to do.
type WeightedAliasError struct {
	Alias   string
	Version string             // the alias's main version
	Weights map[string]float64 // the other versions' shares
}

func (e *WeightedAliasError) Error() string {
	versions := make([]string, 0, len(e.Weights))
	for v := range e.Weights {
		versions = append(versions, v)
	}
	sort.Strings(versions)
	var shares []string
	rest := 1.0
	for _, v := range versions {
		shares = append(shares, fmt.Sprintf("%.4g %% to version %s", 100*e.Weights[v], v))
		rest -= e.Weights[v]
	}
	return fmt.Sprintf("alias %s routes %.4g %% to version %s and %s: moving it to the optimum would change that traffic split, so "+
		"nothing was changed; set auto_optimize_alias_routing = \"keep\" to move its main version and keep the other weights, or "+
		"\"clear\" to send all its traffic to the optimum", e.Alias, 100*rest, e.Version, strings.Join(shares, " and "))
}
