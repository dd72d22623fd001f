// Package analysis is the pure part of tuning: it reads REPORT lines, trims
// and averages durations, prices invocations, ranks power values by
// strategy, tells which are within noise of the optimum, lays out payloads
// and shapes the original tool's output. It does no I/O, takes no context
// and knows neither AWS nor Terraform, so every figure a run reports can be
// checked here on plain values.
package analysis
