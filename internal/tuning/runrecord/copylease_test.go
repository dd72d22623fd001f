package runrecord

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCopyLeaseRoundTrip(t *testing.T) {
	exp := time.Date(2026, 12, 2, 0, 10, 0, 500_000_000, time.UTC)
	l := CopyLease{RunID: "0a1b2c3d", Host: "ci-runner.example", PID: 4242, Expires: exp}
	got, err := ParseCopyLease(l.Tags())
	if err != nil {
		t.Fatalf("ParseCopyLease: %v", err)
	}
	// The lease is rounded up to the second: never shorter than granted.
	want := CopyLease{RunID: l.RunID, Host: l.Host, PID: l.PID, Expires: exp.Truncate(time.Second).Add(time.Second)}
	if got != want {
		t.Errorf("round trip = %+v, want %+v", got, want)
	}
	if got.Expired(exp) || !got.Expired(want.Expires) {
		t.Errorf("Expired: live at %s, expired at %s; want exactly that", exp, want.Expires)
	}
	renewed := l
	renewed.Expires = exp.Add(time.Minute)
	tags := l.Tags()
	for k, v := range renewed.RenewalTags() {
		tags[k] = v
	}
	if got, _ := ParseCopyLease(tags); !got.Expires.After(want.Expires) {
		t.Errorf("renewed lease ends %s, want after %s", got.Expires, want.Expires)
	}
}

func TestCopyLeaseTagsAreValidLambdaTagValues(t *testing.T) {
	l := CopyLease{RunID: "id", Host: "host(with)%odd,chars" + strings.Repeat("x", 300), PID: 1, Expires: time.Unix(0, 0)}
	for k, v := range l.Tags() {
		if n := len([]rune(v)); n > maxTagValue {
			t.Errorf("tag %s is %d characters, want at most %d", k, n, maxTagValue)
		}
		if strings.ContainsAny(v, "(),%") {
			t.Errorf("tag %s = %q holds characters Lambda refuses", k, v)
		}
	}
}

func TestParseCopyLeaseRefusesCopiesWithoutAReadableLease(t *testing.T) {
	for name, tags := range map[string]map[string]string{
		"no tags":           nil,
		"run tag only":      {CopyRunTag: "0a1b2c3d"},
		"unreadable lease":  {CopyRunTag: "0a1b2c3d", CopyLeaseTag: "tomorrow"},
		"lease without run": {CopyLeaseTag: "2026-12-02T00:00:00Z"},
	} {
		if _, err := ParseCopyLease(tags); !errors.Is(err, ErrNoCopyLease) {
			t.Errorf("%s: error = %v, want ErrNoCopyLease", name, err)
		}
	}
}
