package tuning

// VisualizationURL builds base + "#" + three base64 strings joined by ";"
// (powers as little-endian int16, average durations and average costs as
// little-endian float32), sorted by power. currency "CNY" adds "?currency=CNY"
// before the fragment.
func VisualizationURL(base string, results []PowerResult, currency string) string {
	panic("not implemented")
}
