package analysis

import (
	"math"
	"strconv"
)

// Reported figures are rounded so they read as measured, not as binary
// floating point: REPORT lines give durations to 0.01 ms, and 12
// significant digits keep every digit a price can justify
// (0.000012012523625000001 → 0.0000120125236250).

// RoundDuration rounds milliseconds to 0.01 ms.
func RoundDuration(ms float64) float64 { return math.Round(ms*100) / 100 }

// RoundCost rounds a cost to 12 significant digits.
func RoundCost(cost float64) float64 {
	rounded, err := strconv.ParseFloat(strconv.FormatFloat(cost, 'g', 12, 64), 64)
	if err != nil {
		return cost // cannot happen: FormatFloat writes a valid float
	}
	return rounded
}
