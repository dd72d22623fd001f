package analysis

// Lambda sends a streamed response's first StreamUnthrottledBytes as fast
// as the function writes them, and the rest at about
// StreamThrottledBytesPerSecond, whatever the memory size.
const (
	StreamUnthrottledBytes        = 6 << 20
	StreamThrottledBytesPerSecond = 2 << 20
)

// ThrottledStreamMs estimates how long a streamed response of the given
// size spends beyond its first StreamUnthrottledBytes: time the REPORT
// duration counts, though memory cannot shorten it. 0 up to that size.
func ThrottledStreamMs(responseBytes int64) float64 {
	beyond := responseBytes - StreamUnthrottledBytes
	if beyond <= 0 {
		return 0
	}
	return float64(beyond) * 1000 / StreamThrottledBytesPerSecond
}

// StreamThrottling is how much of the measured durations went to the
// throttled part of streamed responses.
type StreamThrottling struct {
	MeanResponseBytes int64   // over the sizes whose responses were throttled
	ThrottledMs       float64 // per invocation, at that mean size
	// LowShare and HighShare bound the throttled time's share of those
	// sizes' average durations (0.9: 90 %).
	LowShare, HighShare float64
}

// Throttling estimates it from results, failed ones aside; ok is false
// when no size's responses were larger than StreamUnthrottledBytes.
func Throttling(results []PowerResult) (t StreamThrottling, ok bool) {
	var bytes int64
	var sizes int64
	t.LowShare = 1
	for _, res := range results {
		if res.Failed || res.ResponseBytes <= StreamUnthrottledBytes || res.AverageDuration <= 0 {
			continue
		}
		share := min(1, ThrottledStreamMs(res.ResponseBytes)/res.AverageDuration)
		t.LowShare, t.HighShare = min(t.LowShare, share), max(t.HighShare, share)
		bytes += res.ResponseBytes
		sizes++
	}
	if sizes == 0 {
		return StreamThrottling{}, false
	}
	t.MeanResponseBytes = bytes / sizes
	t.ThrottledMs = ThrottledStreamMs(t.MeanResponseBytes)
	return t, true
}
