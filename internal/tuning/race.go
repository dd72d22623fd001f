package tuning

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// adaptiveRound is how many invocations each power value in the race gets
// per round, the first included: the curve through the other sizes lets a
// size be judged after five, and analysis.JudgeRace waits for more when no
// curve can be fitted.
const adaptiveRound = spec.MinNum

// race schedules adaptive sampling: every power value still in the race
// runs one round of invocations, and once all have, analysis.JudgeRace
// retires those clearly behind and says whether the race is settled. It
// knows power values only as powerExecs, however they were configured.
type race struct {
	r        *run
	settings analysis.RaceSettings
	rng      *rand.Rand // seeded from the input and Config.Seed: verdicts are reproducible

	mu      sync.Mutex
	all     []*powerExec
	members map[*powerExec]bool // still invoking: not retired, failed or done
	arrived map[*powerExec]bool // members waiting for this round's verdict
	verdict chan struct{}       // closed when this round's verdict is in
	settled bool
}

func newRace(r *run, execs []*powerExec) *race {
	seed := r.raceSeed()
	rc := &race{
		r:   r,
		all: execs,
		settings: analysis.RaceSettings{Strategy: r.a.Strategy, Weight: r.a.Weight, Discard: r.a.Discard,
			Price: r.price, Tolerance: r.a.Tolerance},
		rng:     rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)),
		members: make(map[*powerExec]bool, len(execs)),
		arrived: make(map[*powerExec]bool, len(execs)),
		verdict: make(chan struct{}),
	}
	for _, pe := range execs {
		rc.members[pe] = true
	}
	return rc
}

// execute runs pe's invocations round by round until it is retired, the
// race is settled, or it had num.
// invoke runs invocations from to to (exclusive).
func (rc *race) execute(ctx context.Context, pe *powerExec, invoke func(ctx context.Context, from, to int) error) error {
	for done := 0; done < rc.r.num; {
		next := min(rc.r.num, done+adaptiveRound)
		if err := invoke(ctx, done, next); err != nil {
			return err
		}
		done = next
		if done == rc.r.num || pe.Failure() != "" {
			return nil
		}
		if stay, err := rc.arrive(ctx, pe); !stay {
			return err
		}
	}
	return nil
}

// arrive waits for the round's verdict and says whether pe stays in.
func (rc *race) arrive(ctx context.Context, pe *powerExec) (bool, error) {
	rc.mu.Lock()
	rc.arrived[pe] = true
	wait := rc.verdict
	rc.judgeIfAllArrived()
	rc.mu.Unlock()
	select {
	case <-wait:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.members[pe] && !rc.settled, nil
}

// leave takes pe out of the race for good (done, failed, skipped or
// cancelled) so that no round waits for it.
func (rc *race) leave(pe *powerExec) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if !rc.members[pe] {
		return
	}
	delete(rc.members, pe)
	delete(rc.arrived, pe)
	rc.judgeIfAllArrived()
}

// judgeIfAllArrived judges the round once every member waits for it. The
// caller holds rc.mu.
func (rc *race) judgeIfAllArrived() {
	if len(rc.arrived) == 0 || len(rc.arrived) < len(rc.members) {
		return
	}
	entrants := make([]analysis.RaceEntrant, 0, len(rc.all))
	byPower := make(map[int32]*powerExec, len(rc.all))
	for _, pe := range rc.all {
		if pe.Failure() == "" {
			pe.mu.Lock()
			entrants = append(entrants, analysis.RaceEntrant{Power: pe.Power,
				Measurements: append([]analysis.Measurement(nil), pe.ms...), InRace: rc.arrived[pe]})
			pe.mu.Unlock()
		}
		byPower[pe.Power] = pe
	}
	v := analysis.JudgeRace(rc.settings, entrants, rc.rng)
	for power, behind := range v.Retired {
		pe := byPower[power]
		how := "behind"
		if v.Predicted[power] {
			how = "placed by the curve behind"
		}
		pe.retire(behind, v.Predicted[power])
		delete(rc.members, pe)
		rc.r.events.Emit(progress.Event{Kind: progress.SizeRetired, Power: power, BehindBy: behind,
			Message: fmt.Sprintf("after %d invocations, %s %d MB", pe.invocationCount(), how, v.Leader)})
	}
	if v.Settled {
		rc.settled = true
		rc.r.events.Note(v.Leader, "adaptive sampling settled: the remaining power values are decided")
	}
	clear(rc.arrived)
	close(rc.verdict)
	rc.verdict = make(chan struct{})
}

// retire marks the power value out of the race, behind the leader by
// behind; predicted when the curve, not its own measurements, placed it.
func (pe *powerExec) retire(behind float64, predicted bool) {
	pe.mu.Lock()
	pe.retired, pe.behindBy, pe.predicted = true, behind, predicted
	pe.mu.Unlock()
}

func (pe *powerExec) invocationCount() int {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	return pe.invocations
}
