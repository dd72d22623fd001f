package analysis

import (
	"bytes"
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strings"
)

// upstreamOutput is the original tool's state machine output; field order
// and names are its.
type upstreamOutput struct {
	Power        int32                `json:"power"`
	Cost         float64              `json:"cost"`
	Duration     float64              `json:"duration"`
	StateMachine upstreamStateMachine `json:"stateMachine"`
	Stats        *[]upstreamStat      `json:"stats,omitempty"` // pointer: [] when asked for, absent otherwise
}

type upstreamStateMachine struct {
	ExecutionCost float64 `json:"executionCost"` // no Step Functions here: always 0
	LambdaCost    float64 `json:"lambdaCost"`
	Visualization string  `json:"visualization"`
}

type upstreamStat struct {
	AveragePrice    float64 `json:"averagePrice"`
	AverageDuration float64 `json:"averageDuration"`
	TotalCost       float64 `json:"totalCost"`
	Value           int32   `json:"value"`
}

// UpstreamOutput renders the original tool's output JSON:
// {"power","cost","duration","stateMachine":{"executionCost":0,"lambdaCost","visualization"},"stats"?}
// stats (per power value: averagePrice, averageDuration, totalCost, value) only when includeStats;
// they are sorted by power and leave out failed power values, which have no figures.
func UpstreamOutput(optimal PowerResult, tuningCost float64, visualization string, results []PowerResult, includeStats bool) string {
	out := upstreamOutput{
		Power:    optimal.Power,
		Cost:     finiteOrZero(optimal.AverageCost),
		Duration: finiteOrZero(optimal.AverageDuration),
		StateMachine: upstreamStateMachine{
			LambdaCost:    finiteOrZero(tuningCost),
			Visualization: visualization,
		},
	}
	if includeStats {
		stats := []upstreamStat{}
		for _, r := range succeededByPower(results) {
			stats = append(stats, upstreamStat{
				AveragePrice:    finiteOrZero(r.AverageCost),
				AverageDuration: finiteOrZero(r.AverageDuration),
				TotalCost:       finiteOrZero(r.TotalCost),
				Value:           r.Power,
			})
		}
		out.Stats = &stats
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "&" in a visualization URL readable
	// Encoding cannot fail: every value is a finite number or a string.
	_ = enc.Encode(out)
	return strings.TrimSuffix(buf.String(), "\n")
}

// succeededByPower is what the chart and the stats show: the results that
// did not fail (they have figures), sorted by power.
func succeededByPower(results []PowerResult) []PowerResult {
	out := make([]PowerResult, 0, len(results))
	for _, r := range results {
		if !r.Failed {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b PowerResult) int { return cmp.Compare(a.Power, b.Power) })
	return out
}

// finiteOrZero maps NaN and ±Inf, which JSON cannot hold, to 0.
func finiteOrZero(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
