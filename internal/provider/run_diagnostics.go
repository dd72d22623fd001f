package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// cleanedUp is said whenever a failed run did clean up, so users know the
// function needs no attention.
const cleanedUp = "The run deleted the aliases and versions it had created and restored the function's " +
	"memory size and description."

// nothingChanged is said when a run failed before changing the function.
const nothingChanged = "Nothing was changed on the function."

// copiesDeleted is said when a run with isolation = "copies" failed after
// creating copies, and deleted them.
const copiesDeleted = "The run deleted the temporary copies it had created; the function itself was not changed."

// runErrorDiagnostics explains a failed run: what stopped it, where (AWS call,
// function, power value), how to fix it, then the original error. A clean-up
// failure gets its own diagnostic listing what was left behind; a recovery
// of an interrupted run done before the failure gets a warning.
func runErrorDiagnostics(err error, function string, timeout time.Duration) diag.Diagnostics {
	var diags diag.Diagnostics
	if rc := tuning.RecoveryOf(err); rc != nil {
		diags.Append(recoveryWarning(rc, function))
	}
	diags.Append(runWarnings(tuning.WarningsOf(err), function)...)
	var cleanupErr *faults.CleanupError
	leftovers := errors.As(err, &cleanupErr)
	afterword := nothingChanged
	switch {
	case leftovers:
		afterword = "The run could not clean the function up completely: see the next error."
	case tuning.ChangedFunction(err):
		afterword = cleanedUp
	case tuning.MadeCopies(err):
		afterword = copiesDeleted
	}
	// What stopped the run, without the clean-up failure joined to it: a
	// clean-up that alone failed is reported by its own diagnostic only.
	runErr := withoutCleanup(err)
	if runErr == nil {
		diags.AddError(cleanupSummary(cleanupErr), cleanupDetail(cleanupErr))
		return diags
	}
	d, ok := lockDiagnostic(runErr, function, afterword)
	if !ok {
		d, ok = functionDiagnostic(runErr, function, afterword)
	}
	if !ok {
		d, ok = kindDiagnostic(runErr, function)
	}
	if ok {
		diags.Append(d)
		if leftovers {
			diags.AddError(cleanupSummary(cleanupErr), cleanupDetail(cleanupErr))
		}
		return diags
	}
	err = runErr

	var stepErr *faults.StepError
	hasStep := errors.As(err, &stepErr)
	var inputErr *spec.InputError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		diags.AddError("Tuning Run Timed Out",
			fmt.Sprintf("The tuning run did not finish within the create timeout (%s). Raise timeouts { create = ... }, "+
				"or make the run shorter: fewer power_values, a smaller num, or parallel_invocation = true. %s\n\n",
				shortDuration(timeout), afterword)+
				stepFacts(stepErr, function)+"Original error: "+err.Error())
	case errors.Is(err, context.Canceled):
		diags.AddError("Tuning Run Interrupted",
			"The tuning run was cancelled before it finished (Terraform was interrupted). "+afterword+"\n\n"+
				stepFacts(stepErr, function)+"Original error: "+err.Error())
	case errors.Is(err, faults.ErrNoSuccessfulPowerValue):
		diags.AddError("No Power Value Succeeded",
			"Every power value failed or ended in allowed exceptions only, so there is nothing to choose from. "+
				"Check that the payload is one the function handles, test larger power values if small ones run out "+
				"of memory or time, and keep allowed_exceptions for errors that some invocations are expected to hit. "+
				afterword+"\n\n"+stepFacts(stepErr, function)+"Original error: "+err.Error())
	case errors.Is(err, faults.ErrAliasNotOurs):
		diags.AddError("Alias Name Already In Use",
			"An alias the run would create, or its record alias "+runrecord.LockAlias+", exists and was not created by a tuning "+
				"run, so the run will not take it over. Rename or delete that alias, or drop its memory size from power_values. "+
				afterword+"\n\n"+stepFacts(stepErr, function)+"Original error: "+err.Error())
	case errors.As(err, &inputErr):
		// Found at apply: a value unknown at plan, or a payload_s3 body.
		diags.AddError("Invalid "+titleAttribute(inputErr.Attribute),
			fmt.Sprintf("%s: %s. Nothing was invoked or changed.\n\nFunction: %s", inputErr.Attribute,
				strings.TrimSuffix(inputErr.Message, "."), function))
	case hasStep:
		diags.AddError(stepSummary(stepErr),
			stepAdvice(stepErr)+" "+afterword+"\n\n"+stepFacts(stepErr, function)+"Original error: "+stepErr.Err.Error())
	case !leftovers:
		diags.AddError("Tuning Run Failed",
			"The tuning run failed. "+afterword+"\n\nFunction: "+function+"\n\nOriginal error: "+err.Error())
	}
	if leftovers {
		diags.AddError(cleanupSummary(cleanupErr), cleanupDetail(cleanupErr))
	}
	return onAttributeAtFault(diags, err)
}

