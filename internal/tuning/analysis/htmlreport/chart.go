package htmlreport

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// Chart geometry (SVG user units; the page scales the chart to its width).
const (
	chartWidth  = 960
	chartHeight = 448
	plotLeft    = 84
	plotRight   = chartWidth - 92
	plotTop     = 64 // below two rows of legend
	plotBottom  = chartHeight - 64
	minLabelGap = 44 // between memory-size labels on the x axis
)

type chartView struct {
	Width, Height                      int
	Left, Right, Top, Bottom           string
	XTicks, DurationTicks, CostTicks   []tick
	Series                             []seriesView
	Optimum, Baseline                  *marker
	Ties                               []marker // within noise of the optimum
	Failed                             []failedMarker
	Legend                             []legendItem
	Currency, Title, Description       string
	XLabelX, XLabelY                   string
	DurationLabelX, CostLabelX         string
	AxisMidY, TickLabelY, FailedY      string
	DurationTickX, CostTickX, TickEndY string
}

type tick struct{ Pos, Label string }

type seriesView struct {
	Index        int
	Architecture string
	DurationLine string // polyline points
	CostLine     string
	Points       []pointView
	// CurvePath is the duration curve fitted through the series' results,
	// from its smallest to its largest size; "" when none could be fitted.
	CurvePath, CurveTitle string
}

type pointView struct {
	Power, Architecture string
	Retired             bool // drawn faded: its figures stop where the race retired it
	Predicted           bool // retired because the fitted curve placed it behind
	X, DurationY, CostY string
	SpreadPath          string // p50 to p99, with caps
	CostSquareX         string // top-left corner of the cost square
	CostSquareY         string
	Duration, Cost      string // exact values
	P50, P99            string
	DurationTitle       string
	CostTitle           string
}

type marker struct {
	Power, Architecture string
	X, LabelY           string
	Label               string
	DurationY, CostY    string // "" when the marked size has no figures
}

type failedMarker struct {
	Power, Architecture, Reason string
	X                           string
}

const costSquare = 8

func newChart(r Report) chartView {
	c := chartView{
		Width: chartWidth, Height: chartHeight,
		Left: px(plotLeft), Right: px(plotRight), Top: px(plotTop), Bottom: px(plotBottom),
		Currency:       r.Currency,
		XLabelX:        px((plotLeft + plotRight) / 2),
		XLabelY:        px(plotBottom + 48),
		TickLabelY:     px(plotBottom + 20),
		TickEndY:       px(plotBottom + 5),
		FailedY:        px(plotBottom - 10),
		DurationLabelX: px(22),
		CostLabelX:     px(chartWidth - 16),
		DurationTickX:  px(plotLeft - 8),
		CostTickX:      px(plotRight + 8),
		AxisMidY:       px((plotTop + plotBottom) / 2),
	}

	var powers []int32
	var maxDuration, maxCost float64
	for _, s := range r.Series {
		for _, res := range s.Results {
			powers = append(powers, res.Power)
			if !res.Failed {
				maxDuration = max(maxDuration, res.AverageDuration, res.P99Duration)
				maxCost = max(maxCost, res.AverageCost)
			}
		}
	}
	slices.Sort(powers)
	powers = slices.Compact(powers)
	x := newLogScale(first(powers, 128), last(powers, 128), plotLeft, plotRight)
	durationTicks, costTicks := niceTicks(maxDuration), niceTicks(maxCost)
	y := linear{top: durationTicks[len(durationTicks)-1], from: plotBottom, to: plotTop}
	yCost := linear{top: costTicks[len(costTicks)-1], from: plotBottom, to: plotTop}

	lastLabel := -1e9
	for _, p := range powers {
		pos := x.at(p)
		label := ""
		if pos-lastLabel >= minLabelGap {
			label, lastLabel = fmt.Sprint(p), pos
		}
		c.XTicks = append(c.XTicks, tick{Pos: px(pos), Label: label})
	}
	for _, v := range durationTicks {
		c.DurationTicks = append(c.DurationTicks, tick{Pos: px(y.at(v)), Label: tickLabel(v, durationTicks[1])})
	}
	for _, v := range costTicks {
		c.CostTicks = append(c.CostTicks, tick{Pos: px(yCost.at(v)), Label: tickLabel(v, costTicks[1])})
	}

	for i, s := range r.Series {
		sv := seriesView{Index: i, Architecture: s.Architecture}
		var durationLine, costLine []string
		for _, res := range sortedByPower(s.Results) {
			xp := x.at(res.Power)
			if res.Failed {
				c.Failed = append(c.Failed, failedMarker{Power: fmt.Sprint(res.Power), Architecture: s.Architecture,
					Reason: cmp.Or(res.FailureReason, "failed"), X: px(xp)})
				continue
			}
			yd, yc := y.at(res.AverageDuration), yCost.at(res.AverageCost)
			y50, y99 := y.at(res.P50Duration), y.at(res.P99Duration)
			durationLine = append(durationLine, px(xp)+","+px(yd))
			costLine = append(costLine, px(xp)+","+px(yc))
			sv.Points = append(sv.Points, pointView{
				Power: fmt.Sprint(res.Power), Architecture: s.Architecture, Retired: res.Retired,
				Predicted: res.Sampling == analysis.SampledPredicted,
				X:         px(xp), DurationY: px(yd), CostY: px(yc),
				SpreadPath: fmt.Sprintf("M%s %sH%s M%s %sV%s M%s %sH%s",
					px(xp-5), px(y50), px(xp+5), px(xp), px(y50), px(y99), px(xp-5), px(y99), px(xp+5)),
				CostSquareX: px(xp - costSquare/2), CostSquareY: px(yc - costSquare/2),
				Duration: exact(res.AverageDuration), Cost: exact(res.AverageCost),
				P50: exact(res.P50Duration), P99: exact(res.P99Duration),
				DurationTitle: fmt.Sprintf("%s %s: average duration %s (p50 %s, p99 %s)%s", megabytes(res.Power),
					s.Architecture, milliseconds(res.AverageDuration), milliseconds(res.P50Duration), milliseconds(res.P99Duration),
					pointRemark(res)),
				CostTitle: fmt.Sprintf("%s %s: %s per invocation%s", megabytes(res.Power), s.Architecture,
					money(res.AverageCost, r.Currency), pointRemark(res)),
			})
		}
		sv.DurationLine, sv.CostLine = strings.Join(durationLine, " "), strings.Join(costLine, " ")
		if curve, ok := analysis.FitResultsCurve(s.Results); ok {
			sv.CurvePath, sv.CurveTitle = curvePath(curve, s.Results, x, y), curveTitle(curve, s.Architecture)
		}
		c.Series = append(c.Series, sv)
	}

	mark := func(power int32, architecture, label string, labelY float64) *marker {
		m := &marker{Power: fmt.Sprint(power), Architecture: architecture, X: px(x.at(power)), LabelY: px(labelY), Label: label}
		if res, ok := find(r, architecture, power); ok && !res.Failed {
			m.DurationY, m.CostY = px(y.at(res.AverageDuration)), px(yCost.at(res.AverageCost))
		}
		return m
	}
	if r.OptimalPower != 0 {
		c.Optimum = mark(r.OptimalPower, r.OptimalArchitecture, "optimum "+megabytes(r.OptimalPower), plotTop-8)
	}
	if r.BaselinePower != 0 && (r.BaselinePower != r.OptimalPower || r.BaselineArchitecture != r.OptimalArchitecture) {
		if _, measured := find(r, r.BaselineArchitecture, r.BaselinePower); measured {
			c.Baseline = mark(r.BaselinePower, r.BaselineArchitecture, "today "+megabytes(r.BaselinePower), plotTop+12)
		}
	}
	for _, t := range ties(r) { // never failed: each has figures to ring
		res := t.result
		c.Ties = append(c.Ties, marker{Power: fmt.Sprint(res.Power), Architecture: t.architecture, X: px(x.at(res.Power)),
			DurationY: px(y.at(res.AverageDuration)), CostY: px(yCost.at(res.AverageCost)),
			Label: fmt.Sprintf("%s %s: within noise of the optimum", megabytes(res.Power), t.architecture)})
	}
	c.Legend = newLegend(r, len(c.Ties) > 0, len(c.Failed) > 0, anyCurve(c.Series))
	c.Title, c.Description = chartTitle(r), chartDescription(r)
	return c
}

