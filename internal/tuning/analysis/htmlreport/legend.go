package htmlreport

import "github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"

// legendItem is one entry of the chart's legend: a symbol drawn by Kind at
// (X, Y), then its text.
type legendItem struct {
	Kind, Text  string
	X, Y, TextX string
	CX, CY      string // a round symbol's centre
	SquareY     string // a square symbol's top
	LineEndX    string // a line symbol's end
}

// Legend rows (baselines) and spacing, in SVG units. The first row explains
// the two series, the second the markers, only those the chart draws.
const (
	legendRow1   = 20
	legendRow2   = 40
	legendGap    = 22  // between one entry's text and the next symbol
	legendSymbol = 14  // from a symbol's start to its text
	legendChar   = 6.6 // a generous average advance of the 12-unit font
)

func newLegend(r Report, anyTie, anyFailed, anyCurve bool) []legendItem {
	var items []legendItem
	x := float64(plotLeft)
	add := func(row float64, kind, text string) {
		items = append(items, legendItem{Kind: kind, Text: text, X: px(x), Y: px(row), TextX: px(x + legendSymbol),
			CX: px(x + 5), CY: px(row - 4), SquareY: px(row - 8), LineEndX: px(x + 6)})
		x += legendSymbol + legendChar*float64(len([]rune(text))) + legendGap
	}
	add(legendRow1, "duration", "average duration (left axis), bar: p50 to p99")
	add(legendRow1, "cost", "cost per invocation (right axis), dashed")
	if anyCurve {
		add(legendRow1, "curve", "fitted duration curve")
	}

	x = plotLeft
	if r.OptimalPower != 0 {
		add(legendRow2, "optimum", "optimum")
	}
	if anyTie {
		add(legendRow2, "within-noise", "within noise of the optimum")
	}
	if anyRetired(r) {
		add(legendRow2, "retired", "retired by adaptive sampling")
	}
	if anyPredicted(r) {
		add(legendRow2, "predicted", "placed behind by the curve")
	}
	if anyFailed {
		add(legendRow2, "failed", "failed")
	}
	return items
}

func anyRetired(r Report) bool {
	for _, s := range r.Series {
		for _, res := range s.Results {
			if res.Retired && !res.Failed {
				return true
			}
		}
	}
	return false
}

func anyPredicted(r Report) bool {
	for _, s := range r.Series {
		for _, res := range s.Results {
			if res.Sampling == analysis.SampledPredicted && !res.Failed {
				return true
			}
		}
	}
	return false
}