// onAttributeAtFault moves the first diagnostic onto the argument that
// caused err, when one did, so Terraform points at that line.
func onAttributeAtFault(diags diag.Diagnostics, err error) diag.Diagnostics {
	attribute := attributeAtFault(err)
	if attribute == "" || len(diags) == 0 {
		return diags
	}
	first := diags[0]
	out := diag.Diagnostics{diag.NewAttributeErrorDiagnostic(attributePath(attribute), first.Summary(), first.Detail())}
	return append(out, diags[1:]...)
}

// attributeAtFault names the argument behind a failed run, or "".
func attributeAtFault(err error) string {
	var fnErr *faults.FunctionError
	var inputErr *spec.InputError
	var stepErr *faults.StepError
	switch {
	case errors.As(err, &inputErr):
		return inputErr.Attribute
	case errors.As(err, &fnErr) && isProcessor(fnErr):
		return strings.ReplaceAll(fnErr.Source, "-", "_") + "_arn"
	case errors.Is(err, faults.ErrPayloadNotFound), errors.Is(err, faults.ErrPayloadAccessDenied):
		return "payload_s3"
	case errors.Is(err, faults.ErrUpdateFailed), errors.As(err, &stepErr) && stepErr.Power != 0 &&
		stepErr.Operation == "UpdateFunctionConfiguration" && faults.Classify(err) == faults.ClassValidation:
		return "power_values"
	}
	return ""
}

func cleanupSummary(e *faults.CleanupError) string {
	if e.Recovering != "" {
		return "Interrupted Tuning Run Not Recovered"
	}
	return "Tuning Run Left Changes Behind"
}

// withoutCleanup is err without the CleanupError joined to it; nil when the
// clean-up failure is all there is.
func withoutCleanup(err error) error {
	var ce *faults.CleanupError
	if !errors.As(err, &ce) {
		return err
	}
	switch u := err.(type) {
	case *faults.CleanupError:
		return nil
	case interface{ Unwrap() []error }:
		var rest []error
		for _, e := range u.Unwrap() {
			if r := withoutCleanup(e); r != nil {
				rest = append(rest, r)
			}
		}
		if len(rest) == 1 {
			return rest[0]
		}
		return errors.Join(rest...)
	case interface{ Unwrap() error }:
		return withoutCleanup(u.Unwrap())
	}
	return err
}

// stepSummary names what failed in Title Case.
func stepSummary(e *faults.StepError) string {
	var fnErr *faults.FunctionError
	if errors.As(e.Err, &fnErr) {
		if isProcessor(fnErr) {
			return "Processor Function Failed"
		}
		return "Tuned Function Returned An Error"
	}
	var throttled *faults.ThrottledError
	if errors.As(e.Err, &throttled) {
		return "Invocations Throttled During Tuning"
	}
	return "AWS Call Failed During Tuning"
}

