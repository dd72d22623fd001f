package provider

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// resultSentence says a run's outcome in one sentence, measured against
// the memory size the function had before the run.
func resultSentence(rep *report.Report, in spec.Input) string {
	if in.DryRun {
		return fmt.Sprintf("dry run of %s done: every memory size answered, nothing was chosen or changed", rep.FunctionARN)
	}
	if rep.Managed != nil && rep.Managed.Optimum != nil {
		return managedResultSentence(rep, in)
	}
	optimum := fmt.Sprintf("%d MB", rep.OptimalPower)
	if rep.OptimalArchitecture != "" && rep.OptimalArchitecture != rep.Architecture {
		optimum += " on " + rep.OptimalArchitecture
	}
	s := fmt.Sprintf("optimal memory size for %s: %s (%s strategy), %.1f ms and %.9g %s per invocation",
		rep.FunctionARN, optimum, strategyOf(in), rep.OptimalDuration, rep.OptimalCost, rep.Currency)
	switch {
	case rep.BaselinePower == 0:
	case rep.BaselinePower == rep.OptimalPower && rep.OptimalArchitecture == rep.Architecture:
		s += ", the memory size it has today"
	case rep.OptimalRelativeCost != nil && rep.OptimalRelativeDuration != nil:
		s += fmt.Sprintf("; against today's %d MB: %s and %s", rep.BaselinePower,
			relative(*rep.OptimalRelativeCost, "cheaper", "more expensive", "the same cost"),
			relative(*rep.OptimalRelativeDuration, "faster", "slower", "the same speed"))
	default:
		s += fmt.Sprintf("; today's %d MB was not measured, so there is nothing to compare it with", rep.BaselinePower)
	}
	if in.AutoOptimize {
		target := "the function"
		if in.AutoOptimizeAlias != "" {
			target = "alias " + in.AutoOptimizeAlias
		}
		s += fmt.Sprintf("; auto_optimize set %s to %d MB", target, rep.OptimalPower)
	}
	return s
}

// relative says a ratio of the optimum to the baseline in words: 0.62 with
// "faster", "slower" is "38 % faster"; same is said below half a percent.
func relative(ratio float64, less, more, same string) string {
	change := math.Round(100 * (1 - ratio))
	switch {
	case change > 0:
		return fmt.Sprintf("%.0f %% %s", change, less)
	case change < 0:
		return fmt.Sprintf("%.0f %% %s", -change, more)
	}
	return same
}

// strategyOf is the strategy a run used: cost unless set.
func strategyOf(in spec.Input) string {
	return string(cmp.Or(in.Strategy, analysis.StrategyCost))
}

// managedResultSentence is the outcome of a tuning on Lambda Managed
// Instances: the setting chosen, what it serves and costs, and with the
// user's traffic its month against on-demand Lambda.
func managedResultSentence(rep *report.Report, in spec.Input) string {
	o := rep.Managed.Optimum
	s := fmt.Sprintf("optimal Lambda Managed Instances setting for %s: %s (%s strategy) on %s, %.1f requests/s per environment, "+
		"p99 %.0f ms, %.4f %s per million requests", rep.FunctionARN, o.ManagedSetting, strategyOf(in), o.Instance,
		o.RequestsPerSecondPerEnvironment, o.P99Ms, o.CostPerMillion, rep.Currency)
	if m := rep.Managed.Monthly; m != nil {
		s += fmt.Sprintf("; at %g requests/s: %d instances, %.2f %s a month", m.RequestsPerSecond, m.Instances, m.Cost, rep.Currency)
	}
	if c := rep.Managed.Comparison; c != "" {
		s += ". " + strings.TrimSuffix(c, ".")
	}
	return s
}
