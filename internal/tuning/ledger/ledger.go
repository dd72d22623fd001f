// Package ledger records what a run changed, so that clean-up undoes exactly
// that and a failure says truthfully what is left: aliases and versions it
// made, $LATEST as last known, copies and staged packages, and what it
// recovered of an interrupted run. No I/O: the packages that call AWS write
// to it. It imports faults only, for words.
package ledger

import (
	"cmp"
	"slices"
	"strconv"
	"sync"
)

// LatestState is the part of $LATEST a run changes and must put back.
type LatestState struct {
	Memory      int32
	Description string
}

// UnsurePublish is a PublishVersion call whose outcome is unknown (the
// request may have reached Lambda before the error or cancellation).
type UnsurePublish struct {
	Power       int32
	Description string
}

// Ledger records everything a run changed on the function, so clean-up
// undoes exactly that and can say what is left. Safe for concurrent use.
type Ledger struct {
	mu        sync.Mutex
	aliases   names // RAM aliases created or taken over, not deleted yet
	versions  names // versions the run published, not deleted yet
	unsure    []UnsurePublish
	copies    names       // isolation = "copies": copies created (or maybe created), not deleted yet
	staged    string      // copies_code_s3_uri: the staged package's s3:// URI (maybe put), not deleted yet
	madeCopy  bool        // a copy was created (or maybe created), even if deleted since
	touched   bool        // an UpdateFunctionConfiguration was sent
	current   LatestState // $LATEST as last known
	knownNow  bool        // current is reliable (false after a failed update)
	asked     LatestState // what the run's last update asked for (its outcome unknown while !knownNow)
	seenOnAWS int32       // $LATEST memory as last read from Lambda (0: never)
	changed   bool        // the run sent a change (even if undone since)
}

// ChangedAny says whether the run ever sent a change to the function.
func (l *Ledger) ChangedAny() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.changed
}

// names is an ordered list of distinct aliases or versions.
type names []string

func (n *names) add(name string) {
	if !slices.Contains(*n, name) {
		*n = append(*n, name)
	}
}

func (n *names) remove(name string) {
	*n = slices.DeleteFunc(*n, func(x string) bool { return x == name })
}

func (l *Ledger) AddAlias(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.aliases.add(name)
	l.changed = true
}

func (l *Ledger) AliasDeleted(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.aliases.remove(name)
}

func (l *Ledger) HasAlias(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Contains(l.aliases, name)
}

// AddVersion records a version the run created; a version published twice
// (nothing changed in between) is recorded once.
func (l *Ledger) AddVersion(v string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.versions.add(v)
	l.changed = true
}

// ForgetVersion drops a version from clean-up: it was deleted, or it is the
// user's now (an alias of theirs points at it).
func (l *Ledger) ForgetVersion(v string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.versions.remove(v)
}

func (l *Ledger) HasVersion(v string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Contains(l.versions, v)
}

func (l *Ledger) AddUnsure(p UnsurePublish) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unsure = append(l.unsure, p)
	l.changed = true
}

func (l *Ledger) TakeUnsure() []UnsurePublish {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.unsure
	l.unsure = nil
	return u
}

// PutUnsureBack keeps publishes that could not be settled for a later try.
func (l *Ledger) PutUnsureBack(u []UnsurePublish) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unsure = append(u, l.unsure...)
}

// Remaining returns what clean-up still has to remove, versions in numeric order.
func (l *Ledger) Remaining() (aliases, versions []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	aliases = slices.Clone(l.aliases)
	versions = slices.Clone(l.versions)
	slices.SortFunc(versions, func(a, b string) int { return cmp.Compare(VersionNumber(a), VersionNumber(b)) })
	return aliases, versions
}

// Dirty says whether the run changed anything clean-up must look at.
func (l *Ledger) Dirty() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.touched || len(l.aliases) > 0 || len(l.versions) > 0 || len(l.unsure) > 0 || len(l.copies) > 0 || l.staged != ""
}

// Stage records the package staged for the copies, before it is put.
func (l *Ledger) Stage(uri string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.staged = uri
}

// StagedCode is the staged package not deleted yet ("" for none); deleted
// clears it.
func (l *Ledger) StagedCode(deleted bool) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	uri := l.staged
	if deleted {
		l.staged = ""
	}
	return uri
}

func (l *Ledger) AddCopy(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.copies.add(name)
	l.madeCopy = true
}

// MadeAnyCopy says whether the run ever created (or tried to create) a copy.
func (l *Ledger) MadeAnyCopy() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.madeCopy
}

func (l *Ledger) CopyDeleted(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.copies.remove(name)
}

func (l *Ledger) RemainingCopies() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.copies)
}

// SetCurrent records $LATEST as Lambda reported it (after a finished update
// or a read).
func (l *Ledger) SetCurrent(s LatestState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.current, l.knownNow = s, true
	l.seenOnAWS = s.Memory
}

// Saw records $LATEST memory as just read from Lambda.
func (l *Ledger) Saw(memory int32) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seenOnAWS = memory
}

// Updating marks $LATEST as changed by the run toward want, and not known
// until the update is confirmed.
func (l *Ledger) Updating(want LatestState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.touched, l.knownNow, l.changed = true, false, true
	l.asked = want
}

// Explains says which of now's fields the run's own changes account for:
// $LATEST as last known, or, while an update's outcome is unknown (it was
// cancelled or its answer lost), what that update asked for. A field it
// does not explain was set by someone else.
func (l *Ledger) Explains(now LatestState) (memory, description bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	memory, description = now.Memory == l.current.Memory, now.Description == l.current.Description
	if !l.knownNow {
		memory = memory || now.Memory == l.asked.Memory
		description = description || now.Description == l.asked.Description
	}
	return memory, description
}

// WasTouched says whether the run ever sent an update to $LATEST.
func (l *Ledger) WasTouched() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.touched
}

func (l *Ledger) Latest() (s LatestState, known bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current, l.knownNow
}

// LatestMemorySeen is $LATEST memory as last read from Lambda, else as last
// set by the run, for the clean-up error.
func (l *Ledger) LatestMemorySeen() int32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seenOnAWS != 0 {
		return l.seenOnAWS
	}
	return l.current.Memory
}

// VersionNumber parses a published version; anything else ($LATEST) is -1.
func VersionNumber(v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return n
}
