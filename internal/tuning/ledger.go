package tuning

import (
	"cmp"
	"slices"
	"strconv"
	"sync"
)

// latestState is the part of $LATEST a run changes and must put back.
type latestState struct {
	memory      int32
	description string
}

// unsurePublish is a PublishVersion call whose outcome is unknown (the
// request may have reached Lambda before the error or cancellation).
type unsurePublish struct {
	power       int32
	description string
}

// ledger records everything a run changed on the function, so clean-up
// undoes exactly that and can say what is left. Safe for concurrent use.
type ledger struct {
	mu        sync.Mutex
	aliases   names // RAM aliases created or taken over, not deleted yet
	versions  names // versions the run published, not deleted yet
	unsure    []unsurePublish
	copies    names       // isolation = "copies": copies created (or maybe created), not deleted yet
	staged    string      // copies_code_s3_uri: the staged package's s3:// URI (maybe put), not deleted yet
	madeCopy  bool        // a copy was created (or maybe created), even if deleted since
	touched   bool        // an UpdateFunctionConfiguration was sent
	current   latestState // $LATEST as last known
	knownNow  bool        // current is reliable (false after a failed update)
	seenOnAWS int32       // $LATEST memory as last read from Lambda (0: never)
	changed   bool        // the run sent a change (even if undone since)
}

// changedAny says whether the run ever sent a change to the function.
func (l *ledger) changedAny() bool {
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

func (l *ledger) addAlias(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.aliases.add(name)
	l.changed = true
}

func (l *ledger) aliasDeleted(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.aliases.remove(name)
}

func (l *ledger) hasAlias(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Contains(l.aliases, name)
}

// addVersion records a version the run created; a version published twice
// (nothing changed in between) is recorded once.
func (l *ledger) addVersion(v string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.versions.add(v)
	l.changed = true
}

// forgetVersion drops a version from clean-up: it was deleted, or it is the
// user's now (an alias of theirs points at it).
func (l *ledger) forgetVersion(v string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.versions.remove(v)
}

func (l *ledger) hasVersion(v string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Contains(l.versions, v)
}

func (l *ledger) addUnsure(p unsurePublish) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unsure = append(l.unsure, p)
	l.changed = true
}

func (l *ledger) takeUnsure() []unsurePublish {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.unsure
	l.unsure = nil
	return u
}

// putUnsureBack keeps publishes that could not be settled for a later try.
func (l *ledger) putUnsureBack(u []unsurePublish) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unsure = append(u, l.unsure...)
}

// remaining returns what clean-up still has to remove, versions in numeric order.
func (l *ledger) remaining() (aliases, versions []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	aliases = slices.Clone(l.aliases)
	versions = slices.Clone(l.versions)
	slices.SortFunc(versions, func(a, b string) int { return cmp.Compare(versionNumber(a), versionNumber(b)) })
	return aliases, versions
}

// dirty says whether the run changed anything clean-up must look at.
func (l *ledger) dirty() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.touched || len(l.aliases) > 0 || len(l.versions) > 0 || len(l.unsure) > 0 || len(l.copies) > 0 || l.staged != ""
}

// stage records the package staged for the copies, before it is put.
func (l *ledger) stage(uri string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.staged = uri
}

// stagedCode is the staged package not deleted yet ("" for none); deleted
// clears it.
func (l *ledger) stagedCode(deleted bool) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	uri := l.staged
	if deleted {
		l.staged = ""
	}
	return uri
}

func (l *ledger) addCopy(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.copies.add(name)
	l.madeCopy = true
}

// madeAnyCopy says whether the run ever created (or tried to create) a copy.
func (l *ledger) madeAnyCopy() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.madeCopy
}

func (l *ledger) copyDeleted(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.copies.remove(name)
}

func (l *ledger) remainingCopies() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.copies)
}

// setCurrent records $LATEST as Lambda reported it (after a finished update
// or a read).
func (l *ledger) setCurrent(s latestState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.current, l.knownNow = s, true
	l.seenOnAWS = s.memory
}

// saw records $LATEST memory as just read from Lambda.
func (l *ledger) saw(memory int32) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seenOnAWS = memory
}

// updating marks $LATEST as changed by the run and not known until the
// update is confirmed.
func (l *ledger) updating() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.touched, l.knownNow, l.changed = true, false, true
}

// wasTouched says whether the run ever sent an update to $LATEST.
func (l *ledger) wasTouched() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.touched
}

func (l *ledger) latest() (s latestState, known bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current, l.knownNow
}

// latestMemorySeen is $LATEST memory as last read from Lambda, else as last
// set by the run, for the clean-up error.
func (l *ledger) latestMemorySeen() int32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seenOnAWS != 0 {
		return l.seenOnAWS
	}
	return l.current.memory
}

// versionNumber parses a published version; anything else ($LATEST) is -1.
func versionNumber(v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return n
}
