package analysis

// Strategy chooses the optimal power value.
type Strategy string

const (
	StrategyCost     Strategy = "cost"
	StrategySpeed    Strategy = "speed"
	StrategyBalanced Strategy = "balanced"
)

// Defaults of the analysis inputs, shared by the engine and the provider's schema.
const (
	DefaultDiscardTopBottom = 0.2
	DefaultBalancedWeight   = 0.5
	DefaultVisualizationURL = "https://lambda-power-tuning.show/"
)

// OfArchitecture is the results measured on arch, in order: one series of
// memory sizes, as a chart and the original tool's output show it.
func OfArchitecture(results []PowerResult, arch string) []PowerResult {
	var series []PowerResult
	for _, res := range results {
		if res.Architecture == arch {
			series = append(series, res)
		}
	}
	return series
}

// How adaptive sampling judged a size (PowerResult.Sampling).
const (
	// SampledMeasured: in the race to the end (num invocations, or until the
	// race was decided).
	SampledMeasured = "measured"
	// SampledRetired: its own measurements showed it behind the leader.
	SampledRetired = "retired"
	// SampledPredicted: the curve fitted through the other sizes, with its
	// own measurements, placed it behind; its own were too few to tell.
	SampledPredicted = "predicted"
)

// PowerResult is the analysis of one power value.
type PowerResult struct {
	Power int32 `json:"power"`
	// Architecture is set when a run compares architectures (one row per
	// architecture and power value); "" otherwise.
	Architecture    string  `json:"architecture,omitempty"`
	AverageCost     float64 `json:"average_cost"`
	AverageDuration float64 `json:"average_duration"`
	TotalCost       float64 `json:"total_cost"`
	Invocations     int     `json:"invocations"`
	Errors          int     `json:"errors"`
	Failed          bool    `json:"failed"`
	FailureReason   string  `json:"failure_reason,omitempty"`
	P50Duration     float64 `json:"p50_duration"`
	P90Duration     float64 `json:"p90_duration"`
	P99Duration     float64 `json:"p99_duration"`
	// TimeToFirstByte is the trimmed mean, in ms, of the streamed
	// invocations' time from sending the request to the first byte of the
	// response (measured on the client); 0 when invocations were buffered.
	TimeToFirstByte float64 `json:"time_to_first_byte,omitempty"`
	// ResponseBytes is the mean size of the responses.
	ResponseBytes int64 `json:"response_bytes,omitempty"`
	// Retired: adaptive sampling took the power value out of the race; its
	// figures are from the invocations it had. BehindBy is how far its
	// ranked quantity was behind the leader's then (0.12: 12 % worse).
	Retired  bool    `json:"retired,omitempty"`
	BehindBy float64 `json:"behind_by,omitempty"`
	// Sampling says, for adaptive sampling, how the row's size was judged
	// (SampledMeasured, SampledRetired or SampledPredicted); "" for
	// exhaustive sampling and failed rows. Its figures are always its own
	// invocations': a prediction only ever decided to stop invoking it.
	Sampling string `json:"sampling,omitempty"`
	// WithinNoise: the measurements cannot tell this row apart from the
	// optimum on the quantity the strategy ranks.
	WithinNoise bool `json:"within_noise,omitempty"`
}
