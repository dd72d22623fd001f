package analysis

// FitResultsCurve fits the duration curve through one series of results
// (one architecture): every row that did not fail and was invoked, weighted
// by its invocations over its squared duration (Lambda's noise is about the
// same share of the duration at every size). Failed sizes teach the curve
// nothing. It needs CurveMinSizes sizes.
func FitResultsCurve(results []PowerResult) (Curve, bool) {
	var points []CurvePoint
	for _, r := range results {
		if r.Failed || r.Invocations == 0 || r.AverageDuration <= 0 {
			continue
		}
		points = append(points, CurvePoint{Memory: r.Power, Value: r.AverageDuration,
			Weight: float64(r.Invocations) / (r.AverageDuration * r.AverageDuration)})
	}
	return FitCurve(points)
}
