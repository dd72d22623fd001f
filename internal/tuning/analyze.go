package tuning

// Analyze turns one power value's successful measurements into its result:
// trimmed-mean duration and billed duration (discard from each end), average
// cost from the trimmed billed mean, total cost summing each invocation's own
// cost, p50/p90/p99 of durations. errors counts failed invocations.
func Analyze(power int32, ms []Measurement, errors int, price Price, discard float64) PowerResult {
	panic("not implemented")
}