// stepAdvice says why a step most likely failed and what to do about it.
func stepAdvice(e *faults.StepError) string {
	var fnErr *faults.FunctionError
	var throttled *faults.ThrottledError
	switch {
	case errors.As(e.Err, &throttled):
		return throttleAdvice(throttled, e.Function)
	case errors.As(e.Err, &fnErr) && isProcessor(fnErr):
		return fmt.Sprintf("A pre- or post-processor failed with %s, which fails the run. Fix the processor, or remove it.",
			orUnknownType(fnErr.ErrorType))
	case errors.As(e.Err, &fnErr) && fnErr.ErrorType == "":
		// Only a header value ("Handled"): nothing allowed_exceptions could name.
		return "An invocation failed, and the endpoint's answer names no errorType (only the X-Amz-Function-Error " +
			"header), so allowed_exceptions cannot allow it. Fix the function or its payload; if it runs out of memory " +
			"or time at small sizes, set skip_failed_power_values = true or drop those power_values."
	case errors.As(e.Err, &fnErr):
		return fmt.Sprintf("An invocation failed with %s. If this error is expected for some payloads, list %q in "+
			"allowed_exceptions; if the function runs out of memory or time at small sizes, set "+
			"skip_failed_power_values = true or drop those power_values.", fnErr.ErrorType, fnErr.ErrorType)
	case errors.Is(e.Err, faults.ErrPayloadNotFound):
		return "The payload_s3 object does not exist. Check the bucket and key."
	case errors.Is(e.Err, faults.ErrPayloadAccessDenied):
		return "Reading the payload_s3 object was denied. Allow s3:GetObject on it to the credentials Terraform uses."
	case errors.Is(e.Err, faults.ErrFunctionBusy):
		return fmt.Sprintf("The function stayed busy (an update or deployment in progress) during %s. Make sure "+
			"nothing else changes the function while it is tuned.", e.Operation)
	case errors.Is(e.Err, faults.ErrUpdateFailed):
		return "Lambda could not apply a new memory size. The account's memory quota may be lower than the " +
			"power value (new accounts: 3008 MB): lower power_values, or set skip_failed_power_values = true to " +
			"skip the sizes the account refuses."
	}
	if faults.Classify(e.Err) == faults.ClassUnreachable {
		return unreachableAdvice(e.Operation, e.Err)
	}
	code := faults.ErrorCode(e.Err)
	if code == "" {
		return fmt.Sprintf("The %s call failed.", e.Operation)
	}
	switch faults.Classify(e.Err) {
	case faults.ClassAccessDenied:
		return fmt.Sprintf("The credentials Terraform uses may not call %s. Allow %s on the function.", e.Operation, iamAction(e.Operation))
	case faults.ClassNotFound:
		if e.Operation != "GetFunction" && e.Operation != "Invoke" && e.Operation != "GetObject" {
			// The function existed when the run started: something else
			// deleted what the run had created, or the function itself.
			return fmt.Sprintf("%s found nothing to act on, though the run had read the function or created it: "+
				"something else (another tuning run, a deploy, a person) deleted the function, an alias or a version "+
				"during the run. Make sure nothing else changes the function while it is tuned.", e.Operation)
		}
		return fmt.Sprintf("%s found nothing to act on. Check that lambda_arn (and any processor) names an existing "+
			"function in that Region and account.", e.Operation)
	case faults.ClassThrottled:
		return "Lambda kept throttling the requests after all retries. Lower max_concurrency, set " +
			"parallel_invocation = false, or raise the provider's max_retries."
	case faults.ClassValidation:
		return fmt.Sprintf("Lambda rejected the %s request. If a memory size is refused, the account's memory quota "+
			"may be lower than the power value (new accounts: 3008 MB): lower power_values, or set "+
			"skip_failed_power_values = true to skip the sizes the account refuses.", e.Operation)
	}
	return fmt.Sprintf("The %s call failed with %s.", e.Operation, code)
}

// unreachableAdvice names the endpoint nothing answered at: retrying does
// not help, so the call failed at once.
func unreachableAdvice(operation string, err error) string {
	endpoint := faults.Endpoint(err)
	if endpoint == "" {
		endpoint = "the AWS endpoint"
	}
	return fmt.Sprintf("The %s call could not reach %s: the connection was refused or the host name does not resolve, "+
		"so it was not retried. Check endpoints in the provider block (and that an emulator is running there), "+
		"or the network and DNS settings.", operation, endpoint)
}

// stepFacts lists where a step failed; empty when there is no step.
func stepFacts(e *faults.StepError, function string) string {
	if e == nil {
		return "Function: " + function + "\n\n"
	}
	facts := "AWS call: " + e.Operation + "\n"
	if e.Function != "" {
		function = e.Function
	}
	facts += "Function: " + function + "\n"
	if e.Power != 0 {
		facts += fmt.Sprintf("Power value: %d MB\n", e.Power)
	}
	return facts + "\n"
}

