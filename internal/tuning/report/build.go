package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Facts are what a report says about the run besides its results.
type Facts struct {
	Input        spec.Input
	FunctionARN  string // unqualified
	Region       string
	Architecture string // the function's
	Currency     string
	CodeSha256   string
	// BaselinePower is $LATEST memory before the run.
	BaselinePower int32
	// ChartBase is the visualization's base URL.
	ChartBase string
	// Ties are the sizes the measurements cannot tell apart from a chosen
	// one; nil: not judged.
	Ties func(chosen analysis.SizeKey) []analysis.SizeKey
	// InvokeMode is how the run's invocations were made and read.
	InvokeMode string
}

// Build analyzes every result and, unless the run was a dry run, chooses
// the optimum. Results are in the run's order (by architecture, then
// ascending power); failed ones are never chosen. TunedAt is left to the
// caller, set when the run is over.
func Build(f Facts, results []analysis.PowerResult) (*Report, error) {
	var tuningCost float64
	for _, res := range results {
		tuningCost += res.TotalCost
	}
	rep := &Report{
		Kind:               Kind,
		Input:              f.Input,
		FunctionARN:        f.FunctionARN,
		Region:             f.Region,
		Architecture:       f.Architecture,
		Currency:           f.Currency,
		FunctionCodeSha256: f.CodeSha256,
		TuningCost:         analysis.RoundCost(tuningCost),
		Results:            results,
		BaselinePower:      f.BaselinePower,
		InvocationsSaved:   invocationsSaved(f.Input.InvocationsPerSize(), results),
		InvokeMode:         f.InvokeMode,
	}
	if f.Input.DryRun {
		return rep, nil
	}
	a := f.Input.Analysis()
	best, ok := analysis.SelectOptimal(results, a.Strategy, a.Weight)
	if !ok {
		return nil, fmt.Errorf("%w: %s", faults.ErrNoSuccessfulPowerValue, failureSummary(results))
	}
	if f.Ties != nil {
		results = analysis.MarkWithinNoise(results, f.Ties(best.Key()))
		if chosen := analysis.ChooseWithinNoise(results, best, analysis.TieRule(f.Input.TieBreaker)); chosen.Key() != best.Key() {
			best = chosen
			results = analysis.MarkWithinNoise(results, f.Ties(best.Key()))
		}
		rep.Results = results
		for _, res := range results {
			if res.WithinNoise {
				rep.WithinNoise = append(rep.WithinNoise, res.Key())
			}
		}
	}
	rep.OptimalPower = best.Power
	rep.OptimalCost = best.AverageCost
	rep.OptimalDuration = best.AverageDuration
	rep.OptimalArchitecture = cmp.Or(best.Architecture, f.Architecture)
	// The baseline is today's memory size on the function's own architecture.
	offFunctionArch := func(res analysis.PowerResult) bool {
		return res.Architecture != "" && res.Architecture != f.Architecture
	}
	if c, ok := analysis.CompareWithBaseline(slices.DeleteFunc(slices.Clone(results), offFunctionArch), best, rep.BaselinePower); ok {
		rep.OptimalRelativeCost, rep.OptimalRelativeDuration = &c.CostRatio, &c.DurationRatio
	}
	var usable []analysis.PowerResult // what the chart sees
	for _, res := range results {
		if !res.Failed {
			usable = append(usable, res)
		}
	}
	// The chart shows the optimum's architecture: one series of memory
	// sizes, as the original draws it.
	rep.VisualizationURL = analysis.VisualizationURL(f.ChartBase, analysis.OfArchitecture(usable, best.Architecture), f.Currency)
	rep.VisualizationURLs = chartsByArchitecture(f, usable)
	rep.Output = rep.UpstreamOutput(f.Input.IncludeOutputResults)
	return rep, nil
}

// UpstreamOutput is the original tool's output for the recorded results:
// the optimum and, with stats, the optimum's architecture's series; "" for
// a dry run, which chooses nothing. The provider re-shapes output with it
// when include_output_results changes.
func (r *Report) UpstreamOutput(stats bool) string {
	if r.OptimalPower == 0 {
		return ""
	}
	var usable []analysis.PowerResult
	for _, res := range r.Results {
		if !res.Failed {
			res.Architecture = cmp.Or(res.Architecture, r.Architecture)
			usable = append(usable, res)
		}
	}
	series := analysis.OfArchitecture(usable, cmp.Or(r.OptimalArchitecture, r.Architecture))
	var best analysis.PowerResult
	for _, res := range series {
		if res.Power == r.OptimalPower {
			best = res
		}
	}
	return analysis.UpstreamOutput(best, r.TuningCost, r.VisualizationURL, series, stats)
}

// chartsByArchitecture is a chart per compared architecture; nil when the
// run did not compare architectures.
func chartsByArchitecture(f Facts, usable []analysis.PowerResult) map[string]string {
	if len(f.Input.Architectures) == 0 {
		return nil
	}
	urls := make(map[string]string, len(f.Input.Architectures))
	for _, arch := range f.Input.Architectures {
		if series := analysis.OfArchitecture(usable, arch); len(series) > 0 {
			urls[arch] = analysis.VisualizationURL(f.ChartBase, series, f.Currency)
		}
	}
	return urls
}

// invocationsSaved is how many fewer invocations the run made than
// exhaustive sampling would have: num for every power value that did not
// fail, less what it had.
func invocationsSaved(num int, results []analysis.PowerResult) int {
	saved := 0
	for _, res := range results {
		if !res.Failed {
			saved += max(0, num-res.Invocations)
		}
	}
	return saved
}

// failureSummary says why each power value could not be chosen.
func failureSummary(results []analysis.PowerResult) string {
	parts := make([]string, 0, len(results))
	for _, res := range results {
		reason := res.FailureReason
		if reason == "" {
			reason = fmt.Sprintf("%d of %d invocations ended in an allowed exception", res.Errors, res.Invocations)
		}
		label := fmt.Sprintf("%d MB", res.Power)
		if res.Architecture != "" {
			label += " on " + res.Architecture
		}
		parts = append(parts, label+": "+reason)
	}
	return strings.Join(parts, "; ")
}
