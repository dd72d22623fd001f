package analysis_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// repeated describes an expected layout: body, how many times, in order.
type repeated struct {
	body  string
	times int
}

func expand(layout ...repeated) []string {
	var out []string
	for _, r := range layout {
		for range r.times {
			out = append(out, r.body)
		}
	}
	return out
}

func TestBuildPayloads(t *testing.T) {
	weighted := `[
		{"payload": {"order": 1, "items": [1, 2]}, "weight": 5},
		{"payload": "{\"order\":2}", "weight": 3},
		{"payload": {"order" : 3}, "weight": 2}
	]`
	tests := []struct {
		name    string
		payload string
		nilBody bool
		num     int
		want    []string
	}{
		{name: "no payload sends an empty object", nilBody: true, num: 3, want: expand(repeated{"{}", 3})},
		{name: "empty text sends an empty object", payload: "", num: 2, want: expand(repeated{"{}", 2})},
		{name: "blank text sends an empty object", payload: " \n\t", num: 2, want: expand(repeated{"{}", 2})},
		{name: "object sent as given", payload: `{"key": "value",  "n": 1}`, num: 5, want: expand(repeated{`{"key": "value",  "n": 1}`, 5})},
		{name: "null sent as given", payload: `null`, num: 1, want: []string{"null"}},
		{name: "number sent as given", payload: `42`, num: 2, want: expand(repeated{"42", 2})},
		{name: "JSON string holding JSON is sent as its content", payload: `"{\"a\":1}"`, num: 2, want: expand(repeated{`{"a":1}`, 2})},
		{name: "JSON string holding plain text stays a JSON string", payload: `"hello"`, num: 2, want: expand(repeated{`"hello"`, 2})},
		{name: "ordinary array", payload: `[1, 2, 3]`, num: 2, want: expand(repeated{`[1, 2, 3]`, 2})},
		{name: "empty array", payload: `[]`, num: 2, want: expand(repeated{`[]`, 2})},
		{name: "array of objects without weight is ordinary", payload: `[{"payload":{"a":1}},{"payload":{"a":2}}]`, num: 2,
			want: expand(repeated{`[{"payload":{"a":1}},{"payload":{"a":2}}]`, 2})},
		{name: "one element missing payload: ordinary array", payload: `[{"payload":1,"weight":1},{"weight":1}]`, num: 1,
			want: []string{`[{"payload":1,"weight":1},{"weight":1}]`}},
		{name: "not JSON (an S3 body) is sent as a JSON string", payload: "plain text\nline 2", num: 2, want: expand(repeated{`"plain text\nline 2"`, 2})},
		{
			name: "weighted 5:3:2 over 10", payload: weighted, num: 10,
			want: expand(repeated{`{"order":1,"items":[1,2]}`, 5}, repeated{`{"order":2}`, 3}, repeated{`{"order":3}`, 2}),
		},
		{
			name: "weighted 5:3:2 over 11: floor(5.5)=5, floor(3.3)=3, the last takes 3", payload: weighted, num: 11,
			want: expand(repeated{`{"order":1,"items":[1,2]}`, 5}, repeated{`{"order":2}`, 3}, repeated{`{"order":3}`, 3}),
		},
		{
			name: "weighted with fractional weights", payload: `[{"payload":{"a":1},"weight":0.1},{"payload":{"a":2},"weight":0.2},{"payload":{"a":3},"weight":0.7}]`, num: 10,
			want: expand(repeated{`{"a":1}`, 1}, repeated{`{"a":2}`, 2}, repeated{`{"a":3}`, 7}),
		},
		{
			name: "weighted with as many entries as num", payload: `[{"payload":1,"weight":1},{"payload":"two","weight":1}]`, num: 2,
			want: []string{`1`, `"two"`},
		},
		{
			name: "weighted entry payloads of every JSON kind", payload: `[{"payload":null,"weight":1},{"payload":[1, 2],"weight":1},{"payload":true,"weight":1}]`, num: 3,
			want: []string{`null`, `[1,2]`, `true`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []byte
			if !tt.nilBody {
				in = []byte(tt.payload)
			}
			got, err := analysis.BuildPayloads(in, tt.num)
			if err != nil {
				t.Fatalf("BuildPayloads: %v", err)
			}
			if got.Len() != len(tt.want) {
				t.Fatalf("got %d payloads, want %d", got.Len(), len(tt.want))
			}
			for i := range got.Len() {
				if string(got.Body(i)) != tt.want[i] {
					t.Errorf("payload %d = %s, want %s", i, got.Body(i), tt.want[i])
				}
			}
		})
	}
}

