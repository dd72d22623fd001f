package htmlreport

import (
	"fmt"
	"math"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// verdict is the plain sentence comparing the optimum with today's size,
// such as "1024 MB: 38 % faster and 4 % cheaper than today's 512 MB.", and
// naming the sizes the measurements cannot tell apart from the optimum:
// "…; 768 MB and 1536 MB are within noise of it."
func verdict(r Report) string {
	sentence, compared := comparison(r)
	tied := tiesSentence(r)
	switch {
	case tied == "":
		return sentence + "."
	case compared:
		return sentence + "; " + tied + " within noise of it."
	default:
		return sentence + ". " + tied + " within noise of the optimum."
	}
}

// comparison is the verdict without its full stop; compared is true when
// it compares the optimum's figures with today's size.
func comparison(r Report) (sentence string, compared bool) {
	if r.OptimalPower == 0 {
		return "Dry run: every memory size was invoked once to check that it works; no optimum was chosen", false
	}
	optimal, ok := find(r, r.OptimalArchitecture, r.OptimalPower)
	if !ok {
		return fmt.Sprintf("Optimum: %s", megabytes(r.OptimalPower)), false
	}
	if r.BaselinePower == 0 {
		return fmt.Sprintf("Optimum: %s (the memory size before the run is not recorded in this report)", megabytes(r.OptimalPower)), false
	}
	if r.BaselinePower == r.OptimalPower && r.BaselineArchitecture == r.OptimalArchitecture {
		return fmt.Sprintf("%s: today's memory size is already the optimum; keep it", megabytes(r.OptimalPower)), false
	}
	baseline, measured := find(r, r.BaselineArchitecture, r.BaselinePower)
	switch {
	case !measured:
		return fmt.Sprintf("Optimum: %s. Today's %s was not among the measured sizes: add it to power_values to compare",
			megabytes(r.OptimalPower), megabytes(r.BaselinePower)), false
	case baseline.Failed:
		return fmt.Sprintf("Optimum: %s. Today's %s could not be measured (%s)",
			megabytes(r.OptimalPower), megabytes(r.BaselinePower), baseline.FailureReason), false
	}
	c, ok := analysis.CompareWithBaseline([]analysis.PowerResult{baseline}, optimal, r.BaselinePower)
	if !ok {
		return fmt.Sprintf("Optimum: %s. Today's %s has no figures to compare with", megabytes(r.OptimalPower), megabytes(r.BaselinePower)), false
	}
	speed, sameSpeed := change(c.DurationRatio, "faster", "slower", "as fast")
	cost, sameCost := change(c.CostRatio, "cheaper", "more expensive", "the same cost")
	than := "than"
	if sameSpeed || sameCost {
		than = "compared with" // "as fast … than" does not read
	}
	return fmt.Sprintf("%s: %s and %s %s today's %s", megabytes(r.OptimalPower), speed, cost, than, megabytes(r.BaselinePower)), true
}

// change words a ratio (optimum / baseline) as a whole percentage; isSame
// is true when it rounds to no change.
func change(ratio float64, less, more, same string) (words string, isSame bool) {
	pct := math.Round((1 - ratio) * 100)
	switch {
	case pct > 0:
		return fmt.Sprintf("%.0f %% %s", pct, less), false
	case pct < 0:
		return fmt.Sprintf("%.0f %% %s", -pct, more), false
	default:
		return same, true
	}
}

// find is the result for power in the architecture's series.
func find(r Report, architecture string, power int32) (analysis.PowerResult, bool) {
	for _, s := range r.Series {
		if s.Architecture != architecture && len(r.Series) > 1 {
			continue
		}
		for _, res := range s.Results {
			if res.Power == power {
				return res, true
			}
		}
	}
	return analysis.PowerResult{}, false
}
