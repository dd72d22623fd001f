package tuning

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// Attribute names as Terraform users write them (the json tags of Input).
const (
	attrLambdaARN          = "lambda_arn"
	attrNum                = "num"
	attrPowerValues        = "power_values"
	attrPayload            = "payload"
	attrPayloadS3          = "payload_s3"
	attrMaxConcurrency     = "max_concurrency"
	attrStrategy           = "strategy"
	attrBalancedWeight     = "balanced_weight"
	attrAutoOptimize       = "auto_optimize"
	attrAutoOptimizeAlias  = "auto_optimize_alias"
	attrAllowUnreleased    = "auto_optimize_allow_unreleased"
	attrPreProcessorARN    = "pre_processor_arn"
	attrPostProcessorARN   = "post_processor_arn"
	attrDiscardTopBottom   = "discard_top_bottom"
	attrSleepBetweenRunsMs = "sleep_between_runs_ms"
	attrAllowedExceptions  = "allowed_exceptions"
	attrIsolation          = "isolation"
	attrCopiesCodeS3URI    = "copies_code_s3_uri"
	attrArchitectures      = "architectures"
	attrOnlyColdStarts     = "only_cold_starts"
)

// Limits from TUNING.md and the Lambda API.
const (
	maxDiscardTopBottom = 0.4
	maxAliasNameLength  = 128
	allPowerValuesMax   = 3008
	allPowerValuesStep  = 64
	functionARNExample  = "arn:aws:lambda:<region>:<account-id>:function:<name>"
	strategiesUsage     = `"cost" (the default), "speed" or "balanced"`
)

var (
	// functionNamePattern is an unqualified Lambda function name.
	functionNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	// functionARNPattern is a full function ARN with an optional qualifier;
	// groups: region, name, qualifier.
	functionARNPattern = regexp.MustCompile(
		`^arn:aws(?:-cn|-us-gov)?:lambda:([a-z]{2,}(?:-[a-z]+)+-[0-9]+):[0-9]{12}:function:([a-zA-Z0-9_-]{1,64})(?::([a-zA-Z0-9$_-]+))?$`)
	// partialARNPattern is "<account-id>:function:<name>", which Lambda also
	// accepts (in the caller's region); groups: name, qualifier.
	partialARNPattern = regexp.MustCompile(`^[0-9]{12}:function:([a-zA-Z0-9_-]{1,64})(?::([a-zA-Z0-9$_-]+))?$`)
	aliasNamePattern  = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	allDigitsPattern  = regexp.MustCompile(`^[0-9]+$`)
	runAliasPattern   = regexp.MustCompile(`^RAM[0-9]`)
)

// ParseFunctionARN splits a full function ARN into its region and function
// name (without any qualifier). A partial ARN gives "", its name, false, and
// anything else, such as a bare function name, "", s, false: the caller
// uses its default region.
func ParseFunctionARN(s string) (region, name string, isARN bool) {
	if m := functionARNPattern.FindStringSubmatch(s); m != nil {
		return m[1], m[2], true
	}
	if m := partialARNPattern.FindStringSubmatch(s); m != nil {
		return "", m[1], false
	}
	return "", s, false
}

// Validate checks every input and returns *InputError values joined with
// errors.Join, each naming the attribute and how to fix it. Messages never
// quote the payload.
func (in Input) Validate() error {
	var errs []error
	add := func(attribute, format string, args ...any) {
		errs = append(errs, &InputError{Attribute: attribute, Message: fmt.Sprintf(format, args...)})
	}

	in.validateTarget(add)
	in.validatePowerValues(add)
	in.validatePayload(add)
	in.validateAnalysis(add)
	in.validateExecution(add)
	in.validateSampling(add)
	in.validateOptimize(add)
	in.validateIsolation(add)
	return errors.Join(errs...)
}

// addFunc records one *InputError.
type addFunc func(attribute, format string, args ...any)

