package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The timeouts block goes into the report and comes back from it as the
// configuration has it: absent, empty, or with a duration.
func TestTimeoutsRoundTripThroughTheReport(t *testing.T) {
	for name, block := range map[string]timeouts.Value{
		"no block":    {Object: types.ObjectNull(timeoutsAttrTypes)},
		"empty block": {Object: types.ObjectValueMust(timeoutsAttrTypes, map[string]attr.Value{"create": types.StringNull()})},
		"create":      {Object: types.ObjectValueMust(timeoutsAttrTypes, map[string]attr.Value{"create": types.StringValue("10m")})},
	} {
		t.Run(name, func(t *testing.T) {
			if got := timeoutsFromReport(timeoutValues(block)); !got.Equal(block) {
				t.Errorf("stored %v, restored %v", block, got)
			}
		})
	}
}
