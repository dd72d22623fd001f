package analysis_test

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// Every prefix of a spread weighted payload sends each entry close to its
// weight's share, and the whole sends exactly the laid-out counts.
func TestSpreadKeepsEveryPrefixWeighted(t *testing.T) {
	p, err := analysis.BuildPayloads([]byte(`[{"payload":"a","weight":3},{"payload":"b","weight":1}]`), 48)
	if err != nil {
		t.Fatal(err)
	}
	if first := string(p.Body(0)) + string(p.Body(5)); first != `"a""a"` {
		t.Fatalf("laid out in order, invocations 0 and 5 send %s, want a and a", first)
	}
	spread := p.Spread()
	as := 0
	for i := range spread.Len() {
		if string(spread.Body(i)) == `"a"` {
			as++
		}
		n := i + 1
		if want := 0.75 * float64(n); n >= 5 && (float64(as) < want-2 || float64(as) > want+2) {
			t.Fatalf("after %d invocations %d sent a, want about %.1f", n, as, want)
		}
	}
	if as != 36 {
		t.Errorf("%d of 48 invocations sent a, want the 36 its weight lays out", as)
	}
	if string(spread.Request(7, 512)) != string(spread.Body(7)) {
		t.Error("Request and Body disagree on a spread payload")
	}
}

func TestSpreadLeavesOneEntryAlone(t *testing.T) {
	p, err := analysis.BuildPayloads([]byte(`{"x":1}`), 10)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Spread(); string(s.Body(3)) != `{"x":1}` || s.Len() != 10 {
		t.Errorf("spread single payload: %s of %d", s.Body(3), s.Len())
	}
}
