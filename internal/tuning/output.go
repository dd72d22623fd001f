package tuning

// UpstreamOutput renders the original tool's output JSON:
// {"power","cost","duration","stateMachine":{"executionCost":0,"lambdaCost","visualization"},"stats"?}
// stats (per power value: averagePrice, averageDuration, totalCost, value) only when includeStats.
func UpstreamOutput(optimal PowerResult, tuningCost float64, visualization string, results []PowerResult, includeStats bool) string {
	panic("not implemented")
}