func (in Input) validateTarget(add addFunc) {
	partial := partialARNPattern.FindStringSubmatch(in.LambdaARN)
	qualifier := ""
	switch {
	case in.LambdaARN == "":
		add(attrLambdaARN, "is required: set it to the name or the ARN (%s) of the function to tune", functionARNExample)
	case strings.HasPrefix(in.LambdaARN, "arn:"):
		m := functionARNPattern.FindStringSubmatch(in.LambdaARN)
		if m == nil {
			add(attrLambdaARN, "%q is not a Lambda function ARN: use the form %s, or just the function name", in.LambdaARN, functionARNExample)
			break
		}
		qualifier = m[3]
	case partial != nil:
		qualifier = partial[2]
	case !functionNamePattern.MatchString(in.LambdaARN):
		add(attrLambdaARN, "%q is neither a function name (1-64 letters, digits, hyphens and underscores), a partial ARN (<account-id>:function:<name>) nor a function ARN (%s)",
			in.LambdaARN, functionARNExample)
	}
	if qualifier != "" && in.Isolation != IsolationCopies {
		add(attrLambdaARN, "%q has the qualifier %q: tuning in place works on $LATEST (it publishes its own versions), so remove \":%s\" from the ARN, or set isolation = \"copies\" to tune copies of that version",
			in.LambdaARN, qualifier, qualifier)
	}
	switch {
	case in.DryRun && in.Num < 1:
		// A dry run invokes once per power value, but a weighted payload is
		// still laid out over num to check it.
		add(attrNum, "must be at least 1 in a dry run, got %d", in.Num)
	case !in.DryRun && in.Num < MinNum:
		add(attrNum, "must be at least %d (10 to 100 is recommended), got %d; set dry_run = true to only check permissions and wiring", MinNum, in.Num)
	case in.Num > MaxNum:
		add(attrNum, "must be at most %d (10 to 100 is recommended), got %d", MaxNum, in.Num)
	case in.OnlyColdStarts && !in.DryRun && in.Num*len(ResolvePowerValues(in, nil)) > MaxColdStartVersions:
		add(attrNum, "with only_cold_starts, num × power values must be at most %d (each invocation publishes a version and creates an alias), got %d × %d; lower num or test fewer power values",
			MaxColdStartVersions, in.Num, len(ResolvePowerValues(in, nil)))
	}
}

// numIsValid reports whether num passed its own check, so that rules
// depending on it are worth checking.
func (in Input) numIsValid() bool {
	if in.Num > MaxNum {
		return false
	}
	if in.DryRun {
		return in.Num >= 1
	}
	return in.Num >= MinNum
}

func (in Input) validatePowerValues(add addFunc) {
	if in.PowerValuesAll && len(in.PowerValues) > 0 {
		add(attrPowerValues, "cannot be combined with power_values_all = true (which tests every value from %d to %d MB in steps of %d): remove one of them",
			MinPower, allPowerValuesMax, allPowerValuesStep)
	}
	seen := make(map[int32]bool, len(in.PowerValues))
	for _, p := range in.PowerValues {
		if p < MinPower || p > MaxPower {
			add(attrPowerValues, "%d MB is out of range: each power value must be between %d and %d MB", p, MinPower, MaxPower)
		}
		if seen[p] {
			add(attrPowerValues, "%d MB is listed more than once: list each power value once", p)
		}
		seen[p] = true
	}
}

func (in Input) validatePayload(add addFunc) {
	if in.Payload != nil && in.PayloadS3 != "" {
		add(attrPayloadS3, "cannot be combined with payload: set only one of them")
	}
	if in.Payload != nil {
		switch {
		case !json.Valid([]byte(*in.Payload)):
			add(attrPayload, `must be JSON text, for example jsonencode({ key = "value" }); to send a plain string, encode it as a JSON string`)
		case in.numIsValid():
			// The weighted layout depends on num; with a bad num that error is enough.
			if _, err := analysis.BuildPayloads([]byte(*in.Payload), in.Num); err != nil {
				add(attrPayload, "%s", err.Error())
			}
		}
	}
	if in.PayloadS3 != "" {
		if _, _, err := ParseS3URI(in.PayloadS3); err != nil {
			add(attrPayloadS3, "%s", err.Error())
		}
	}
}

