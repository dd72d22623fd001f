package provider

import (
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
)

func TestProgressMessage(t *testing.T) {
	tests := []struct {
		event tuning.Event
		want  string
	}{
		{tuning.Event{Phase: "invoke", Power: 512, Done: 7, Total: 20}, "tuning invoke 512 MB: 7 of 20"},
		{tuning.Event{Phase: "invoke", Power: 512, Done: 0, Total: 20}, "tuning invoke 512 MB: 0 of 20"},
		{tuning.Event{Phase: "analyze"}, "tuning analyze"},
		{tuning.Event{Phase: "configure", Power: 1024, Message: "RAM1024 ready (version 3)"}, "RAM1024 ready (version 3)"},
	}
	for _, tt := range tests {
		if got := progressMessage(tt.event); got != tt.want {
			t.Errorf("progressMessage(%+v) = %q, want %q", tt.event, got, tt.want)
		}
	}
}
