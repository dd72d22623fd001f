package spec

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
	in.validateInvocation(add)
	in.validateManagedInstances(add)
	return errors.Join(errs...)
}

// addFunc records one *InputError.
type addFunc func(attribute, format string, args ...any)

func (in Input) validateTarget(add addFunc) {
	partial := partialARNPattern.FindStringSubmatch(in.LambdaARN)
	qualifier := ""
	switch {
	case in.LambdaARN == "":
		add(AttrLambdaARN, "is required: set it to the name or the ARN (%s) of the function to tune", FunctionARNExample)
	case strings.HasPrefix(in.LambdaARN, "arn:"):
		m := functionARNPattern.FindStringSubmatch(in.LambdaARN)
		if m == nil {
			add(AttrLambdaARN, "%q is not a Lambda function ARN: use the form %s, or just the function name", in.LambdaARN, FunctionARNExample)
			break
		}
		qualifier = m[3]
		if got, want := ARNPartition(in.LambdaARN), PartitionOf(m[1]); got != want {
			add(AttrLambdaARN, "%q names the partition %s, but the Region %s is in %s: write arn:%s:lambda:%s:…", in.LambdaARN, got, m[1], want, want, m[1])
		}
	case partial != nil:
		qualifier = partial[2]
	case !functionNamePattern.MatchString(in.LambdaARN):
		add(AttrLambdaARN, "%q is neither a function name (1-64 letters, digits, hyphens and underscores), a partial ARN (<account-id>:function:<name>) nor a function ARN (%s)",
			in.LambdaARN, FunctionARNExample)
	}
	if qualifier != "" && in.Isolation != IsolationCopies {
		add(AttrLambdaARN, "%q has the qualifier %q: tuning in place works on $LATEST (it publishes its own versions), so remove \":%s\" from the ARN, or set isolation = \"copies\" to tune copies of that version",
			in.LambdaARN, qualifier, qualifier)
	}
	switch {
	case in.DryRun && in.Num < 1:
		// A dry run invokes once per power value, but a weighted payload is
		// still laid out over num to check it.
		add(AttrNum, "must be at least 1 in a dry run, got %d", in.Num)
	case !in.DryRun && in.Num < MinNum:
		add(AttrNum, "must be at least %d (10 to 100 is recommended), got %d; set dry_run = true to only check permissions and wiring", MinNum, in.Num)
	case in.Num > MaxNum:
		add(AttrNum, "must be at most %d (10 to 100 is recommended), got %d", MaxNum, in.Num)
	case in.OnlyColdStarts && !in.DryRun && in.Num*len(ResolvePowerValues(in, nil)) > MaxColdStartVersions:
		add(AttrNum, "with only_cold_starts, num × power values must be at most %d (each invocation publishes a version and creates an alias), got %d × %d; lower num or test fewer power values",
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
		add(AttrPowerValues, "cannot be combined with power_values_all = true (which tests every value from %d to %d MB in steps of %d): remove one of them",
			MinPower, AllPowerValuesMax, AllPowerValuesStep)
	}
	seen := make(map[int32]bool, len(in.PowerValues))
	for _, p := range in.PowerValues {
		if p < MinPower || p > MaxPower {
			add(AttrPowerValues, "%d MB is out of range: each power value must be between %d and %d MB", p, MinPower, MaxPower)
		}
		if seen[p] {
			add(AttrPowerValues, "%d MB is listed more than once: list each power value once", p)
		}
		seen[p] = true
	}
}

func (in Input) validatePayload(add addFunc) {
	attr := in.payloadAttribute()
	if in.Payload != nil && in.PayloadS3 != "" {
		add(AttrPayloadS3, "cannot be combined with %s: set only one of them", attr)
	}
	if in.Payload != nil {
		switch {
		case !json.Valid([]byte(*in.Payload)):
			add(attr, `must be JSON text, for example jsonencode({ key = "value" }); to send a plain string, encode it as a JSON string`)
		case in.numIsValid():
			// The weighted layout depends on num; with a bad num that error is enough.
			if _, err := analysis.BuildPayloads([]byte(*in.Payload), in.Num); err != nil {
				add(attr, "%s", err.Error())
			}
		}
	}
	if in.PayloadWriteOnlyVersion != 0 && !in.PayloadWriteOnly {
		add(AttrPayloadWOVersion, "has no effect without payload_wo: set payload_wo, or remove payload_wo_version")
	}
	if in.PayloadS3 != "" {
		if _, _, err := ParseS3URI(in.PayloadS3); err != nil {
			add(AttrPayloadS3, "%s", err.Error())
		}
	}
}

func (in Input) validateAnalysis(add addFunc) {
	if d := in.DiscardTopBottom; d != nil && !(*d >= 0 && *d <= MaxDiscardTopBottom) {
		add(AttrDiscardTopBottom, "must be between 0 and %g (the share of fastest and of slowest invocations left out of the averages), got %g",
			MaxDiscardTopBottom, *d)
	}
	switch in.Strategy {
	case "", analysis.StrategyCost, analysis.StrategySpeed, analysis.StrategyBalanced:
	default:
		add(AttrStrategy, "%q is not a strategy: use %s", string(in.Strategy), `"cost" (the default), "speed" or "balanced"`)
	}
	if in.TieBreaker != "" && !slices.Contains(analysis.TieRules(), in.TieBreaker) {
		add(AttrTieBreaker, "%q is not a tie breaker: use %s", in.TieBreaker, quotedList(analysis.TieRules()))
	}
	if in.TieBreaker != "" && in.TieBreaker != string(analysis.TieRuleNone) && in.DryRun {
		add(AttrTieBreaker, "has no effect in a dry run, which chooses nothing: remove tie_breaker or dry_run")
	}
	if w := in.BalancedWeight; w != nil {
		if !(*w >= 0 && *w <= 1) {
			add(AttrBalancedWeight, "must be between 0 (all speed) and 1 (all cost), got %g", *w)
		}
		if in.Strategy != analysis.StrategyBalanced {
			add(AttrBalancedWeight, "only applies to strategy = \"balanced\": set that strategy or remove balanced_weight")
		}
	}
}

func (in Input) validateExecution(add addFunc) {
	if in.SleepBetweenRunsMs < 0 || in.SleepBetweenRunsMs > MaxSleepBetweenRunsMs {
		add(AttrSleepBetweenRunsMs, "must be between 0 and %d milliseconds (an hour), got %d", MaxSleepBetweenRunsMs, in.SleepBetweenRunsMs)
	}
	if in.SleepBetweenRunsMs > 0 && in.ParallelInvocation {
		add(AttrSleepBetweenRunsMs, "only applies to serial invocations: remove it or set parallel_invocation = false")
	}
	if in.MaxConcurrency < 0 {
		add(AttrMaxConcurrency, "must be 0 (the default cap) or more, got %d", in.MaxConcurrency)
	}
	processors := []struct{ attr, arn string }{
		{AttrPreProcessorARN, in.PreProcessorARN},
		{AttrPostProcessorARN, in.PostProcessorARN},
	}
	for _, p := range processors {
		if p.arn != "" && !IsFunctionARN(p.arn) {
			add(p.attr, "%q is not a function ARN: use the full ARN (%s), not a bare name", p.arn, FunctionARNExample)
		}
	}
	for i, e := range in.AllowedExceptions {
		if strings.TrimSpace(e) == "" {
			add(AttrAllowedExceptions, "entry %d is empty: list error types such as \"Runtime.OutOfMemory\" or \"HandledError\"", i)
		}
	}
}

func (in Input) validateOptimize(add addFunc) {
	if in.DryRun && in.AutoOptimize {
		add(AttrAutoOptimize, "has no effect in a dry run, which measures nothing and so has no optimum to apply: remove auto_optimize or dry_run")
	}
	alias := in.AutoOptimizeAlias
	if in.AutoOptimizeAllowUnreleased && alias == "" {
		add(AttrAllowUnreleased, "only applies with auto_optimize_alias: set one or remove auto_optimize_allow_unreleased")
	}
	switch in.AutoOptimizeAliasRouting {
	case "":
	case AliasRoutingKeep, AliasRoutingClear:
		if alias == "" {
			add(AttrAliasRouting, "only applies with auto_optimize_alias: set one or remove auto_optimize_alias_routing")
		}
	default:
		add(AttrAliasRouting, "%q is not a routing choice: use %q (move the alias's version and keep the other versions' weights) or %q (send the alias's traffic to the optimum alone)",
			in.AutoOptimizeAliasRouting, AliasRoutingKeep, AliasRoutingClear)
	}
	if alias == "" {
		return
	}
	if !in.AutoOptimize {
		add(AttrAutoOptimizeAlias, "only applies with auto_optimize = true: set it or remove auto_optimize_alias")
	}
	if problem := AliasNameProblem(alias); problem != "" {
		add(AttrAutoOptimizeAlias, "%q %s", alias, problem)
	}
}

// quotedList is "a", "b" or "c".
func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// aliasNamePattern is what Lambda accepts as an alias name (besides not
// being all digits).
var (
	aliasNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	allDigitsPattern = regexp.MustCompile(`^[0-9]+$`)
)

// AliasNameProblem says why name cannot be auto_optimize_alias, after the
// name in quotes ("is not a valid alias name: …"), or "".
func AliasNameProblem(name string) string {
	if len(name) > MaxAliasNameLength || !aliasNamePattern.MatchString(name) || allDigitsPattern.MatchString(name) {
		return fmt.Sprintf("is not a valid alias name: use 1 to %d letters, digits, hyphens and underscores, not only digits", MaxAliasNameLength)
	}
	if why := runrecord.ReservedAlias(name); why != "" {
		return "is reserved: " + why + "; choose another name"
	}
	return ""
}