func (in Input) validateAnalysis(add addFunc) {
	if d := in.DiscardTopBottom; d != nil && !(*d >= 0 && *d <= maxDiscardTopBottom) {
		add(attrDiscardTopBottom, "must be between 0 and %g (the share of fastest and of slowest invocations left out of the averages), got %g",
			maxDiscardTopBottom, *d)
	}
	switch in.Strategy {
	case "", analysis.StrategyCost, analysis.StrategySpeed, analysis.StrategyBalanced:
	default:
		add(attrStrategy, "%q is not a strategy: use %s", string(in.Strategy), strategiesUsage)
	}
	if w := in.BalancedWeight; w != nil {
		if !(*w >= 0 && *w <= 1) {
			add(attrBalancedWeight, "must be between 0 (all speed) and 1 (all cost), got %g", *w)
		}
		if in.Strategy != analysis.StrategyBalanced {
			add(attrBalancedWeight, "only applies to strategy = \"balanced\": set that strategy or remove balanced_weight")
		}
	}
}

func (in Input) validateExecution(add addFunc) {
	if in.SleepBetweenRunsMs < 0 {
		add(attrSleepBetweenRunsMs, "must be 0 or more milliseconds, got %d", in.SleepBetweenRunsMs)
	}
	if in.SleepBetweenRunsMs > 0 && in.ParallelInvocation {
		add(attrSleepBetweenRunsMs, "only applies to serial invocations: remove it or set parallel_invocation = false")
	}
	if in.MaxConcurrency < 0 {
		add(attrMaxConcurrency, "must be 0 (the default cap) or more, got %d", in.MaxConcurrency)
	}
	processors := []struct{ attr, arn string }{
		{attrPreProcessorARN, in.PreProcessorARN},
		{attrPostProcessorARN, in.PostProcessorARN},
	}
	for _, p := range processors {
		if p.arn != "" && !functionARNPattern.MatchString(p.arn) {
			add(p.attr, "%q is not a function ARN: use the full ARN (%s), not a bare name", p.arn, functionARNExample)
		}
	}
	for i, e := range in.AllowedExceptions {
		if strings.TrimSpace(e) == "" {
			add(attrAllowedExceptions, "entry %d is empty: list error types such as \"Runtime.OutOfMemory\" or \"HandledError\"", i)
		}
	}
}

func (in Input) validateOptimize(add addFunc) {
	if in.DryRun && in.AutoOptimize {
		add(attrAutoOptimize, "has no effect in a dry run, which measures nothing and so has no optimum to apply: remove auto_optimize or dry_run")
	}
	alias := in.AutoOptimizeAlias
	if in.AutoOptimizeAllowUnreleased && alias == "" {
		add(attrAllowUnreleased, "only applies with auto_optimize_alias: set one or remove auto_optimize_allow_unreleased")
	}
	if alias == "" {
		return
	}
	if !in.AutoOptimize {
		add(attrAutoOptimizeAlias, "only applies with auto_optimize = true: set it or remove auto_optimize_alias")
	}
	switch {
	case len(alias) > maxAliasNameLength || !aliasNamePattern.MatchString(alias) || allDigitsPattern.MatchString(alias):
		add(attrAutoOptimizeAlias, "%q is not a valid alias name: use 1 to %d letters, digits, hyphens and underscores, not only digits",
			alias, maxAliasNameLength)
	case alias == runrecord.LockAlias || alias == runrecord.DescriptionAlias:
		add(attrAutoOptimizeAlias, "%q is reserved: a run keeps its record in that alias; choose another name", alias)
	case runAliasPattern.MatchString(alias):
		add(attrAutoOptimizeAlias, "%q is reserved: names starting with RAM and a digit are the run's temporary aliases, which it deletes; choose another name", alias)
	}
}

// ResolvePowerValues returns the power values a run uses, ascending and
// without duplicates: the input's, all of 128..3008 step 64 when
// PowerValuesAll, or the deployment default (DefaultPowerValues when that
// is empty). The result is always a fresh slice.
func ResolvePowerValues(in Input, deploymentDefault []int32) []int32 {
	var values []int32
	switch {
	case len(in.PowerValues) > 0:
		values = slices.Clone(in.PowerValues)
	case in.PowerValuesAll:
		for p := int32(MinPower); p <= allPowerValuesMax; p += allPowerValuesStep {
			values = append(values, p)
		}
	case len(deploymentDefault) > 0:
		values = slices.Clone(deploymentDefault)
	default:
		values = slices.Clone(DefaultPowerValues)
	}
	slices.Sort(values)
	return slices.Compact(values)
}
