package analysis

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestOfArchitectureKeepsOneSeriesInOrder(t *testing.T) {
	results := []PowerResult{
		{Power: 128, Architecture: "x86_64"}, {Power: 128, Architecture: "arm64"},
		{Power: 512, Architecture: "x86_64"}, {Power: 512, Architecture: "arm64"},
	}
	var powers []int32
	for _, r := range OfArchitecture(results, "arm64") {
		if r.Architecture != "arm64" {
			t.Errorf("%d MB on %s in the arm64 series", r.Power, r.Architecture)
		}
		powers = append(powers, r.Power)
	}
	if !slices.Equal(powers, []int32{128, 512}) {
		t.Errorf("arm64 series = %v MB, want [128 512]", powers)
	}
	if got := OfArchitecture(results, "none"); len(got) != 0 {
		t.Errorf("series of an architecture not measured = %v, want none", got)
	}
}

func TestWithinNoiseIsInTheJSONOnlyWhenSet(t *testing.T) {
	tie, err := json.Marshal(PowerResult{Power: 512, WithinNoise: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tie), `"within_noise":true`) {
		t.Errorf("a tie is written %s", tie)
	}
	plain, err := json.Marshal(PowerResult{Power: 512})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(plain), "within_noise") {
		t.Errorf("a row that is no tie is written %s: reports of earlier runs would change", plain)
	}
}
