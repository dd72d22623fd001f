package tuning

// SelectOptimal picks the optimum among results that are not Failed and have
// at least one successful measurement. ok is false when none qualifies.
func SelectOptimal(results []PowerResult, strategy Strategy, balancedWeight float64) (best PowerResult, ok bool) {
	panic("not implemented")
}
