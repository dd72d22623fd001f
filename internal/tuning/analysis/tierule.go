package analysis

import "cmp"

// TieRule chooses among the optimum and the rows within noise of it.
type TieRule string

const (
	// TieRuleNone keeps the strategy's optimum, as the original tool does.
	// "" means the same.
	TieRuleNone TieRule = "none"
	// TieRuleSmallestMemory takes the smallest memory size; between
	// architectures at that size, the cheaper.
	TieRuleSmallestMemory TieRule = "smallest_memory"
	// TieRuleCheapest takes the lowest average cost; between equal costs,
	// the smaller memory size.
	TieRuleCheapest TieRule = "cheapest"
)

// TieRules lists the rule names a user may give, TieRuleNone first.
func TieRules() []string {
	return []string{string(TieRuleNone), string(TieRuleSmallestMemory), string(TieRuleCheapest)}
}

// ChooseWithinNoise applies rule to best (the strategy's optimum, as
// SelectOptimal returns it) and the rows of results marked WithinNoise that
// can be chosen (not failed, not retired, with a successful measurement).
// The choice is stable: remaining ties go to the lower duration, then to the
// architecture's name. TieRuleNone, "" and any other rule return best, as
// does a best without a memory size (no optimum).
//
// The rows' WithinNoise flags are relative to best. To report the ties of
// a different chosen row, judge WithinNoise again with it as the optimum and
// MarkWithinNoise.
func ChooseWithinNoise(results []PowerResult, best PowerResult, rule TieRule) PowerResult {
	var compare func(a, b PowerResult) int
	switch rule {
	case TieRuleSmallestMemory:
		compare = func(a, b PowerResult) int {
			return cmp.Or(cmp.Compare(a.Power, b.Power), cmp.Compare(a.AverageCost, b.AverageCost), tieBreak(a, b))
		}
	case TieRuleCheapest:
		compare = func(a, b PowerResult) int {
			return cmp.Or(cmp.Compare(a.AverageCost, b.AverageCost), cmp.Compare(a.Power, b.Power), tieBreak(a, b))
		}
	default:
		return best
	}
	if best.Power == 0 {
		return best
	}
	chosen := best
	for _, r := range results {
		if r.WithinNoise && r.Key() != best.Key() && choosable(r) && compare(r, chosen) < 0 {
			chosen = r
		}
	}
	return chosen
}

// choosable: SelectOptimal could have chosen the row.
func choosable(r PowerResult) bool {
	return !r.Failed && !r.Retired && r.Invocations-r.Errors > 0
}

// tieBreak orders rows that a rule ranks alike, so that the choice does not
// depend on the order of results.
func tieBreak(a, b PowerResult) int {
	return cmp.Or(cmp.Compare(a.AverageDuration, b.AverageDuration), cmp.Compare(a.Architecture, b.Architecture))
}
