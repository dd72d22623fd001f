package runrecord

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A copy (isolation = "copies") carries its run's lease in tags: copies
// belong to no lock alias, and two processes may tune copies of one
// function at once. A run renews the lease of its live copies; a later run
// deletes only copies whose lease ran out (or that carry none).
const (
	// CopyRunTag names the run that created the copy.
	CopyRunTag = "awspowertuning:run"
	// CopyOwnerTag says which process runs it: "host pid N".
	CopyOwnerTag = "awspowertuning:owner"
	// CopyLeaseTag is when the lease ends, RFC 3339 in UTC.
	CopyLeaseTag = "awspowertuning:lease-expires"
)

// maxTagValue is Lambda's limit on a tag value.
const maxTagValue = 256

// CopyLease is the liveness mark of one run's copies.
type CopyLease struct {
	RunID   string
	Host    string
	PID     int
	Expires time.Time
}

// Tags are the copy's tags at creation.
func (l CopyLease) Tags() map[string]string {
	return map[string]string{
		CopyRunTag:   tagValue(l.RunID),
		CopyOwnerTag: tagValue(l.Owner()),
		CopyLeaseTag: l.leaseValue(),
	}
}

// RenewalTags are what a heartbeat writes: the new end of the lease.
func (l CopyLease) RenewalTags() map[string]string {
	return map[string]string{CopyLeaseTag: l.leaseValue()}
}

func (l CopyLease) leaseValue() string {
	return time.Unix(ceilUnix(l.Expires), 0).UTC().Format(time.RFC3339)
}

// Owner is "host pid N", for messages.
func (l CopyLease) Owner() string { return fmt.Sprintf("%s pid %d", l.Host, l.PID) }

// Expired says whether the lease ran out at now.
func (l CopyLease) Expired(now time.Time) bool { return !now.Before(l.Expires) }

// ErrNoCopyLease: the tags carry no readable lease (a copy made by an
// older provider version, or tags someone edited).
var ErrNoCopyLease = errors.New("no awspowertuning copy lease")

// ParseCopyLease reads what Tags wrote.
func ParseCopyLease(tags map[string]string) (CopyLease, error) {
	var l CopyLease
	l.RunID = tags[CopyRunTag]
	if l.RunID == "" {
		return CopyLease{}, fmt.Errorf("%w: no %s tag", ErrNoCopyLease, CopyRunTag)
	}
	raw, ok := tags[CopyLeaseTag]
	if !ok {
		return CopyLease{}, fmt.Errorf("%w: no %s tag", ErrNoCopyLease, CopyLeaseTag)
	}
	exp, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return CopyLease{}, fmt.Errorf("%w: tag %s: %w", ErrNoCopyLease, CopyLeaseTag, err)
	}
	l.Expires = exp
	if host, pid, ok := strings.Cut(tags[CopyOwnerTag], " pid "); ok {
		l.Host = host
		l.PID, _ = strconv.Atoi(pid) // unreadable: 0, an owner no one takes for ended
	}
	return l, nil
}

// tagValue keeps what Lambda allows in a tag value (letters, digits,
// spaces and _.:/=+-@), replacing anything else with '_', cut to 256.
func tagValue(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxTagValue {
			break
		}
		n++
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.In(r, unicode.Z) || strings.ContainsRune("_.:/=+-@", r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
