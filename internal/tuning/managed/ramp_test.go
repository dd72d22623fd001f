package managed

import (
	"slices"
	"testing"
	"time"
)

func TestRampLevelsStartAtAQuarterAndDoubleUpToTheConcurrency(t *testing.T) {
	tests := map[int][]int{1: {1}, 3: {1, 2, 3}, 4: {1, 2, 4}, 16: {4, 8, 16}, 24: {6, 12, 24}, 1600: {400, 800, 1600}}
	for concurrency, want := range tests {
		if got := rampLevels(concurrency); !slices.Equal(got, want) {
			t.Errorf("rampLevels(%d) = %v, want %v", concurrency, got, want)
		}
	}
}

func TestRampStepIsATenthOfTheLoadWithinBounds(t *testing.T) {
	for load, want := range map[time.Duration]time.Duration{10 * time.Second: 2 * time.Second, 60 * time.Second: 6 * time.Second, 900 * time.Second: 10 * time.Second} {
		if got := rampStep(load); got != want {
			t.Errorf("rampStep(%v) = %v, want %v", load, got, want)
		}
	}
}

func TestTheRampGoesOnOnlyWhileThroughputClearlyRises(t *testing.T) {
	base := level{succeeded: 100, seconds: 10}
	tests := []struct {
		name string
		next level
		want bool
	}{
		{"twice as much", level{succeeded: 200, seconds: 10}, true},
		{"within noise", level{succeeded: 108, seconds: 10}, false},
		{"throttled", level{succeeded: 200, seconds: 10, throttles: 1}, false},
		{"failing", level{succeeded: 200, seconds: 10, errors: 1}, false},
	}
	for _, tt := range tests {
		if got := better(tt.next, base); got != tt.want {
			t.Errorf("%s: better = %v, want %v", tt.name, got, tt.want)
		}
	}
}
