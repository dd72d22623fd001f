package ledger

import (
	"fmt"
	"strings"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
)

// Recovery is what a run found of an interrupted run and undid before tuning.
type Recovery struct {
	RunID   string // "" when the leftovers had no record
	Owner   string
	Started time.Time
	// MemoryFound and MemoryRestored are $LATEST memory as found and as
	// restored; equal when it needed no restoring.
	MemoryFound, MemoryRestored int32
	DescriptionRestored         bool
	DeletedAliases              []string
	DeletedVersions             []string
	// KeptVersions were published by a run but an alias that is not a
	// run's points to them: they are the user's now.
	KeptVersions []string
	// AliasMoves say which of the user's aliases the interrupted run had
	// moved to its optimum (auto_optimize_alias), kept as it asked.
	AliasMoves []string
	// Unrestored says what recovery left as it found it, and why.
	Unrestored []string
}

// String lists what was recovered, for a warning.
func (rc *Recovery) String() string {
	var b strings.Builder
	if rc.RunID != "" {
		fmt.Fprintf(&b, "Recovered interrupted tuning run %s (started %s by %s): ", rc.RunID, rc.Started.Format(time.RFC3339), rc.Owner)
	} else {
		b.WriteString("Recovered leftovers of an interrupted tuning run that left no record: ")
	}
	var did []string
	if rc.MemoryFound != rc.MemoryRestored {
		did = append(did, fmt.Sprintf("restored $LATEST memory from %d MB to %d MB", rc.MemoryFound, rc.MemoryRestored))
	}
	if rc.DescriptionRestored {
		did = append(did, "restored $LATEST description")
	}
	if len(rc.DeletedAliases) > 0 {
		did = append(did, faults.Plural(len(rc.DeletedAliases), "deleted alias ", "deleted aliases ")+strings.Join(rc.DeletedAliases, ", "))
	}
	if len(rc.DeletedVersions) > 0 {
		did = append(did, faults.Plural(len(rc.DeletedVersions), "deleted version ", "deleted versions ")+strings.Join(rc.DeletedVersions, ", "))
	}
	if len(rc.KeptVersions) > 0 {
		did = append(did, faults.Plural(len(rc.KeptVersions), "kept version ", "kept versions ")+strings.Join(rc.KeptVersions, ", ")+" (an alias of yours points to it)")
	}
	did = append(did, rc.AliasMoves...)
	if len(did) == 0 {
		did = append(did, "it had changed nothing on the function")
	}
	b.WriteString(strings.Join(did, "; "))
	b.WriteString(".")
	for _, u := range rc.Unrestored {
		b.WriteString(" " + u)
	}
	return b.String()
}

// FoundAnything says whether the recovery found anything to undo or report.
func (rc *Recovery) FoundAnything() bool {
	return rc.MemoryFound != rc.MemoryRestored || rc.DescriptionRestored || len(rc.DeletedAliases)+len(rc.DeletedVersions)+len(rc.KeptVersions)+len(rc.AliasMoves)+len(rc.Unrestored) > 0
}
