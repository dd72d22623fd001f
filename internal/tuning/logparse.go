package tuning

// Measurement is what one invocation's REPORT says.
type Measurement struct {
	DurationMs        float64 // Duration + Init Duration + Restore Duration
	BilledDurationMs  float64 // Billed Duration as reported (already includes init and restore billing)
	InitDurationMs    float64
	RestoreDurationMs float64
	MemorySizeMB      int32
	MaxMemoryUsedMB   int32
	Status            string // "", "success", "timeout", "error"
	ErrorType         string
}

// ParseLogTail finds the REPORT (text) or platform.report (JSON) record in a
// decoded log tail. An error says that no REPORT was found.
func ParseLogTail(tail string) (Measurement, error) {
	panic("not implemented")
}
