package htmlreport

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// Geometry of a managed chart: no right axis, and a plot whose top moves
// down with the rows of its legend.
const (
	managedPlotRight  = chartWidth - 36
	managedPlotHeight = 300
	managedBelowPlot  = 64 // tick labels and the axis title
)

// managedMetric is what a chart plots against concurrency.
type managedMetric struct {
	ID, Heading, YLabel string
	value               func(analysis.ManagedResult) float64
	words               func(analysis.ManagedResult) string // the figure, for titles and the text alternative
	goalMs              float64                             // a horizontal line at this value; 0: none
}

var throughputMetric = managedMetric{
	ID: "throughput", Heading: "Sustained throughput by concurrency",
	YLabel: "Requests per second per environment",
	value:  func(r analysis.ManagedResult) float64 { return r.RequestsPerSecondPerEnvironment },
	words: func(r analysis.ManagedResult) string {
		return rate(r.RequestsPerSecondPerEnvironment) + " requests/s per environment"
	},
}

func p99Metric(goalMs float64) managedMetric {
	return managedMetric{
		ID: "p99", Heading: "p99 latency by concurrency", YLabel: "p99 latency (ms)", goalMs: goalMs,
		value: func(r analysis.ManagedResult) float64 { return r.P99Ms },
		words: func(r analysis.ManagedResult) string { return "p99 " + msText(r.P99Ms) },
	}
}

type managedChart struct {
	ID, Heading, Title, Description, YLabel string
	Width, Height                           int
	Left, Right, Top, Bottom                string
	XTicks, YTicks                          []tick
	TickLabelY, TickEndY, YTickX            string
	XLabelX, XLabelY, YLabelX, AxisMidY     string
	Series                                  []managedSeriesView
	Optimum                                 *managedOptimum
	Failed                                  []managedFailed
	Goal                                    *goalLine
	Legend                                  []managedLegendItem
}

type managedSeriesView struct {
	Index                      int
	Label, Colour, Shape, Line string
	Power, MemoryPerVCPU       string
	Points                     []managedPoint
}

type managedPoint struct {
	Concurrency, Value, X, Y, Title string
	MissesGoal                      bool
}

type managedOptimum struct {
	X, Y, LabelX, LabelY, Anchor, Label string
}

// managedFailed is one ✕ per concurrency, however many lines failed there:
// stacked labels would cover the marks.
type managedFailed struct {
	Concurrency, X, Y, Label, Title string
	count                           int
}

func addFailed(failed []managedFailed, res analysis.ManagedResult, x, y string) []managedFailed {
	why := settingText(res.ManagedSetting) + " failed: " + cmp.Or(res.FailureReason, "no figures")
	n := fmt.Sprint(res.Concurrency)
	i := slices.IndexFunc(failed, func(f managedFailed) bool { return f.Concurrency == n })
	if i < 0 {
		return append(failed, managedFailed{Concurrency: n, X: x, Y: y, Label: "✕ failed", Title: why, count: 1})
	}
	f := &failed[i]
	f.count++
	f.Label, f.Title = fmt.Sprintf("✕ %d failed", f.count), f.Title+"; "+why
	return failed
}

// goalLine is named in the legend, not beside the line, where it would
// cross the lines that pass the goal.
type goalLine struct {
	Y, Label string
}

