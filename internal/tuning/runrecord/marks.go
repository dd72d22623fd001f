package runrecord

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// RunMark starts the description of every alias a run creates and every
// version it publishes ("awspowertuning run <run id> …"), so that a later
// run tells a leftover of an interrupted run, which it deletes, from a
// user's alias or version that only has a similar name.
const RunMark = "awspowertuning run"

// Marked is the description of an alias or version a run made.
func Marked(runID, rest string) string {
	if rest == "" {
		return RunMark + " " + runID
	}
	return RunMark + " " + runID + " " + rest
}

// IsMarked says whether a description is a run's mark.
func IsMarked(description string) bool { return strings.HasPrefix(description, RunMark) }

// ColdStartMark differs for every variant and every run, so that each
// PublishVersion really creates a version, whose first invocation is cold.
func ColdStartMark(runID, alias string) string {
	return fmt.Sprintf("%s %s cold start %s", RunMark, runID, alias)
}

// SizeAlias is the alias a run points at the version of one memory size:
// RAM<power>, or with one version per invocation (only cold starts)
// RAM<power>-<i>.
func SizeAlias(power int32, variant int) string {
	base := "RAM" + strconv.Itoa(int(power))
	if variant < 0 {
		return base
	}
	return base + "-" + strconv.Itoa(variant)
}

// sizeAliasPattern matches every SizeAlias.
var sizeAliasPattern = regexp.MustCompile(`^RAM[0-9]+(-[0-9]+)?$`)

// IsSizeAlias says whether name is one a run creates for a memory size.
func IsSizeAlias(name string) bool { return sizeAliasPattern.MatchString(name) }

// reservedPattern is every name a user's alias may not have: a run creates
// and deletes names like RAM<power> and RAM<power>-<i>.
var reservedPattern = regexp.MustCompile(`^RAM[0-9]`)

// ReservedAlias says why a user may not give an alias this name, or "".
func ReservedAlias(name string) string {
	switch {
	case name == LockAlias || name == DescriptionAlias:
		return "a run keeps its record in that alias"
	case reservedPattern.MatchString(name):
		return "names starting with RAM and a digit are the run's temporary aliases, which it deletes"
	}
	return ""
}
