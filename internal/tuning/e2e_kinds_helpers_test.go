package tuning

import (
	"slices"
)

// callsSoFar is where the emulator's call log stands, for
// assertNothingChangedSince.
func (env *simEnv) callsSoFar() int { return len(env.sim.Calls()) }

// assertNothingChangedSince checks, from the call log, that since from the
// function called name was only read (no lock, update, version or alias),
// that nothing was created and nothing invoked: a refusal before any change.
func (env *simEnv) assertNothingChangedSince(from int, name string) {
	env.t.Helper()
	calls := env.sim.Calls()[from:]
	for op, n := range calls.ForFunction(name).Operations() {
		if !slices.Contains(readOnlyOperations, op) {
			env.t.Errorf("%s received %d %s calls before the refusal, want none", name, n, op)
		}
	}
	for _, op := range []string{"CreateFunction", "Invoke", "InvokeWithResponseStream", "PutObject"} {
		if n := calls.Operations()[op]; n != 0 {
			env.t.Errorf("%d %s calls before the refusal, want none", n, op)
		}
	}
}