func newManagedChart(r Report, metric managedMetric) managedChart {
	m := r.Managed
	groups := managedGroups(m.Results)
	many := manySizes(groups)
	legend, top := newManagedLegend(groups, many, m, metric)
	bottom := top + managedPlotHeight
	c := managedChart{
		ID: metric.ID, Heading: metric.Heading, YLabel: metric.YLabel,
		Width: chartWidth, Height: int(bottom) + managedBelowPlot,
		Left: px(plotLeft), Right: px(managedPlotRight), Top: px(top), Bottom: px(bottom),
		TickLabelY: px(bottom + 20), TickEndY: px(bottom + 5), YTickX: px(plotLeft - 8),
		XLabelX: px((plotLeft + managedPlotRight) / 2), XLabelY: px(bottom + 48),
		YLabelX: px(22), AxisMidY: px((top + bottom) / 2),
		Legend: legend,
	}

	var concurrencies []int32
	maxValue := metric.goalMs
	for _, res := range m.Results {
		concurrencies = append(concurrencies, int32(res.Concurrency))
		if !res.Failed {
			maxValue = max(maxValue, metric.value(res))
		}
	}
	slices.Sort(concurrencies)
	concurrencies = slices.Compact(concurrencies)
	x := newLogScale(max(first(concurrencies, 1), 1), max(last(concurrencies, 1), 1), plotLeft, managedPlotRight)
	yTicks := niceTicks(maxValue)
	y := linear{top: yTicks[len(yTicks)-1], from: bottom, to: top}

	lastLabel := -1e9
	for _, n := range concurrencies {
		pos := x.at(n)
		label := ""
		if pos-lastLabel >= minLabelGap/2 {
			label, lastLabel = fmt.Sprint(n), pos
		}
		c.XTicks = append(c.XTicks, tick{Pos: px(pos), Label: label})
	}
	for _, v := range yTicks {
		c.YTicks = append(c.YTicks, tick{Pos: px(y.at(v)), Label: tickLabel(v, yTicks[1])})
	}

	for i, g := range groups {
		s := managedSeriesView{Index: i, Label: g.label(many), Colour: seriesColour(i), Shape: seriesShape(i),
			Power: fmt.Sprint(g.Power), MemoryPerVCPU: fmt.Sprint(g.MemoryPerVCPU)}
		var line []string
		for _, res := range g.Results {
			xp := x.at(int32(res.Concurrency))
			if res.Failed {
				c.Failed = addFailed(c.Failed, res, px(xp), px(bottom-10))
				continue
			}
			yp := y.at(metric.value(res))
			line = append(line, px(xp)+","+px(yp))
			s.Points = append(s.Points, managedPoint{Concurrency: fmt.Sprint(res.Concurrency), Value: exact(metric.value(res)),
				X: px(xp), Y: px(yp), MissesGoal: missesGoal(res), Title: managedPointTitle(res, metric, r.Currency)})
			if isManagedOptimum(m, res.ManagedSetting) {
				c.Optimum = newManagedOptimum(res, xp, yp, top)
			}
		}
		s.Line = strings.Join(line, " ")
		c.Series = append(c.Series, s)
	}
	if metric.goalMs > 0 {
		gy := y.at(metric.goalMs)
		c.Goal = &goalLine{Y: px(gy), Label: "p99 goal: " + msText(metric.goalMs)}
	}
	c.Title = fmt.Sprintf("%s against max concurrency per environment for %s", metric.YLabel, functionName(r.FunctionARN))
	c.Description = managedChartDescription(r, groups, metric)
	return c
}

// newManagedOptimum rings the optimum and names it above the plot, the
// label kept inside the chart when the optimum is near either end.
func newManagedOptimum(res analysis.ManagedResult, x, y, top float64) *managedOptimum {
	label := "optimum: " + settingText(res.ManagedSetting)
	anchor, labelX, half := "middle", x, legendChar*float64(len(label))/2
	switch {
	case x-half < plotLeft:
		anchor, labelX = "start", max(x-12, 4)
	case x+half > managedPlotRight:
		anchor, labelX = "end", min(x+12, chartWidth-4)
	}
	return &managedOptimum{X: px(x), Y: px(y), LabelX: px(labelX), LabelY: px(top - 8), Anchor: anchor, Label: label}
}

func managedPointTitle(res analysis.ManagedResult, metric managedMetric, currency string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %s", settingText(res.ManagedSetting), metric.words(res))
	if res.InFlightPerEnvironment > 0 && res.InFlightPerEnvironment < res.Concurrency {
		fmt.Fprintf(&sb, " (throughput stopped rising at %d in flight)", res.InFlightPerEnvironment)
	}
	fmt.Fprintf(&sb, "; %s per million requests on %s", money(res.CostPerMillion, currency), res.Instance)
	if missesGoal(res) {
		sb.WriteString("; misses the p99 goal")
	}
	return sb.String()
}

// managedChartDescription is the chart's text alternative.
func managedChartDescription(r Report, groups []managedGroup, metric managedMetric) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s against the max concurrency per execution environment (log scale), one line per memory size and memory per vCPU. ", metric.YLabel)
	if metric.goalMs > 0 {
		fmt.Fprintf(&sb, "A dashed line marks the p99 goal of %s. ", msText(metric.goalMs))
	}
	for _, g := range groups {
		for _, res := range g.Results {
			switch {
			case res.Failed:
				fmt.Fprintf(&sb, "%s failed: %s. ", settingText(res.ManagedSetting), cmp.Or(res.FailureReason, "no figures"))
			case missesGoal(res):
				fmt.Fprintf(&sb, "%s: %s, misses the p99 goal. ", settingText(res.ManagedSetting), metric.words(res))
			default:
				fmt.Fprintf(&sb, "%s: %s. ", settingText(res.ManagedSetting), metric.words(res))
			}
		}
	}
	sb.WriteString(managedVerdict(r))
	return sb.String()
}
