package tuning

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/ledger"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// cleanup undoes what the run made, whatever happened: what its way of
// running made (copies, staged packages), then what it changed on the
// function (aliases, versions, $LATEST). It runs on a fresh context bounded
// by Config.CleanupTimeout, so a cancelled or timed-out run still cleans
// up; a failure says exactly what is left.
func (r *run) cleanup(parent context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), r.cfg.CleanupTimeout)
	defer cancel()
	if r.ledger.Dirty() {
		r.events.Emit(progress.Event{Kind: progress.Cleanup, Message: "cleaning up what the run made"})
	}
	errs := r.way.Cleanup(ctx)
	errs = append(errs, r.fn.Undo(ctx, r.finalMemory())...)
	r.warnOfOthers()
	if len(errs) == 0 {
		return nil
	}
	aliases, versions := r.ledger.Remaining()
	cur, known := r.ledger.Latest()
	original := r.fn.Original()
	return &faults.CleanupError{
		Function:            r.fn.ARN(),
		RemainingAliases:    aliases,
		RemainingVersions:   versions,
		RemainingCopies:     r.ledger.RemainingCopies(),
		RemainingStagedCode: r.ledger.StagedCode(false),
		LatestMemory:        r.ledger.LatestMemorySeen(),
		OriginalMemory:      r.finalMemory(),
		DescriptionChanged:  r.in.OnlyColdStarts && (!known || cur.Description != original.Description),
		Err:                 errors.Join(errs...),
	}
}

// warnOfOthers tells, once, what someone else changed on the function
// during the run: the run kept it, and sizes measured before and after a
// change of settings may not compare.
func (r *run) warnOfOthers() {
	others := r.fn.ChangedByOthers()
	if len(others) == 0 || r.othersTold {
		return
	}
	r.othersTold = true
	r.warn(fmt.Sprintf("Someone else changed $LATEST of %s during the tuning run: %s. The run kept every change it did not make itself "+
		"and restored only what it had changed; memory sizes measured before and after a change of settings may not compare: run the tuning again "+
		"once the function is settled, or use isolation = \"copies\", which tunes copies and never holds the function's updates.",
		r.fn.ARN(), strings.Join(others, "; ")))
}

// failed wraps a failed run's error with what it had done besides failing.
func (r *run) failed(err error) error {
	if err == nil {
		return nil
	}
	r.warningsMu.Lock()
	warnings := append([]string(nil), r.warnings...)
	r.warningsMu.Unlock()
	return &runFailure{recovery: r.recovery, changed: r.ledger.ChangedAny(), copies: r.ledger.MadeAnyCopy(), warnings: warnings, err: err}
}

// runFailure carries what a failed run had done besides failing.
type runFailure struct {
	recovery *ledger.Recovery
	changed  bool
	copies   bool // the run created copies
	warnings []string
	err      error
}

func (e *runFailure) Error() string { return e.err.Error() }
func (e *runFailure) Unwrap() error { return e.err }

// RecoveryOf is what a failed run recovered of an interrupted run before
// it failed, or nil. A successful run reports it in Report.Recovery.
func RecoveryOf(err error) *ledger.Recovery {
	var f *runFailure
	if errors.As(err, &f) {
		return f.recovery
	}
	return nil
}

// ChangedFunction says whether a failed run had changed the function
// (aliases, versions, $LATEST) before it failed. It then undid that unless
// err holds a CleanupError saying what is left. False: the run failed
// before changing anything (recovering an interrupted run aside).
func ChangedFunction(err error) bool {
	var f *runFailure
	return errors.As(err, &f) && f.changed
}

// WarningsOf are what a failed run left for the user to act on (as
// Report.Warnings of a successful one), or nil.
func WarningsOf(err error) []string {
	var f *runFailure
	if errors.As(err, &f) {
		return f.warnings
	}
	return nil
}

// MadeCopies says whether a failed run with isolation = "copies" had
// created copies of the function. It then deleted them unless err holds a
// CleanupError naming the remaining ones.
func MadeCopies(err error) bool {
	var f *runFailure
	return errors.As(err, &f) && f.copies
}

// report analyzes every size and, unless this is a dry run, chooses the
// optimum. TunedAt is set when the run is over.
func (r *run) report(execs []*powerExec) (*report.Report, error) {
	r.events.Note(0, "analyzing %d power values", len(execs))
	results := make([]analysis.PowerResult, len(execs))
	for i, pe := range execs {
		results[i] = pe.result()
	}
	rep, err := report.Build(report.Facts{Input: r.in, FunctionARN: r.fn.ARN(), Region: r.fn.Region(), Architecture: r.architecture,
		Currency: r.price.Currency, CodeSha256: r.codeSha256, BaselinePower: r.fn.Original().Memory, ChartBase: r.cfg.VisualizationURL,
		Ties: r.ties(execs), InvokeMode: r.invoker.mode()}, results)
	if err != nil || r.in.DryRun {
		return rep, err
	}
	r.warnOfThrottledStreams(rep.InvokeMode, rep.Results)
	r.optimum = rep.OptimalPower
	r.events.Emit(progress.Event{Kind: progress.Result, Power: rep.OptimalPower, Arch: rep.OptimalArchitecture,
		Message: fmt.Sprintf("optimal power %d MB on %s (%s strategy, %s invocations): %.2f ms, %.9f %s per invocation%s",
			rep.OptimalPower, rep.OptimalArchitecture, r.a.Strategy, invokedAs(rep.InvokeMode), rep.OptimalDuration, rep.OptimalCost,
			r.price.Currency, withinNoise(rep))})
	if r.in.AutoOptimize && rep.OptimalArchitecture != r.architecture {
		r.events.Note(rep.OptimalPower, "auto_optimize applies %d MB but not the architecture: the function stays on %s, %s is left to you",
			rep.OptimalPower, r.architecture, rep.OptimalArchitecture)
	}
	return rep, nil
}

// ties judges which sizes the measurements cannot tell apart from a chosen
// one, with the bootstrap adaptive sampling races with, seeded from the
// input: the same measurements give the same answer. Nil in a dry run.
func (r *run) ties(execs []*powerExec) func(analysis.SizeKey) []analysis.SizeKey {
	if r.in.DryRun {
		return nil
	}
	entrants := make([]analysis.RaceEntrant, 0, len(execs))
	for _, pe := range execs {
		if pe.Failure() == "" {
			price := pe.price
			entrants = append(entrants, analysis.RaceEntrant{Power: pe.Power, Arch: pe.Arch, Price: &price, Measurements: pe.measurements(), InRace: true})
		}
	}
	settings := analysis.RaceSettings{Strategy: r.a.Strategy, Weight: r.a.Weight, Discard: r.a.Discard, Price: r.price, Tolerance: r.a.Tolerance}
	return func(chosen analysis.SizeKey) []analysis.SizeKey {
		seed := r.raceSeed() ^ 0x7469657321 // "ties!": apart from the race's own stream
		return analysis.SizesWithinNoise(settings, entrants, chosen, rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)))
	}
}

// withinNoise says which sizes are within noise of the optimum, for the
// result's sentence.
func withinNoise(rep *report.Report) string {
	if len(rep.WithinNoise) == 0 {
		return ""
	}
	names := make([]string, len(rep.WithinNoise))
	for i, k := range rep.WithinNoise {
		names[i] = fmt.Sprintf("%d MB", k.Power)
		if k.Arch != "" {
			names[i] += " on " + k.Arch
		}
	}
	return "; within noise of it: " + strings.Join(names, ", ")
}
