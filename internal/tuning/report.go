package tuning

import (
	"fmt"
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
	if c, ok := analysis.CompareWithBaseline(results, best, rep.BaselinePower); ok {
		rep.OptimalRelativeCost, rep.OptimalRelativeDuration = &c.CostRatio, &c.DurationRatio
	}
	rep.VisualizationURL = analysis.VisualizationURL(r.s.visualization, usable, r.price.Currency)
	rep.Output = analysis.UpstreamOutput(best, rep.TuningCost, rep.VisualizationURL, usable, r.in.IncludeOutputResults)
	r.emit(Event{Phase: "analyze", Power: best.Power,
		Message: fmt.Sprintf("optimal power %d MB (%s strategy): %.2f ms, %.9f %s per invocation",
			best.Power, r.strategy, best.AverageDuration, best.AverageCost, r.price.Currency)})
	return rep, nil
}

// failureSummary says why each power value could not be chosen.
func failureSummary(results []analysis.PowerResult) string {
	parts := make([]string, 0, len(results))
	for _, res := range results {
		reason := res.FailureReason
		if reason == "" {
			reason = fmt.Sprintf("%d of %d invocations ended in an allowed exception", res.Errors, res.Invocations)
		}
		parts = append(parts, fmt.Sprintf("%d MB: %s", res.Power, reason))
	}
	return strings.Join(parts, "; ")
}
