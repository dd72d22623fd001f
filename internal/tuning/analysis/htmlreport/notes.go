package htmlreport

import (
	"cmp"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// note is one remark on a table row; Kind styles it (a CSS class).
type note struct{ Kind, Text string }

// Kinds of note, in the order a row lists them.
const (
	noteOptimum     = "optimum"
	noteBaseline    = "baseline"
	noteWithinNoise = "within-noise"
	noteRetired     = "retired"
	noteFailed      = "failed"
)

// rowNotes says what is special about a row: the optimum, today's size, a
// tie with the optimum, a size adaptive sampling retired, a failure.
func rowNotes(optimal, baseline bool, res analysis.PowerResult) []note {
	var notes []note
	if optimal {
		notes = append(notes, note{noteOptimum, "optimum"})
	}
	if baseline {
		notes = append(notes, note{noteBaseline, "today's size"})
	}
	if isTie(res, optimal) {
		notes = append(notes, note{noteWithinNoise, "within noise of the optimum"})
	}
	if res.Retired {
		notes = append(notes, note{noteRetired, retiredText(res)})
	}
	if res.Failed {
		notes = append(notes, note{noteFailed, "failed: " + cmp.Or(res.FailureReason, "no figures")})
	}
	return notes
}

// isTie: the row is within noise of the optimum and could have been chosen
// in its place.
func isTie(res analysis.PowerResult, optimal bool) bool {
	return res.WithinNoise && !optimal && !res.Failed && !res.Retired
}

func retiredText(res analysis.PowerResult) string {
	if res.Sampling == analysis.SampledPredicted {
		if res.BehindBy > 0 {
			return "retired by adaptive sampling: the fitted curve placed it " + percent(res.BehindBy) + " behind the leader"
		}
		return "retired by adaptive sampling: the fitted curve placed it behind the leader"
	}
	if res.BehindBy > 0 {
		return "retired by adaptive sampling, " + percent(res.BehindBy) + " behind the leader"
	}
	return "retired by adaptive sampling"
}