// cleanupDetail lists what a run left on the function and how to remove it.
func cleanupDetail(e *faults.CleanupError) string {
	var b strings.Builder
	if e.Recovering != "" {
		fmt.Fprintf(&b, "An interrupted tuning run (%s) left changes on the function, and they could not all be undone, "+
			"so this run stopped before tuning. Finish the job with the AWS CLI, then apply again:\n\n", e.Recovering)
	} else {
		b.WriteString("The run could not restore the function completely. Remove what it left behind with the AWS CLI " +
			"(the next run also recovers it, from the record it keeps in alias " + runrecord.LockAlias + "):\n\n")
	}
	for _, copyName := range e.RemainingCopies {
		fmt.Fprintf(&b, "  aws lambda delete-function --function-name %s\n", copyName)
	}
	for _, alias := range e.RemainingAliases {
		fmt.Fprintf(&b, "  aws lambda delete-alias --function-name %s --name %s\n", e.Function, alias)
	}
	for _, version := range e.RemainingVersions {
		fmt.Fprintf(&b, "  aws lambda delete-function --function-name %s --qualifier %s\n", e.Function, version)
	}
	if e.OriginalMemory != 0 && e.LatestMemory != e.OriginalMemory {
		fmt.Fprintf(&b, "  aws lambda update-function-configuration --function-name %s --memory-size %d\n", e.Function, e.OriginalMemory)
	}
	if e.DescriptionChanged {
		b.WriteString("  (and set the function's description back to what it was)\n")
	}
	fmt.Fprintf(&b, "\nFunction: %s\n", e.Function)
	if len(e.RemainingCopies) > 0 {
		fmt.Fprintf(&b, "Copies left (whole functions; the next run with isolation = \"copies\" deletes them too): %s\n", strings.Join(e.RemainingCopies, ", "))
	}
	if len(e.RemainingAliases) > 0 {
		fmt.Fprintf(&b, "Aliases left: %s\n", strings.Join(e.RemainingAliases, ", "))
	}
	if len(e.RemainingVersions) > 0 {
		fmt.Fprintf(&b, "Versions left: %s\n", strings.Join(e.RemainingVersions, ", "))
	}
	if e.LatestMemory != 0 {
		fmt.Fprintf(&b, "$LATEST memory: %d MB (should be %d MB)\n", e.LatestMemory, e.OriginalMemory)
	}
	if e.Err != nil {
		b.WriteString("\nOriginal error: " + e.Err.Error())
	}
	return strings.TrimRight(b.String(), "\n")
}

// iamAction names the IAM permission an operation needs.
func iamAction(operation string) string {
	switch operation {
	case "GetObject":
		return "s3:GetObject"
	case "PutObject":
		return "s3:PutObject"
	case "Invoke":
		return "lambda:InvokeFunction"
	case "GetFunction":
		return "lambda:GetFunction"
	case "GetFunctionConfiguration":
		return "lambda:GetFunctionConfiguration"
	case "ListVersionsByFunction":
		return "lambda:ListVersionsByFunction"
	}
	return "lambda:" + operation
}

// isProcessor tells a failed pre- or post-processor from the tuned function.
func isProcessor(e *faults.FunctionError) bool { return strings.HasSuffix(e.Source, "processor") }

func orUnknownType(errorType string) string {
	if errorType == "" {
		return "an unknown error type"
	}
	return errorType
}

// lockDiagnostic explains a run stopped by another run's hold on the
// function, or by auto_optimize_alias refusing unreleased code.
func lockDiagnostic(err error, function, afterword string) (diag.Diagnostic, bool) {
	var inProgress *faults.RunInProgressError
	var unreleased *faults.UnreleasedCodeError
	switch {
	case errors.As(err, &inProgress):
		return diag.NewErrorDiagnostic("Another Tuning Run In Progress",
			fmt.Sprintf("Another tuning run holds the function: run %s, started %s by %s. Runs on one function take turns, "+
				"so this one waited for it until the create timeout. Apply again once it is over, or raise "+
				"timeouts { create = ... }. If that run was interrupted, its lease runs out within minutes and the next "+
				"run recovers what it left. %s\n\nFunction: %s\nRun: %s\nStarted: %s\nBy: %s\n\nOriginal error: %s",
				inProgress.RunID, inProgress.Started.Format(time.RFC3339), inProgress.Owner, nothingChanged,
				inProgress.Function, inProgress.RunID, inProgress.Started.Format(time.RFC3339), inProgress.Owner, err.Error())), true
	case errors.As(err, &unreleased):
		return diag.NewAttributeErrorDiagnostic(path.Root("auto_optimize_alias"), "Alias Would Get Unreleased Code",
			fmt.Sprintf("auto_optimize_alias publishes $LATEST, but alias %s serves version %s, which differs from $LATEST in %s: "+
				"moving the alias would release that code or configuration. The run stopped before changing anything. "+
				"Release $LATEST to %s first, or set auto_optimize_allow_unreleased = true to publish it anyway.\n\n"+
				"Function: %s\nAlias: %s\nVersion: %s\nDiffers: %s",
				unreleased.Alias, unreleased.Version, strings.Join(unreleased.Differences, ", "), unreleased.Alias,
				function, unreleased.Alias, unreleased.Version, strings.Join(unreleased.Differences, ", "))), true
	case errors.Is(err, faults.ErrLockLost):
		return diag.NewErrorDiagnostic("Tuning Run Lost Its Lock",
			"Another tuning run took the function over: this run's lease had expired (the process was suspended or cut "+
				"off from AWS for minutes), so the other run treated it as interrupted. This run stopped. "+afterword+
				"\n\nFunction: "+function+"\n\nOriginal error: "+err.Error()), true
	}
	return nil, false
}

