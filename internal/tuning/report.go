package tuning

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// report analyzes every power value and, unless this is a dry run, chooses
// the optimum. TunedAt is set when the run is over.
func (r *run) report(execs []*powerExec) (*Report, error) {
	r.emit(Event{Phase: "analyze", Message: fmt.Sprintf("analyzing %d power values", len(execs))})
	results := make([]analysis.PowerResult, len(execs)) // execs are in ascending power order
	var usable []analysis.PowerResult                   // what the choice, the chart and the stats see
	var tuningCost float64
	for i, pe := range execs {
		results[i] = pe.result()
		tuningCost += results[i].TotalCost
		if !results[i].Failed {
			usable = append(usable, results[i])
		}
	}
	rep := &Report{
		Kind:               ReportKind,
		Input:              r.in,
		FunctionARN:        r.arn,
		Region:             r.region,
		Architecture:       r.architecture,
		Currency:           r.price.Currency,
		FunctionCodeSha256: r.codeSha256,
		TuningCost:         analysis.RoundCost(tuningCost),
		Results:            results,
		BaselinePower:      r.original.memory,
		InvocationsSaved:   invocationsSaved(r.num, results),
	}
	if r.in.DryRun {
		return rep, nil
	}
	best, ok := analysis.SelectOptimal(results, r.strategy, r.weight)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoSuccessfulPowerValue, failureSummary(results))
	}
	r.optimum = best.Power
	rep.OptimalPower = best.Power
	rep.OptimalCost = best.AverageCost
	rep.OptimalDuration = best.AverageDuration
	rep.OptimalArchitecture = cmp.Or(best.Architecture, r.architecture)
	// The baseline is today's memory size on the function's own architecture.
	offFunctionArch := func(res analysis.PowerResult) bool {
		return res.Architecture != "" && res.Architecture != r.architecture
	}
	if c, ok := analysis.CompareWithBaseline(slices.DeleteFunc(slices.Clone(results), offFunctionArch), best, rep.BaselinePower); ok {
		rep.OptimalRelativeCost, rep.OptimalRelativeDuration = &c.CostRatio, &c.DurationRatio
	}
	// The chart and the upstream output show the optimum's architecture:
	// one series of memory sizes, as the original draws it.
	optimumSeries := analysis.OfArchitecture(usable, best.Architecture)
	rep.VisualizationURL = analysis.VisualizationURL(r.s.visualization, optimumSeries, r.price.Currency)
	rep.VisualizationURLs = r.visualizationsByArchitecture(usable)
	rep.Output = analysis.UpstreamOutput(best, rep.TuningCost, rep.VisualizationURL, optimumSeries, r.in.IncludeOutputResults)
	r.emit(Event{Phase: "analyze", Power: best.Power,
		Message: fmt.Sprintf("optimal power %d MB on %s (%s strategy): %.2f ms, %.9f %s per invocation",
			best.Power, rep.OptimalArchitecture, r.strategy, best.AverageDuration, best.AverageCost, r.price.Currency)})
	if r.in.AutoOptimize && rep.OptimalArchitecture != r.architecture {
		r.emit(Event{Phase: "optimize", Power: best.Power, Message: fmt.Sprintf(
			"auto_optimize applies %d MB but not the architecture: the function stays on %s, %s is left to you", best.Power, r.architecture, rep.OptimalArchitecture)})
	}
	return rep, nil
}

// visualizationsByArchitecture is a chart per compared architecture; nil
// when the run did not compare architectures.
func (r *run) visualizationsByArchitecture(usable []analysis.PowerResult) map[string]string {
	if len(r.in.Architectures) == 0 {
		return nil
	}
	urls := make(map[string]string, len(r.in.Architectures))
	for _, arch := range r.in.Architectures {
		if series := analysis.OfArchitecture(usable, arch); len(series) > 0 {
			urls[arch] = analysis.VisualizationURL(r.s.visualization, series, r.price.Currency)
		}
	}
	return urls
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
