// Package htmlreport renders a tuning run as one self-contained HTML page:
// an inline SVG chart of cost and duration against memory size, the data
// table behind it, and a sentence comparing the optimum with the memory size
// the function had before the run and naming the sizes within noise of the
// optimum. A run on Lambda Managed Instances gets its own page instead:
// charts of throughput and p99 latency against concurrency, one line per
// memory size and memory per vCPU, the table of every setting and the
// month's cost. The page fits the window without scrolling sideways; in a narrow
// one the table's rows become cards. It is pure: no I/O, no clock, no
// network references in its output (except the optional link to the
// external chart).
package htmlreport