// recoveryWarning says what a run undid of an interrupted run before tuning.
func recoveryWarning(rc *ledger.Recovery, function string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Interrupted Tuning Run Recovered",
		"A tuning run on this function was interrupted (its process was killed or lost) and left changes behind. "+
			"This run undid them before tuning. "+rc.String()+"\n\nFunction: "+function)
}

// Warnings of the engine that are not about something left behind, told
// by how they begin.
const (
	// othersChangedWarning: someone else changed $LATEST during the run,
	// which kept their change.
	othersChangedWarning = "Someone else changed $LATEST"
	// copiesRecoveredWarning: a run with copies deleted what killed runs left.
	copiesRecoveredWarning = "Recovered what interrupted tuning runs left"
	// tenantIgnoredWarning: tenant_id for a function without tenant isolation.
	tenantIgnoredWarning = "tenant_id is ignored"
	// copiesLackTagsWarning: the function has more tags than a copy can carry
	// beside the run's marks.
	copiesLackTagsWarning = " lack its tags "
)

// runWarnings are the run's warnings, failed or not: of what it could not
// remove (log groups of copies, say), of what it recovered of copies killed
// runs left, and of changes someone else made to the function during the run.
func runWarnings(warnings []string, function string) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, w := range warnings {
		summary := "Tuning Run Left Something Behind"
		switch {
		case strings.HasPrefix(w, othersChangedWarning):
			summary = "Function Changed By Someone Else During Tuning"
		case strings.HasPrefix(w, copiesRecoveredWarning):
			summary = "Interrupted Tuning Run Recovered"
		case strings.HasPrefix(w, tenantIgnoredWarning):
			summary = "Tenant ID Ignored"
		case strings.Contains(w, copiesLackTagsWarning):
			summary = "Copies Lack Some Tags"
		}
		diags.AddWarning(summary, w+"\n\nFunction: "+function)
	}
	return diags
}

