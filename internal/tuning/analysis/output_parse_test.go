package analysis

import (
	"errors"
	"testing"
)

func TestParseUpstreamOutput_readsWhatUpstreamOutputWrites(t *testing.T) {
	results := []PowerResult{
		{Power: 512, AverageCost: 0.0000021, AverageDuration: 40, TotalCost: 0.00002},
		{Power: 128, AverageCost: 0.0000012, AverageDuration: 120.5, TotalCost: 0.00001},
	}
	text := UpstreamOutput(results[1], 0.00003, "https://example.com/#x", results, true)
	got, err := ParseUpstreamOutput(text)
	if err != nil {
		t.Fatal(err)
	}
	if got.Optimal.Power != 128 || got.Optimal.AverageCost != 0.0000012 || got.Optimal.AverageDuration != 120.5 {
		t.Errorf("optimal = %+v", got.Optimal)
	}
	if got.LambdaCost != 0.00003 || got.ExecutionCost != 0 || got.Visualization != "https://example.com/#x" {
		t.Errorf("state machine figures = %+v", got)
	}
	if len(got.Stats) != 2 || got.Stats[0].Power != 128 || got.Stats[1].Power != 512 || got.Stats[1].TotalCost != 0.00002 {
		t.Errorf("stats = %+v, want 128 then 512 with their figures", got.Stats)
	}
}

func TestParseUpstreamOutput_realExecutionShape(t *testing.T) {
	// As a real execution writes it: exponents, executionCost, no totalCost.
	text := `{"power":512,"cost":1.2e-06,"duration":30.5,"stateMachine":{"executionCost":0.00045,` +
		`"lambdaCost":1.1e-05,"visualization":"https://lambda-power-tuning.show/#a"},` +
		`"stats":[{"value":128,"averagePrice":9.3e-07,"averageDuration":401.2}]}`
	got, err := ParseUpstreamOutput(text)
	if err != nil {
		t.Fatal(err)
	}
	if got.Optimal.Power != 512 || got.ExecutionCost != 0.00045 || got.LambdaCost != 0.000011 {
		t.Errorf("got %+v", got)
	}
	if len(got.Stats) != 1 || got.Stats[0].AverageDuration != 401.2 || got.Stats[0].TotalCost != 0 {
		t.Errorf("stats = %+v", got.Stats)
	}
	noStats, err := ParseUpstreamOutput(`{"power":128,"cost":1,"duration":2,"stateMachine":{}}`)
	if err != nil || noStats.Stats != nil {
		t.Errorf("without stats: %+v, %v; want nil stats", noStats, err)
	}
}

func TestParseUpstreamOutput_errors(t *testing.T) {
	tests := []struct {
		text string
		want error
	}{
		{`{}`, ErrNoPower},
		{`{"power":128}`, ErrNotUpstreamOutput},
		{`{"results":{"power":128}}`, ErrNotUpstreamOutput},
		{`{"cost":1,"duration":2,"stateMachine":{}}`, ErrNotUpstreamOutput},
		{`{"power":128.5,"cost":1,"duration":2,"stateMachine":{}}`, ErrNotUpstreamOutput},
		{`{"power":128,"cost":1,"duration":2,"stateMachine":{},"stats":[{"value":-1}]}`, ErrNotUpstreamOutput},
		{`["not", "an", "object"]`, ErrNotUpstreamOutput},
		{`"hello"`, ErrNotUpstreamOutput},
	}
	for _, tt := range tests {
		_, err := ParseUpstreamOutput(tt.text)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.text, err, tt.want)
		}
		if tt.want == ErrNoPower && errors.Is(err, ErrNotUpstreamOutput) {
			t.Errorf("%s: {} is the original's own failure output, not another shape", tt.text)
		}
	}
}