func TestBuildPayloadsErrors(t *testing.T) {
	const secret = "s3cr3t-token"
	tests := []struct {
		name      string
		payload   string
		num       int
		weighted  bool
		mentioned []string
	}{
		{
			name: "num below the number of entries", num: 2, weighted: true, mentioned: []string{"payload", "num", "3"},
			payload: `[{"payload":{"t":"` + secret + `"},"weight":1},{"payload":2,"weight":1},{"payload":3,"weight":1}]`,
		},
		{
			name: "an entry that gets no slot", num: 10, weighted: true, mentioned: []string{"payload", "num", "weight"},
			payload: `[{"payload":{"t":"` + secret + `"},"weight":1},{"payload":2,"weight":100}]`,
		},
		{
			name: "the last entry gets no slot", num: 10, weighted: true, mentioned: []string{"payload", "num", "weight"},
			payload: `[{"payload":{"t":"` + secret + `"},"weight":100},{"payload":2,"weight":1}]`,
		},
		{name: "num 0", payload: `{}`, num: 0, mentioned: []string{"num"}},
		{
			name: "a zero weight names its entry", num: 10, weighted: true, mentioned: []string{"entry 0", "weight 0", "positive number"},
			payload: `[{"payload":{"t":"` + secret + `"},"weight":0},{"payload":2,"weight":1}]`,
		},
		{
			name: "a string weight names its entry", num: 10, weighted: true, mentioned: []string{"entry 1", `weight "1"`, "positive number"},
			payload: `[{"payload":1,"weight":1},{"payload":{"t":"` + secret + `"},"weight":"1"}]`,
		},
		{
			name: "a missing weight beside weighted entries names its entry", num: 10, weighted: true, mentioned: []string{"entry 1", "no weight"},
			payload: `[{"payload":1,"weight":1},{"payload":2}]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := analysis.BuildPayloads([]byte(tt.payload), tt.num)
			if err == nil {
				t.Fatalf("BuildPayloads = %d payloads, want an error", got.Len())
			}
			if errors.Is(err, analysis.ErrWeightedPayload) != tt.weighted {
				t.Errorf("errors.Is(err, ErrWeightedPayload) = %v, want %v", !tt.weighted, tt.weighted)
			}
			for _, word := range tt.mentioned {
				if !strings.Contains(err.Error(), word) {
					t.Errorf("error %q does not mention %q", err, word)
				}
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes the payload", err)
			}
		})
	}
}

// A layout is arithmetic: its size follows the entries, not num, so the
// largest num costs no more than the smallest.
func TestBuildPayloadsLargeNum(t *testing.T) {
	got, err := analysis.BuildPayloads([]byte(`[{"payload":"a","weight":1},{"payload":"b","weight":3}]`), 300_000_000)
	if err != nil {
		t.Fatalf("BuildPayloads: %v", err)
	}
	checks := map[int]string{0: `"a"`, 74_999_999: `"a"`, 75_000_000: `"b"`, 299_999_999: `"b"`}
	for i, want := range checks {
		if body := string(got.Body(i)); body != want {
			t.Errorf("Body(%d) = %s, want %s", i, body, want)
		}
	}
	if got.Len() != 300_000_000 {
		t.Errorf("Len = %d, want 300000000", got.Len())
	}
	allocs := testing.AllocsPerRun(3, func() {
		_, _ = analysis.BuildPayloads([]byte(`[{"payload":"a","weight":1},{"payload":"b","weight":3}]`), 300_000_000)
	})
	small := testing.AllocsPerRun(3, func() {
		_, _ = analysis.BuildPayloads([]byte(`[{"payload":"a","weight":1},{"payload":"b","weight":3}]`), 8)
	})
	if allocs > 2*small { // following num would be 300000000 slots
		t.Errorf("laying out 300000000 invocations made %v allocations, 8 invocations %v: memory must not follow num", allocs, small)
	}
}
