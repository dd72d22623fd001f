package runrecord

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	started := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   Record
		want Record // after truncation
	}{
		{
			name: "plain",
			in:   Record{RunID: "0badc0de", Host: "ci-runner-7", PID: 4242, Version: "1.2.3", Started: started, Expires: started.Add(2 * time.Minute), Memory: 256},
		},
		{
			name: "saved description, odd host",
			in:   Record{RunID: "abc", Host: "my laptop=home", PID: 1, Started: started, Expires: started, Memory: 10240, SavedDescription: true},
		},
		{
			name: "overlong fields are cut to fit",
			in:   Record{RunID: "0badc0de", Host: strings.Repeat("h", 300), PID: 2147483647, Version: strings.Repeat("v", 100), Started: started, Expires: started, Memory: 3008},
			want: Record{RunID: "0badc0de", Host: strings.Repeat("h", 64), PID: 2147483647, Version: strings.Repeat("v", 32), Started: started, Expires: started, Memory: 3008},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want.RunID == "" {
				want = tt.in
			}
			enc := tt.in.Encode()
			if len(enc) > MaxLen {
				t.Fatalf("encoded record is %d characters, Lambda allows %d: %s", len(enc), MaxLen, enc)
			}
			got, err := Decode(enc)
			if err != nil {
				t.Fatalf("Decode(%q): %v", enc, err)
			}
			if got != want {
				t.Errorf("Decode(Encode(r)) = %+v, want %+v", got, want)
			}
		})
	}
}

func TestLeaseIsRoundedUpToASecond(t *testing.T) {
	exp := time.Date(2026, 12, 1, 21, 0, 0, 300_000_000, time.UTC)
	got, err := Decode(Record{RunID: "r", Expires: exp}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if want := exp.Truncate(time.Second).Add(time.Second); !got.Expires.Equal(want) {
		t.Errorf("Expires = %s, want %s: a lease must not end before it was meant to", got.Expires, want)
	}
}

func TestDecodeRefusesOtherDescriptions(t *testing.T) {
	for _, desc := range []string{
		"",
		"production traffic",
		"awspowertuning run 0badc0de",
		prefix + " id=x mem=128",           // no exp
		prefix + " id=x exp=zz mem=128",    // bad number
		prefix + " id=x exp=1 mem=128 pid", // no value
	} {
		if _, err := Decode(desc); !errors.Is(err, ErrNotARecord) {
			t.Errorf("Decode(%q) error = %v, want ErrNotARecord", desc, err)
		}
	}
}

func TestExpiredAndOwner(t *testing.T) {
	exp := time.Unix(1000, 0)
	r := Record{Host: "h", PID: 3, Version: "0.1.0", Expires: exp}
	if r.Expired(exp.Add(-time.Second)) {
		t.Error("a lease is not expired before its expiry")
	}
	if !r.Expired(exp) {
		t.Error("a lease is expired at its expiry")
	}
	if got, want := r.Owner(), "h pid 3 (provider 0.1.0)"; got != want {
		t.Errorf("Owner() = %q, want %q", got, want)
	}
}

func TestAnAliasBeingMovedFitsTheRecord(t *testing.T) {
	long := strings.Repeat("a", 128)
	for _, alias := range []string{"live", long} {
		rec := Record{RunID: "0badc0de", Host: strings.Repeat("h", 64), PID: 4242, Version: "1.2.3", Memory: 512,
			Started: time.Unix(1_700_000_000, 0).UTC(), Expires: time.Unix(1_700_000_120, 0).UTC(), Moving: "17:" + alias}
		text := rec.Encode()
		if len(text) > MaxLen {
			t.Fatalf("record of %d characters, over Lambda's %d", len(text), MaxLen)
		}
		got, err := Decode(text)
		if err != nil {
			t.Fatal(err)
		}
		name, from, ok := got.MovingAlias()
		if alias == "live" && (!ok || name != "live" || from != "17") {
			t.Errorf("decoded %q, %q, %v; want live, 17", name, from, ok)
		}
		if alias == long && (!ok || from != "17" || !strings.HasPrefix(long, name) || name == "") {
			t.Errorf("a long alias name came back as %q", name)
		}
	}
}
