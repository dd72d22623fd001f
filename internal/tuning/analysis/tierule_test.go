package analysis_test

import (
	"slices"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

func row(power int32, arch string, cost, duration float64, withinNoise bool) analysis.PowerResult {
	return analysis.PowerResult{Power: power, Architecture: arch, AverageCost: cost, AverageDuration: duration,
		Invocations: 20, WithinNoise: withinNoise}
}

func TestChooseWithinNoise(t *testing.T) {
	// A cost run: 512 MB is the cheapest; 256 MB and 1024 MB are within
	// noise of it, 128 MB is smaller still but clearly dearer.
	costRun := []analysis.PowerResult{
		row(128, "", 1.30, 800, false),
		row(256, "", 1.02, 400, true),
		row(512, "", 1.00, 200, false),
		row(1024, "", 1.01, 101, true),
	}
	// A speed run: 2048 MB is the fastest; 1024 MB and 1536 MB are within
	// noise of it and cheaper.
	speedRun := []analysis.PowerResult{
		row(512, "", 0.90, 190, false),
		row(1024, "", 1.00, 101, true),
		row(1536, "", 1.40, 100, true),
		row(2048, "", 1.90, 99, false),
	}
	tests := []struct {
		name    string
		results []analysis.PowerResult
		best    int
		rule    analysis.TieRule
		want    analysis.SizeKey
	}{
		{"none keeps the optimum", costRun, 2, analysis.TieRuleNone, analysis.SizeKey{Power: 512}},
		{"empty is none", costRun, 2, "", analysis.SizeKey{Power: 512}},
		{"an unknown rule is none", costRun, 2, "largest", analysis.SizeKey{Power: 512}},
		{"smallest memory among the ties, not among all sizes", costRun, 2, analysis.TieRuleSmallestMemory, analysis.SizeKey{Power: 256}},
		{"cheapest: the optimum of a cost run", costRun, 2, analysis.TieRuleCheapest, analysis.SizeKey{Power: 512}},
		{"cheapest among the ties of a speed run", speedRun, 3, analysis.TieRuleCheapest, analysis.SizeKey{Power: 1024}},
		{"smallest memory among the ties of a speed run", speedRun, 3, analysis.TieRuleSmallestMemory, analysis.SizeKey{Power: 1024}},
		{"cheapest: equal costs go to the smaller memory", []analysis.PowerResult{
			row(512, "", 1.00, 200, false), row(768, "", 1.00, 130, true), row(384, "", 1.00, 260, true),
		}, 0, analysis.TieRuleCheapest, analysis.SizeKey{Power: 384}},
		{"smallest memory: between architectures, the cheaper", []analysis.PowerResult{
			row(1024, analysis.ArchX86_64, 1.00, 100, false),
			row(512, analysis.ArchX86_64, 1.03, 200, true),
			row(512, analysis.ArchARM64, 1.01, 240, true),
		}, 0, analysis.TieRuleSmallestMemory, analysis.SizeKey{Power: 512, Arch: analysis.ArchARM64}},
		{"cheapest: between architectures at equal cost, the smaller memory", []analysis.PowerResult{
			row(1024, analysis.ArchX86_64, 1.00, 100, false),
			row(1024, analysis.ArchARM64, 0.98, 120, true),
			row(768, analysis.ArchARM64, 0.98, 150, true),
		}, 0, analysis.TieRuleCheapest, analysis.SizeKey{Power: 768, Arch: analysis.ArchARM64}},
		{"rows that cannot be chosen are passed over", []analysis.PowerResult{
			row(1024, "", 1.00, 100, false),
			{Power: 128, Failed: true, FailureReason: "timeout", WithinNoise: true},
			{Power: 256, AverageCost: 0.5, AverageDuration: 400, Invocations: 8, Retired: true, WithinNoise: true},
			{Power: 384, AverageCost: 0.5, Invocations: 5, Errors: 5, WithinNoise: true},
			row(768, "", 1.01, 130, true),
		}, 0, analysis.TieRuleSmallestMemory, analysis.SizeKey{Power: 768}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			best := tt.results[tt.best]
			if got := analysis.ChooseWithinNoise(tt.results, best, tt.rule).Key(); got != tt.want {
				t.Errorf("%s chooses %+v, want %+v", tt.rule, got, tt.want)
			}
			reversed := slices.Clone(tt.results)
			slices.Reverse(reversed)
			if got := analysis.ChooseWithinNoise(reversed, best, tt.rule).Key(); got != tt.want {
				t.Errorf("%s, results in reverse order, chooses %+v, want %+v", tt.rule, got, tt.want)
			}
		})
	}
}

func TestChooseWithinNoiseWithoutAnOptimum(t *testing.T) {
	results := []analysis.PowerResult{row(128, "", 1, 800, true), row(256, "", 1, 400, true)}
	for _, rule := range []analysis.TieRule{analysis.TieRuleSmallestMemory, analysis.TieRuleCheapest} {
		if got := analysis.ChooseWithinNoise(results, analysis.PowerResult{}, rule); got.Power != 0 {
			t.Errorf("%s chose %d MB although the run chose no optimum", rule, got.Power)
		}
	}
}

func TestTieRulesNameEveryRule(t *testing.T) {
	want := []string{"none", "smallest_memory", "cheapest"}
	if got := analysis.TieRules(); !slices.Equal(got, want) {
		t.Errorf("TieRules() = %q, want %q", got, want)
	}
	for _, rule := range []analysis.TieRule{analysis.TieRuleNone, analysis.TieRuleSmallestMemory, analysis.TieRuleCheapest} {
		if !slices.Contains(analysis.TieRules(), string(rule)) {
			t.Errorf("TieRules() lacks %q", rule)
		}
	}
	names := analysis.TieRules()
	names[0] = "changed"
	if analysis.TieRules()[0] != "none" {
		t.Error("TieRules returns a list its callers can change")
	}
}
