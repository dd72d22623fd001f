package htmlreport

import "github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"

// managedLegendItem is a legend entry; a line's entry carries its colour
// and marker shape.
type managedLegendItem struct {
	legendItem
	Colour, Shape string
}

// legendRowHeight is the distance between legend rows, in SVG units.
const legendRowHeight = 20

// newManagedLegend lays the entries out left to right, wrapping before the
// plot's right edge: a run may try many lines. It returns the entries and
// the plot's top, below the last row and the optimum's label.
func newManagedLegend(groups []managedGroup, many bool, m *Managed, metric managedMetric) ([]managedLegendItem, float64) {
	var items []managedLegendItem
	x, row := float64(plotLeft), float64(legendRow1)
	add := func(kind, text, colour, shape string) {
		width := legendSymbol + legendChar*float64(len([]rune(text)))
		if x > plotLeft && x+width > managedPlotRight {
			x, row = plotLeft, row+legendRowHeight
		}
		items = append(items, managedLegendItem{legendItem: legendItem{Kind: kind, Text: text,
			X: px(x), Y: px(row), TextX: px(x + legendSymbol), CX: px(x + 5), CY: px(row - 4), LineEndX: px(x + 10)},
			Colour: colour, Shape: shape})
		x += width + legendGap
	}
	for i, g := range groups {
		add("series", g.label(many), seriesColour(i), seriesShape(i))
	}
	// The markers' entries start a row of their own, as on the duration chart.
	x = managedPlotRight // forces a wrap at the next entry
	if m.Optimum != nil {
		add("optimum", "optimum", "", "")
	}
	if anyManaged(m.Results, missesGoal) {
		add("misses-goal", "hollow: misses the p99 goal", "", "")
	}
	if metric.goalMs > 0 {
		add("goal", "p99 goal: "+msText(metric.goalMs), "", "")
	}
	if anyManaged(m.Results, func(r analysis.ManagedResult) bool { return r.Failed }) {
		add("failed", "failed", "", "")
	}
	return items, row + 36
}

func anyManaged(results []analysis.ManagedResult, match func(analysis.ManagedResult) bool) bool {
	for _, r := range results {
		if match(r) {
			return true
		}
	}
	return false
}
