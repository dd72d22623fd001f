package ledger

import "testing"

// A change whose answer was lost (cancelled, timed out) may or may not
// have been applied: either state is the run's own, anything else is
// someone else's.
func TestExplainsTheRunsOwnUnconfirmedUpdate(t *testing.T) {
	before := LatestState{Memory: 256, Description: "mine"}
	asked := LatestState{Memory: 512, Description: "mine"}
	cases := []struct {
		name                    string
		confirmed               bool
		now                     LatestState
		wantMemory, wantDescrip bool
	}{
		{"applied, answer lost", false, asked, true, true},
		{"not applied", false, before, true, true},
		{"someone else's memory", false, LatestState{Memory: 1024, Description: "mine"}, false, true},
		{"someone else's description", false, LatestState{Memory: 512, Description: "theirs"}, true, false},
		{"confirmed: the old memory is no longer the run's", true, before, false, true},
		{"confirmed and unchanged", true, asked, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var l Ledger
			l.SetCurrent(before)
			l.Updating(asked)
			if c.confirmed {
				l.SetCurrent(asked)
			}
			memory, description := l.Explains(c.now)
			if memory != c.wantMemory || description != c.wantDescrip {
				t.Errorf("Explains(%+v) = %v, %v; want %v, %v", c.now, memory, description, c.wantMemory, c.wantDescrip)
			}
		})
	}
}
