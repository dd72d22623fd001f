package htmlreport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// px formats a coordinate: a tenth of a pixel is finer than any screen.
func px(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// exact formats a value so that parsing it gives the same float64 back; the
// chart carries these in data-value for tools and tests.
func exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// milliseconds formats a duration for people.
func milliseconds(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + " ms" }

// durationCell formats a duration for the table, whose header gives the
// unit: four or five significant digits keep the columns narrow.
func durationCell(v float64) string {
	decimals := 0
	switch a := math.Abs(v); {
	case a < 100:
		decimals = 2
	case a < 1000:
		decimals = 1
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// percent formats a share (0.123) as a whole percentage ("12 %").
func percent(share float64) string { return fmt.Sprintf("%.0f %%", math.Round(share*100)) }

// money formats a cost with three significant digits in plain decimals:
// Lambda costs are millionths of a dollar, and 2.1e-06 reads badly.
func money(v float64, currency string) string {
	return plainDecimal(v, 3) + " " + currency
}

func plainDecimal(v float64, significant int) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	decimals := max(0, significant-1-int(math.Floor(math.Log10(math.Abs(v)))))
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// tickLabel formats an axis tick with as many decimals as the step needs.
func tickLabel(v, step float64) string {
	if v == 0 {
		return "0"
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if r := step / math.Pow(10, -float64(decimals)); math.Abs(r-math.Round(r)) > 1e-6 {
		decimals++ // steps like 2.5·10^k
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// functionName is the name part of a function ARN, or the input as given.
func functionName(arn string) string {
	_, rest, ok := strings.Cut(arn, ":function:")
	if !ok {
		return arn
	}
	name, _, _ := strings.Cut(rest, ":")
	return name
}

func megabytes(power int32) string { return fmt.Sprintf("%d MB", power) }

// rate formats requests per second with four significant digits and no
// trailing zeros: "152.3", "200".
func rate(v float64) string {
	s := plainDecimal(v, 4)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// msText formats a latency for a sentence, as the table does: "214.6 ms".
func msText(v float64) string { return durationCell(v) + " ms" }
