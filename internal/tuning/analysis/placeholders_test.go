package analysis_test

import (
	"encoding/json"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

func TestExpandPlaceholders(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{name: "nested objects and arrays, white space and number text kept",
			body: `{"a": {"b": ["${index}", {"c": "id-${power}-${index}"}]}, "n": 1.50, "t": true, "z": null}`,
			want: `{"a": {"b": ["3", {"c": "id-512-3"}]}, "n": 1.50, "t": true, "z": null}`},
		{name: "keys are left alone", body: `{"${index}": "${index}", "k${power}": {"${power}": 1}}`,
			want: `{"${index}": "3", "k${power}": {"${power}": 1}}`},
		{name: "a string that is only a placeholder stays a string", body: `{"i": "${index}", "p": "${power}"}`,
			want: `{"i": "3", "p": "512"}`},
		{name: "a top-level string", body: `"${index}"`, want: `"3"`},
		{name: "an array of strings", body: `["${index}","${index}${index}"]`, want: `["3","33"]`},
		{name: "$${ is the literal text", body: `{"s": "$${index} is ${index}, $${power} is ${power}"}`,
			want: `{"s": "${index} is 3, ${power} is 512"}`},
		{name: "escapes read left to right", body: `{"s": "$$${index}"}`, want: `{"s": "$${index}"}`},
		{name: "other ${…} is left alone", body: `{"s": "${other} $${other} ${Index} ${index"}`, want: `{"s": "${other} $${other} ${Index} ${index"}`},
		{name: "JSON escapes are read before replacing", body: `{"s": "\u0024{index}"}`, want: `{"s": "3"}`},
		{name: "the replaced string is written back as JSON, HTML characters kept", body: `{"s": "say \"${index}\" <b>&\n"}`,
			want: `{"s": "say \"3\" <b>&\n"}`},
		{name: "strings without placeholders keep their exact text", body: `{"s": "caf\u00e9", "r": "${index}"}`,
			want: `{"s": "caf\u00e9", "r": "3"}`},
		{name: "numbers, booleans and null are never touched", body: `[1, -2e3, true, false, null, {}, []]`,
			want: `[1, -2e3, true, false, null, {}, []]`},
		{name: "a body without placeholders", body: "{\n  \"plain\": \"text\"\n}\n", want: "{\n  \"plain\": \"text\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := analysis.ExpandPlaceholders([]byte(tt.body), 3, 512)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("%s is not JSON", got)
			}
		})
	}
}

func TestExpandPlaceholdersRefusesWhatIsNotOneDocument(t *testing.T) {
	for _, body := range []string{`{"a": "${index}"`, `{"a": 1} {"b": 2}`, `not json`} {
		if got, err := analysis.ExpandPlaceholders([]byte(body), 0, 128); err == nil {
			t.Errorf("%s: got %s, want an error", body, got)
		}
	}
}

// Each invocation's body is chosen by weight first, then its placeholders
// are replaced with that invocation's number and the size.
func TestPayloadsRequestReplacesAfterWeighting(t *testing.T) {
	payloads, err := analysis.BuildPayloads([]byte(`[
		{"payload": {"k": "a-${index}"}, "weight": 1},
		{"payload": {"k": "b-${index}@${power}", "n": 7}, "weight": 1}
	]`), 4)
	if err != nil {
		t.Fatal(err)
	}
	with, err := payloads.WithPlaceholders()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`{"k":"a-0"}`, `{"k":"a-1"}`, `{"k":"b-2@256","n":7}`, `{"k":"b-3@256","n":7}`}
	for i, w := range want {
		if got := string(with.Request(i, 256)); got != w {
			t.Errorf("invocation %d: %s, want %s", i, got, w)
		}
		if got, raw := string(payloads.Request(i, 256)), string(payloads.Body(i)); got != raw {
			t.Errorf("invocation %d without placeholders: %s, want the body %s", i, got, raw)
		}
	}
}