// pointRemark adds what a marker's title must say beyond its figures.
func pointRemark(res analysis.PowerResult) string {
	if res.Retired {
		return "; " + retiredText(res)
	}
	return ""
}

func sortedByPower(results []analysis.PowerResult) []analysis.PowerResult {
	out := slices.Clone(results)
	slices.SortStableFunc(out, func(a, b analysis.PowerResult) int { return cmp.Compare(a.Power, b.Power) })
	return out
}

func first(s []int32, fallback int32) int32 {
	if len(s) == 0 {
		return fallback
	}
	return s[0]
}

func last(s []int32, fallback int32) int32 {
	if len(s) == 0 {
		return fallback
	}
	return s[len(s)-1]
}

func chartTitle(r Report) string {
	return fmt.Sprintf("Duration and cost per invocation against memory size for %s", functionName(r.FunctionARN))
}

// chartDescription is the chart's text alternative: what it shows, in words.
func chartDescription(r Report) string {
	var sb strings.Builder
	sb.WriteString("Average duration in milliseconds (left axis, solid line, round markers, with the p50 to p99 spread) " +
		"and cost per invocation in " + r.Currency + " (right axis, dashed line, square markers) for each memory size. ")
	for _, s := range r.Series {
		for _, res := range sortedByPower(s.Results) {
			if res.Failed {
				fmt.Fprintf(&sb, "%s %s failed: %s. ", megabytes(res.Power), s.Architecture, cmp.Or(res.FailureReason, "failed"))
				continue
			}
			fmt.Fprintf(&sb, "%s %s: %s, %s", megabytes(res.Power), s.Architecture,
				milliseconds(res.AverageDuration), money(res.AverageCost, r.Currency))
			if isTie(res, isOptimum(r, s.Architecture, res.Power)) {
				sb.WriteString(", within noise of the optimum")
			}
			if res.Retired {
				sb.WriteString(", " + retiredText(res))
			}
			sb.WriteString(". ")
		}
	}
	sb.WriteString(verdict(r))
	return sb.String()
}
