// Package runrecord names and encodes what a tuning run leaves on AWS for
// others to read: the durable record in the description of the lock alias a
// run creates before it changes anything, the marks on the aliases and
// versions it publishes, and the lease tags of its copies. Lambda limits
// alias descriptions to 256 characters, so the record is compact key=value
// text. Pure: no I/O, no clock.
package runrecord

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// LockAlias is the alias whose existence says a run holds the function.
// CreateAlias answers 409 when the name exists, so acquiring it is atomic.
const LockAlias = "awspowertuning-lock"

// DescriptionAlias keeps the function's original description while a run
// with only_cold_starts changes it: a description may itself be 256
// characters long, too long to share the lock's description.
const DescriptionAlias = "awspowertuning-description"

// prefix starts every record, with its format version.
const prefix = "awspowertuning-lock/v1"

// MaxLen is Lambda's limit on an alias description.
const MaxLen = 256

// Record is one run's claim on a function and what it must restore.
type Record struct {
	RunID   string
	Host    string
	PID     int
	Version string // provider version
	Started time.Time
	Expires time.Time // the lease: renewed by the run's heartbeat
	// Memory is $LATEST memory before the run, the size to restore.
	Memory int32
	// SavedDescription says the original description is kept in
	// DescriptionAlias (the run changes it: only_cold_starts).
	SavedDescription bool
	// Moving is the user's alias the run is moving to the optimum and the
	// version it served before ("3:live": the version first, as the name
	// may be cut to fit), so that a recovery can say so.
	Moving string
}

// Owner is "host pid N (provider V)", for messages.
func (r Record) Owner() string {
	s := fmt.Sprintf("%s pid %d", r.Host, r.PID)
	if r.Version != "" {
		s += " (provider " + r.Version + ")"
	}
	return s
}

// Expired says whether the lease ran out at now.
func (r Record) Expired(now time.Time) bool { return !now.Before(r.Expires) }

// Encode is the alias description; fields are cut so it fits in MaxLen.
func (r Record) Encode() string {
	saved := "0"
	if r.SavedDescription {
		saved = "1"
	}
	fields := []string{
		prefix,
		"id=" + field(r.RunID, 16),
		"host=" + field(r.Host, 64),
		"pid=" + strconv.Itoa(r.PID),
		"pv=" + field(r.Version, 32),
		"st=" + strconv.FormatInt(r.Started.Unix(), 10),
		"exp=" + strconv.FormatInt(ceilUnix(r.Expires), 10),
		"mem=" + strconv.Itoa(int(r.Memory)),
		"desc=" + saved,
	}
	text := strings.Join(fields, " ")
	if r.Moving != "" {
		// Last, in what room is left: an alias name may be 128 characters.
		text += " mv=" + field(r.Moving, MaxLen-len(text)-len(" mv="))
	}
	return text
}

// MovingAlias splits Moving into the alias and the version it served.
func (r Record) MovingAlias() (alias, from string, ok bool) {
	from, alias, ok = strings.Cut(r.Moving, ":")
	return alias, from, ok && alias != ""
}

// field escapes s (no spaces, no '=') and cuts it to at most n bytes
// without splitting an escape.
func field(s string, n int) string {
	e := url.QueryEscape(s)
	for len(e) > n {
		s = s[:len(s)-1]
		e = url.QueryEscape(s)
	}
	return e
}

// ErrNotARecord: the description was not written by a tuning run.
var ErrNotARecord = errors.New("not an awspowertuning run record")

// IsRecord says whether an alias description is a run record.
func IsRecord(description string) bool { return strings.HasPrefix(description, prefix+" ") }

// Decode parses what Encode wrote.
func Decode(description string) (Record, error) {
	if !IsRecord(description) {
		return Record{}, ErrNotARecord
	}
	var r Record
	var err error
	seen := map[string]bool{}
	for _, kv := range strings.Fields(strings.TrimPrefix(description, prefix)) {
		key, raw, ok := strings.Cut(kv, "=")
		if !ok {
			return Record{}, fmt.Errorf("%w: field %q has no value", ErrNotARecord, kv)
		}
		val, uerr := url.QueryUnescape(raw)
		if uerr != nil {
			return Record{}, fmt.Errorf("%w: field %s: %w", ErrNotARecord, key, uerr)
		}
		seen[key] = true
		switch key {
		case "id":
			r.RunID = val
		case "host":
			r.Host = val
		case "pid":
			r.PID, err = strconv.Atoi(val)
		case "pv":
			r.Version = val
		case "st":
			r.Started, err = unix(val)
		case "exp":
			r.Expires, err = unix(val)
		case "mem":
			var m int
			m, err = strconv.Atoi(val)
			r.Memory = int32(m)
		case "desc":
			r.SavedDescription = val == "1"
		case "mv":
			r.Moving = val
		}
		if err != nil {
			return Record{}, fmt.Errorf("%w: field %s: %w", ErrNotARecord, key, err)
		}
	}
	for _, key := range []string{"id", "exp", "mem"} {
		if !seen[key] {
			return Record{}, fmt.Errorf("%w: no %s field", ErrNotARecord, key)
		}
	}
	return r, nil
}

// ceilUnix rounds up to a second: a lease written in whole seconds must not
// end before the run meant it to.
func ceilUnix(t time.Time) int64 {
	if t.Truncate(time.Second).Equal(t) {
		return t.Unix()
	}
	return t.Unix() + 1
}

func unix(s string) (time.Time, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(n, 0).UTC(), nil
}
