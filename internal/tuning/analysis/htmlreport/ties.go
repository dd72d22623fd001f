package htmlreport

import (
	"cmp"
	"slices"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// tie is a result within noise of the optimum, with its series.
type tie struct {
	architecture string
	result       analysis.PowerResult
}

// ties are the results within noise of the optimum, by memory size and
// then architecture; none in a dry run.
func ties(r Report) []tie {
	if r.OptimalPower == 0 {
		return nil
	}
	var out []tie
	for _, s := range r.Series {
		for _, res := range s.Results {
			if isTie(res, isOptimum(r, s.Architecture, res.Power)) {
				out = append(out, tie{architecture: s.Architecture, result: res})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b tie) int {
		return cmp.Or(cmp.Compare(a.result.Power, b.result.Power), cmp.Compare(a.architecture, b.architecture))
	})
	return out
}

// tiesSentence is the subject and verb of the sentence naming the ties,
// such as "768 MB and 1536 MB are"; "" when there are none.
func tiesSentence(r Report) string {
	tied := ties(r)
	names := make([]string, len(tied))
	for i, t := range tied {
		name := megabytes(t.result.Power)
		if len(r.Series) > 1 {
			name += " " + t.architecture
		}
		if isBaseline(r, t.architecture, t.result.Power) {
			name = "today's " + name
		}
		names[i] = name
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0] + " is"
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " are"
	}
}