// functionDiagnostic explains a run stopped by the function itself: it
// cannot be invoked, its alias has weighted routing the run was not told
// what to do with, its response is too large to buffer, or its code
// changed during the run.
func functionDiagnostic(err error, function, afterword string) (diag.Diagnostic, bool) {
	var notInvocable *faults.NotInvocableError
	var weighted *faults.WeightedAliasError
	var codeChanged *faults.CodeChangedError
	switch {
	case errors.As(err, &notInvocable):
		return diag.NewAttributeErrorDiagnostic(path.Root(spec.AttrLambdaARN), "Function Cannot Be Invoked",
			fmt.Sprintf("The function cannot be invoked as it is: %s. Every invocation of the run would fail, so the run checks "+
				"this before changing anything. %s %s\n\nFunction: %s\nCause: %s\n\nOriginal error: %s",
				notInvocable.Cause, notInvocable.Fix, afterword, notInvocable.Function, notInvocable.Cause, err.Error())), true
	case errors.As(err, &weighted):
		return diag.NewAttributeErrorDiagnostic(path.Root(spec.AttrAutoOptimizeAlias), "Alias Has Weighted Routing",
			fmt.Sprintf("auto_optimize_alias would move alias %s, which routes %s (weighted routing, as a CodeDeploy canary or "+
				"linear deployment sets while it shifts traffic): moving it to the optimum would change that split, so the run stopped before changing anything. "+
				"Set %s = %q to point its main version at the optimum and keep the other versions' weights, or %q to send all "+
				"its traffic to the optimum; or tune once the traffic shift is over. %s\n\nFunction: %s\nAlias: %s\nVersion: %s\nRouting: %s",
				weighted.Alias, routingShares(weighted), spec.AttrAliasRouting, spec.AliasRoutingKeep, spec.AliasRoutingClear, afterword,
				function, weighted.Alias, weighted.Version, routingShares(weighted))), true
	case errors.Is(err, faults.ErrResponseTooLarge):
		var step *faults.StepError
		power := "unknown"
		if errors.As(err, &step) {
			power = fmt.Sprintf("%d MB", step.Power)
		}
		return diag.NewAttributeErrorDiagnostic(path.Root(spec.AttrInvokeMode), "Response Too Large",
			fmt.Sprintf("The function returned a response larger than a buffered invocation (Invoke) may return, so it cannot be "+
				"measured with invoke_mode = %q. Set invoke_mode = %q (or %q, which streams when the first response is too "+
				"large) to read it with InvokeWithResponseStream, as callers of a function with large responses do. %s\n\n"+
				"Function: %s\nMemory size: %s\nAWS call: Invoke\n\nOriginal error: %s",
				spec.InvokeModeBuffered, spec.InvokeModeStream, spec.InvokeModeAuto, afterword, function, power, err.Error())), true
	case errors.As(err, &codeChanged):
		if afterword == cleanedUp {
			afterword = "The run deleted the aliases and versions it had created and restored the function's memory size and " +
				"description; the new code stays as it was deployed."
		}
		return diag.NewErrorDiagnostic("Function Code Changed During Tuning",
			fmt.Sprintf("The function's code changed while it was being tuned (CodeSha256 %s when the run began, %s when %s found it): "+
				"someone deployed it while the run was configuring it. Memory sizes measured on two different codes "+
				"cannot be compared, so the run stopped and nothing it measured is reported. %s Tuning in place holds the "+
				"function's updates for the length of its configuration chain: tune a function that is deployed while it is tuned "+
				"with isolation = \"copies\", which never changes it, or apply again once the deploy is done.\n\n"+
				"Function: %s\nCode when the run began: %s\nCode now: %s\nFound by: %s\n\nOriginal error: %s",
				codeChanged.Was, codeChanged.Now, codeChanged.Operation, afterword,
				codeChanged.Function, codeChanged.Was, codeChanged.Now, codeChanged.Operation, err.Error())), true
	}
	return nil, false
}

// routingShares renders an alias's traffic split, its main version first:
// "90 % to version 1 and 10 % to version 2".
func routingShares(e *faults.WeightedAliasError) string {
	versions := slices.Sorted(maps.Keys(e.Weights))
	rest := 1.0
	shares := make([]string, 0, len(versions))
	for _, v := range versions {
		rest -= e.Weights[v]
		shares = append(shares, fmt.Sprintf("%s to version %s", percent(e.Weights[v]), v))
	}
	return strings.Join(append([]string{fmt.Sprintf("%s to version %s", percent(rest), e.Version)}, shares...), " and ")
}

// percent renders a share (0.1) as "10 %".
func percent(share float64) string { return strconv.FormatFloat(100*share, 'g', 4, 64) + " %" }

// throttleAdvice names the limit throttled invocations of function hit and
// how to stay under it.
func throttleAdvice(e *faults.ThrottledError, function string) string {
	said := fmt.Sprintf("Lambda kept throttling the invocations after all retries: they hit %s", e.Limit())
	if e.Reason != "" {
		said += fmt.Sprintf(" (%s)", e.Reason)
	}
	// The reasons faults.ThrottledError.Limit tells apart.
	switch {
	case strings.HasPrefix(e.Reason, "ReservedFunction"):
		return said + fmt.Sprintf(". Raise the function's reserved concurrency while it is tuned or remove it (aws lambda "+
			"delete-function-concurrency --function-name %s), or keep the run under it: max_concurrency at most the reserved "+
			"concurrency, less what the function's own traffic takes of it (max_concurrency = 1 runs one invocation at a time). "+
			"Tuning copies (isolation = \"copies\") avoids the limit: copies have no reserved concurrency.", function)
	case e.Reason == "ConcurrentInvocationLimitExceeded":
		return said + ". Lower max_concurrency, or the provider's max_concurrent_invocations (which caps all runs " +
			"together), or ask AWS for a higher account concurrency limit (Service Quotas: Lambda concurrent executions)."
	case strings.Contains(e.Reason, "RateLimit"):
		return said + ". Keep fewer invocations in flight: lower max_concurrency, or set parallel_invocation = false."
	}
	return said + ". Lower max_concurrency, set parallel_invocation = false, or raise the provider's max_retries."
}
