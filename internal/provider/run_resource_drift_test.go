package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
)

func TestDriftWarnings(t *testing.T) {
	recorded := func(autoOptimize bool, alias string) runResourceModel {
		var m runResourceModel
		m.FunctionCodeSha256 = types.StringValue("tuned-sha")
		m.OptimalPower = types.Int64Value(512)
		m.AutoOptimize = types.BoolValue(autoOptimize)
		m.AutoOptimizeAlias = optionalString(alias)
		return m
	}
	tests := []struct {
		name  string
		state runResourceModel
		now   tuning.Deployed
		want  []string // warning summaries
	}{
		{"unchanged", recorded(true, ""), tuning.Deployed{Exists: true, CodeSha256: "tuned-sha", MemorySize: 512}, nil},
		{"new code", recorded(false, ""), tuning.Deployed{Exists: true, CodeSha256: "new-sha", MemorySize: 128},
			[]string{"Function Code Changed Since Tuning"}},
		{"memory changed by hand after auto_optimize", recorded(true, ""), tuning.Deployed{Exists: true, CodeSha256: "tuned-sha", MemorySize: 1024},
			[]string{"Memory Size Changed Since Tuning"}},
		{"memory of $LATEST is not ours to watch with an alias", recorded(true, "live"), tuning.Deployed{Exists: true, CodeSha256: "tuned-sha", MemorySize: 1024}, nil},
		{"without auto_optimize memory is the user's", recorded(false, ""), tuning.Deployed{Exists: true, CodeSha256: "tuned-sha", MemorySize: 1024}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := driftWarnings(tt.state, tt.now, testFunction)
			if got := summaries(diags); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("warnings = %q, want %q", got, tt.want)
			}
			if diags.HasError() {
				t.Error("drift is an error; the state must be kept")
			}
		})
	}
}
