package tuning

// TrimmedMean sorts a copy of values, drops floor(n*discard) from each end
// and averages the rest. Empty input gives 0.
func TrimmedMean(values []float64, discard float64) float64 { panic("not implemented") }

// Percentile returns the p-th percentile (0..100, nearest-rank) of values.
func Percentile(values []float64, p float64) float64 { panic("not implemented") }
