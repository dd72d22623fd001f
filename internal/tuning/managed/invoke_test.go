package managed

import "testing"

func TestFunctionFailureSaysTheErrorTypeAndMessage(t *testing.T) {
	for _, tt := range []struct {
		kind, payload, want string
	}{
		{"Unhandled", `{"errorType":"Boom","errorMessage":"the database is gone"}`, "Boom: the database is gone"},
		{"Unhandled", `{"errorType":"Boom"}`, "Boom"},
		{"Unhandled", `not json`, "Unhandled"},
		{"Handled", `{"message":"no type"}`, "Handled"},
	} {
		if got := functionFailure(tt.kind, []byte(tt.payload)); got != tt.want {
			t.Errorf("functionFailure(%q, %s) = %q, want %q", tt.kind, tt.payload, got, tt.want)
		}
	}
}
