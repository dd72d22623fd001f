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
