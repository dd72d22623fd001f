package tuning

import (
	"cmp"
	"sync"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/target"
)

// powerExec is one size's invocations and what they measured.
type powerExec struct {
	*target.Size
	r     *run
	price analysis.Price // for the size's architecture

	mu          sync.Mutex
	ms          []analysis.Measurement
	totalMs     float64 // of ms, for the running average
	invocations int
	errors      int
	retired     bool    // adaptive sampling took it out of the race
	behindBy    float64 // how far behind the leader it was then
	predicted   bool    // the curve, not its own measurements, placed it behind
}

func (r *run) newPowerExec(power int32, arch string) *powerExec {
	pe := &powerExec{Size: target.NewSize(power, arch, r.way.Variants(), r.events), r: r, price: r.price,
		ms: make([]analysis.Measurement, 0, r.num)}
	if arch != "" {
		pe.price = r.cfg.Prices.Lookup(r.fn.Region(), arch)
	}
	return pe
}

// record counts one invocation; measured is false when it had no REPORT.
func (pe *powerExec) record(m analysis.Measurement, measured, isError bool) {
	pe.mu.Lock()
	done, average := pe.count(m, measured, isError)
	pe.mu.Unlock()
	// Every invocation is reported: each consumer paces its own lines (the
	// log by progress.Milestone, an action by time).
	pe.r.events.Emit(progress.Event{Kind: progress.Invoked, Power: pe.Power, Arch: pe.Arch, Done: done, Total: pe.r.num, AverageMs: average})
}

// count adds one invocation and returns how many there were and their mean
// duration so far. The caller holds pe.mu.
func (pe *powerExec) count(m analysis.Measurement, measured, isError bool) (done int, averageMs float64) {
	pe.invocations++
	if isError {
		pe.errors++
	}
	if measured {
		pe.ms = append(pe.ms, m)
		pe.totalMs += m.DurationMs
	}
	if len(pe.ms) > 0 {
		averageMs = pe.totalMs / float64(len(pe.ms))
	}
	return pe.invocations, averageMs
}

// measurements are the size's measured invocations so far.
func (pe *powerExec) measurements() []analysis.Measurement {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	return append([]analysis.Measurement(nil), pe.ms...)
}

// fail marks the size failed (skip_failed_power_values): its other
// invocations are not started and it is left out of the choice.
func (pe *powerExec) fail(fe *faults.FunctionError, m analysis.Measurement, measured bool) {
	pe.mu.Lock()
	pe.count(m, measured, true) // a measurement counts: it was billed all the same
	pe.mu.Unlock()
	reason := cmp.Or(fe.ErrorType, fe.Header+" error")
	if fe.ErrorMessage != "" {
		reason += ": " + fe.ErrorMessage
	}
	pe.Fail(reason)
}

// result analyzes the invocations. Measurements of invocations that ended
// in an allowed exception count: they were billed.
func (pe *powerExec) result() analysis.PowerResult {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	res := analysis.Analyze(pe.Power, pe.ms, 0, pe.price, pe.r.a.Discard)
	res.Architecture = pe.Arch
	res.Invocations = pe.invocations
	res.Errors = pe.errors
	if failure := pe.Failure(); failure != "" {
		res.Failed = true
		res.FailureReason = failure
	}
	res.Retired, res.BehindBy = pe.retired, pe.behindBy
	if pe.r.in.Sampling == spec.SamplingAdaptive && !res.Failed {
		res.Sampling = sampledAs(pe.retired, pe.predicted)
	}
	return res
}

// sampledAs is how adaptive sampling judged a size that did not fail.
func sampledAs(retired, predicted bool) string {
	switch {
	case predicted:
		return analysis.SampledPredicted
	case retired:
		return analysis.SampledRetired
	default:
		return analysis.SampledMeasured
	}
}
