package spec

// Architectures a copy may have.
var architectures = []string{"x86_64", "arm64"}

func (in Input) validateSampling(add addFunc) {
	switch in.Sampling {
	case "", SamplingExhaustive:
		if in.AdaptiveTolerance != nil {
			add(AttrAdaptiveTolerance, "only applies to sampling = \"adaptive\": set that sampling or remove adaptive_tolerance")
		}
	case SamplingAdaptive:
		if in.OnlyColdStarts {
			add(AttrSampling, "\"adaptive\" cannot be combined with only_cold_starts = true (every cold-start invocation needs "+
				"its own published version, made before any round is judged): use sampling = \"exhaustive\" or remove only_cold_starts")
		}
	default:
		add(AttrSampling, "%q is not a sampling mode: use \"exhaustive\" (every power value gets num invocations) or \"adaptive\"", in.Sampling)
	}
	if t := in.AdaptiveTolerance; t != nil && !(*t >= 0 && *t <= MaxAdaptiveTolerance) {
		add(AttrAdaptiveTolerance, "must be between 0 and %g (a relative difference: 0.05 means within 5 %%), got %g", MaxAdaptiveTolerance, *t)
	}
}

func (in Input) validateIsolation(add addFunc) {
	in.validateArchitectures(add)
	if in.CopiesCodeS3URI != "" {
		if in.Isolation != IsolationCopies {
			add(AttrCopiesCodeS3URI, `only applies with isolation = "copies" (it stages the package copies are created from): set isolation = "copies" or remove copies_code_s3_uri`)
		}
		if _, _, err := ParseS3Location(in.CopiesCodeS3URI); err != nil {
			add(AttrCopiesCodeS3URI, "%s", err.Error())
		}
	}
	switch in.Isolation {
	case "", IsolationNone:
		return
	case IsolationCopies:
	default:
		add(AttrIsolation, `%q is not an isolation: use "none" (tune the function itself, the default) or "copies" (tune temporary copies and never change the function)`, in.Isolation)
		return
	}
	if in.OnlyColdStarts {
		add(AttrOnlyColdStarts, `cannot be combined with isolation = "copies": every copy's first invocation is cold but later ones are warm; use isolation = "none" or remove only_cold_starts`)
	}
	if in.AutoOptimize && Qualifier(in.LambdaARN) != "" {
		add(AttrAutoOptimize, `applies the optimum to $LATEST, but lambda_arn names the version or alias %q: remove the qualifier, or remove auto_optimize and apply the result yourself`, Qualifier(in.LambdaARN))
	}
}

func (in Input) validateArchitectures(add addFunc) {
	if len(in.Architectures) == 0 {
		return
	}
	if in.Isolation != IsolationCopies {
		add(AttrArchitectures, `only applies with isolation = "copies" (a function has one architecture; copies can have others): set isolation = "copies" or remove architectures`)
	}
	if in.Sampling == SamplingAdaptive {
		add(AttrArchitectures, `cannot be combined with sampling = "adaptive" yet (the race judges every memory size at one price): use sampling = "exhaustive" or compare one architecture at a time`)
	}
	seen := map[string]bool{}
	for _, a := range in.Architectures {
		switch {
		case !isArchitecture(a):
			add(AttrArchitectures, `%q is not a Lambda architecture: use "x86_64" and/or "arm64"`, a)
		case seen[a]:
			add(AttrArchitectures, `%q is listed more than once: list each architecture once`, a)
		}
		seen[a] = true
	}
}

// Architectures are the architectures a copy may have.
func Architectures() []string { return append([]string(nil), architectures...) }

func isArchitecture(a string) bool {
	for _, known := range architectures {
		if a == known {
			return true
		}
	}
	return false
}
