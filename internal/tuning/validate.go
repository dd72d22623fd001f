package tuning

// Validate checks every input and returns *InputError values joined with
// errors.Join, each naming the attribute and how to fix it.
func (in Input) Validate() error { panic("not implemented") }

// ResolvePowerValues returns the power values a run uses: the input's, all of
// 128..3008 step 64 when PowerValuesAll, or the deployment default.
func ResolvePowerValues(in Input, deploymentDefault []int32) []int32 { panic("not implemented") }
