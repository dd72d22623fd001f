package htmlreport

import (
	"fmt"
	"math"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// curveSteps is how many segments draw the fitted curve: enough for the
// bend at the vCPU limit to look like one on a log axis.
const curveSteps = 64

// curvePath draws curve from the smallest to the largest size measured,
// evenly on the log axis, with the limit itself as one of its points so
// the bend is sharp. It never rises above the plot.
func curvePath(curve analysis.Curve, results []analysis.PowerResult, x logScale, y linear) string {
	lo, hi := int32(math.MaxInt32), int32(0)
	for _, r := range results {
		if !r.Failed && r.Invocations > 0 {
			lo, hi = min(lo, r.Power), max(hi, r.Power)
		}
	}
	if hi <= lo {
		return ""
	}
	var powers []int32
	for i := range curveSteps + 1 {
		p := int32(math.Round(float64(lo) * math.Pow(float64(hi)/float64(lo), float64(i)/curveSteps)))
		if curve.LimitMB > 0 && (len(powers) == 0 || powers[len(powers)-1] < curve.LimitMB) && p > curve.LimitMB && curve.LimitMB > lo {
			powers = append(powers, curve.LimitMB)
		}
		powers = append(powers, p)
	}
	var sb strings.Builder
	for i, p := range powers {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&sb, "%s%s %s", cmd, px(x.at(p)), px(max(y.at(curve.At(p)), plotTop)))
		if i < len(powers)-1 {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// curveTitle says what the curve is, with its parts.
func curveTitle(c analysis.Curve, architecture string) string {
	limit := "no limit among the sizes measured"
	if c.LimitMB > 0 {
		limit = fmt.Sprintf("no faster above %s", megabytes(c.LimitMB))
	}
	return strings.TrimSpace(fmt.Sprintf("fitted duration curve %s: %s fixed + %s of CPU at one vCPU (1769 MB), %s",
		architecture, milliseconds(c.FixedMs), milliseconds(c.CPUMs), limit))
}

func anyCurve(series []seriesView) bool {
	for _, s := range series {
		if s.CurvePath != "" {
			return true
		}
	}
	return false
}
