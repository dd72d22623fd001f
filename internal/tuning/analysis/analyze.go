package analysis

import "math"

// Analyze turns one power value's successful measurements into its result:
// trimmed-mean duration and billed duration (discard from each end), average
// cost from the trimmed billed mean, total cost summing each invocation's own
// cost, p50/p90/p99 of durations, the trimmed-mean time to first byte of
// streamed invocations and the mean response size. errors counts failed
// invocations; they have no measurement, so they add to Invocations only.
// discard is used as given. With no measurements every figure is 0 and
// Failed stays false: deciding that a power value failed, and why, is the
// caller's business.
func Analyze(power int32, ms []Measurement, errors int, price Price, discard float64) PowerResult {
	r := PowerResult{Power: power, Invocations: len(ms) + errors, Errors: errors}
	if len(ms) == 0 {
		return r
	}
	durations := make([]float64, len(ms))
	billed := make([]float64, len(ms))
	var firstBytes []float64 // only invocations that had one
	var responseBytes int64
	for i, m := range ms {
		durations[i] = m.DurationMs
		billed[i] = m.BilledDurationMs
		r.TotalCost += InvocationCost(price, m.BilledDurationMs, power)
		if m.TimeToFirstByteMs > 0 {
			firstBytes = append(firstBytes, m.TimeToFirstByteMs)
		}
		responseBytes += m.ResponseBytes
	}
	r.AverageDuration = RoundDuration(TrimmedMean(durations, discard))
	r.AverageCost = RoundCost(AverageCost(price, TrimmedMean(billed, discard), power))
	r.TotalCost = RoundCost(r.TotalCost)
	r.P50Duration = RoundDuration(Percentile(durations, 50))
	r.P90Duration = RoundDuration(Percentile(durations, 90))
	r.P99Duration = RoundDuration(Percentile(durations, 99))
	r.TimeToFirstByte = RoundDuration(TrimmedMean(firstBytes, discard))
	r.ResponseBytes = int64(math.Round(float64(responseBytes) / float64(len(ms))))
	return r
}
