package analysis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNotUpstreamOutput: a JSON document is not the original tool's output.
var ErrNotUpstreamOutput = errors.New("not the output of AWS Lambda Power Tuning's state machine")

// ErrNoPower: the output has no power. The original tool returns `{}` when
// its clean-up path ran after an error, and no power for a dry run. An
// output that is not `{}` but has no power is also ErrNotUpstreamOutput.
var ErrNoPower = errors.New("the output has no power")

// UpstreamResult is the original tool's output read back.
type UpstreamResult struct {
	Optimal       PowerResult   // Power, AverageCost and AverageDuration
	LambdaCost    float64       // stateMachine.lambdaCost
	ExecutionCost float64       // stateMachine.executionCost
	Visualization string        // stateMachine.visualization
	Stats         []PowerResult // from stats (Power, AverageCost, AverageDuration, TotalCost when given); nil without it
}

// upstreamInput is the lenient reading of upstreamOutput: every field is
// optional, so that what is missing can be told apart from a zero.
type upstreamInput struct {
	Power        *float64 `json:"power"`
	Cost         *float64 `json:"cost"`
	Duration     *float64 `json:"duration"`
	StateMachine *struct {
		ExecutionCost float64 `json:"executionCost"`
		LambdaCost    float64 `json:"lambdaCost"`
		Visualization string  `json:"visualization"`
	} `json:"stateMachine"`
	Stats *[]struct {
		Value           float64 `json:"value"`
		AveragePrice    float64 `json:"averagePrice"`
		AverageDuration float64 `json:"averageDuration"`
		TotalCost       float64 `json:"totalCost"`
	} `json:"stats"`
}

// ParseUpstreamOutput reads the original tool's output (UpstreamOutput's
// shape, as a real execution writes it). An object without power is
// ErrNoPower; anything else that is not that shape is ErrNotUpstreamOutput.
func ParseUpstreamOutput(text string) (UpstreamResult, error) {
	var in upstreamInput
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	if err := dec.Decode(&in); err != nil {
		return UpstreamResult{}, fmt.Errorf("%w: %v", ErrNotUpstreamOutput, err)
	}
	if in.Power == nil {
		var fields map[string]json.RawMessage
		if json.Unmarshal([]byte(text), &fields) == nil && len(fields) == 0 {
			return UpstreamResult{}, ErrNoPower
		}
		return UpstreamResult{}, fmt.Errorf("%w: %w", ErrNotUpstreamOutput, ErrNoPower)
	}
	if in.Cost == nil || in.Duration == nil || in.StateMachine == nil {
		return UpstreamResult{}, fmt.Errorf("%w: power without cost, duration or stateMachine", ErrNotUpstreamOutput)
	}
	power, ok := memorySize(*in.Power)
	if !ok {
		return UpstreamResult{}, fmt.Errorf("%w: power %v is not a memory size", ErrNotUpstreamOutput, *in.Power)
	}
	out := UpstreamResult{
		Optimal:       PowerResult{Power: power, AverageCost: *in.Cost, AverageDuration: *in.Duration},
		LambdaCost:    in.StateMachine.LambdaCost,
		ExecutionCost: in.StateMachine.ExecutionCost,
		Visualization: in.StateMachine.Visualization,
	}
	if in.Stats != nil {
		out.Stats = make([]PowerResult, 0, len(*in.Stats))
		for _, s := range *in.Stats {
			p, ok := memorySize(s.Value)
			if !ok {
				return UpstreamResult{}, fmt.Errorf("%w: stats value %v is not a memory size", ErrNotUpstreamOutput, s.Value)
			}
			out.Stats = append(out.Stats, PowerResult{Power: p, AverageCost: s.AveragePrice,
				AverageDuration: s.AverageDuration, TotalCost: s.TotalCost})
		}
		out.Stats = succeededByPower(out.Stats)
	}
	return out, nil
}

// memorySize accepts a whole, positive number of megabytes.
func memorySize(v float64) (int32, bool) {
	if v < 1 || v > 1<<20 || v != float64(int32(v)) {
		return 0, false
	}
	return int32(v), true
}
