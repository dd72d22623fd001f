package htmlreport

import "testing"

// Table cells keep four or five significant digits: enough to compare
// sizes, narrow enough for the columns to fit.
func TestDurationCell(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0.00", 7.126: "7.13", 95: "95.00", 99.994: "99.99", 100: "100.0", 813.46: "813.5",
		999.94: "999.9", 1000: "1000", 1286.4: "1286", 123456.78: "123457",
	} {
		if got := durationCell(v); got != want {
			t.Errorf("durationCell(%v) = %q, want %q", v, got, want)
		}
	}
}
