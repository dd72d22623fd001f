package tuning

const (
	attrSampling          = "sampling"
	attrAdaptiveTolerance = "adaptive_tolerance"
	// maxAdaptiveTolerance keeps "practically equal" meaningful: beyond it
	// adaptive sampling would stop on nearly any two power values.
	maxAdaptiveTolerance = 0.5
)

func (in Input) validateSampling(add addFunc) {
	switch in.Sampling {
	case "", SamplingExhaustive:
		if in.AdaptiveTolerance != nil {
			add(attrAdaptiveTolerance, "only applies to sampling = \"adaptive\": set that sampling or remove adaptive_tolerance")
		}
	case SamplingAdaptive:
		if in.OnlyColdStarts {
			add(attrSampling, "\"adaptive\" cannot be combined with only_cold_starts = true (every cold-start invocation needs "+
				"its own published version, made before any round is judged): use sampling = \"exhaustive\" or remove only_cold_starts")
		}
	default:
		add(attrSampling, "%q is not a sampling mode: use \"exhaustive\" (every power value gets num invocations) or \"adaptive\"", in.Sampling)
	}
	if t := in.AdaptiveTolerance; t != nil && !(*t >= 0 && *t <= maxAdaptiveTolerance) {
		add(attrAdaptiveTolerance, "must be between 0 and %g (a relative difference: 0.05 means within 5 %%), got %g", maxAdaptiveTolerance, *t)
	}
}
