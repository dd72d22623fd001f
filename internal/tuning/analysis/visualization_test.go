package analysis_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

func TestVisualizationURLExactBytes(t *testing.T) {
	results := []analysis.PowerResult{
		{Power: 512, AverageDuration: 10.5, AverageCost: 0.5, Invocations: 5},
		{Power: 128, AverageDuration: 40.25, AverageCost: 2, Invocations: 5},
		{Power: 256, AverageDuration: 99, AverageCost: 99, Failed: true},
		{Power: 10240, AverageDuration: 1, AverageCost: 1, Invocations: 5},
	}
	got := analysis.VisualizationURL("https://lambda-power-analysis.show/", results, "USD")

	base, fragment, ok := strings.Cut(got, "#")
	if !ok || base != "https://lambda-power-analysis.show/" {
		t.Fatalf("URL = %q, want the base URL and a fragment", got)
	}
	parts := strings.Split(fragment, ";")
	if len(parts) != 3 {
		t.Fatalf("fragment %q has %d parts, want 3", fragment, len(parts))
	}
	// Little-endian int16 128, 512, 10240; float32 40.25 (0x42210000), 10.5
	// (0x41280000), 1 (0x3f800000); float32 2, 0.5, 1. The failed 256 is left out.
	want := [][]byte{
		{0x80, 0x00, 0x00, 0x02, 0x00, 0x28},
		{0x00, 0x00, 0x21, 0x42, 0x00, 0x00, 0x28, 0x41, 0x00, 0x00, 0x80, 0x3f},
		{0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x3f, 0x00, 0x00, 0x80, 0x3f},
	}
	for i, part := range parts {
		decoded, err := base64.StdEncoding.DecodeString(part)
		if err != nil {
			t.Fatalf("part %d %q is not standard base64: %v", i, part, err)
		}
		if !bytes.Equal(decoded, want[i]) {
			t.Errorf("part %d = % x, want % x", i, decoded, want[i])
		}
	}
}

func TestVisualizationURLDecodesBack(t *testing.T) {
	results := []analysis.PowerResult{
		{Power: 1024, AverageDuration: 230.123, AverageCost: 0.0000040123},
		{Power: 128, AverageDuration: 1400.5, AverageCost: 0.0000030456},
		{Power: 3008, AverageDuration: 220.75, AverageCost: 0.0000117891},
	}
	url := analysis.VisualizationURL("https://example.test/show/", results, "USD")
	parts := strings.Split(strings.SplitN(url, "#", 2)[1], ";")
	powers := decodeLE[int16](t, parts[0])
	durations := decodeLE[float32](t, parts[1])
	costs := decodeLE[float32](t, parts[2])

	wantPowers := []int16{128, 1024, 3008}
	wantDurations := []float64{1400.5, 230.123, 220.75}
	wantCosts := []float64{0.0000030456, 0.0000040123, 0.0000117891}
	for i := range wantPowers {
		if powers[i] != wantPowers[i] {
			t.Errorf("power %d = %d, want %d", i, powers[i], wantPowers[i])
		}
		if d := float64(durations[i]); math.Abs(d-wantDurations[i]) > 1e-4 {
			t.Errorf("duration %d = %v, want %v", i, d, wantDurations[i])
		}
		if c := float64(costs[i]); math.Abs(c-wantCosts[i]) > 1e-12 {
			t.Errorf("cost %d = %v, want %v", i, c, wantCosts[i])
		}
	}
}

func decodeLE[T int16 | float32](t *testing.T, s string) []T {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("%q is not standard base64: %v", s, err)
	}
	out := make([]T, len(raw)/binary.Size(T(0)))
	if err := binary.Read(bytes.NewReader(raw), binary.LittleEndian, out); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return out
}

func TestVisualizationURLShape(t *testing.T) {
	one := []analysis.PowerResult{{Power: 128, AverageDuration: 1, AverageCost: 2}}
	tests := []struct {
		name, base, currency string
		results              []analysis.PowerResult
		want                 string
	}{
		{"USD", "https://lambda-power-analysis.show/", "USD", one, "https://lambda-power-analysis.show/#gAA=;AACAPw==;AAAAQA=="},
		{"CNY adds the currency", "https://lambda-power-analysis.show/", "CNY", one, "https://lambda-power-analysis.show/?currency=CNY#gAA=;AACAPw==;AAAAQA=="},
		{"CNY with a query in the base", "https://viz.example/?theme=dark", "CNY", one, "https://viz.example/?theme=dark&currency=CNY#gAA=;AACAPw==;AAAAQA=="},
		{"no results", "https://lambda-power-analysis.show/", "", nil, "https://lambda-power-analysis.show/#;;"},
	}
	for _, tt := range tests {
		if got := analysis.VisualizationURL(tt.base, tt.results, tt.currency); got != tt.want {
			t.Errorf("%s: URL = %q, want %q", tt.name, got, tt.want)
		}
	}
}
