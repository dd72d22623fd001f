package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// float64Between accepts numbers from lo to hi inclusive. Unlike the
// framework's float64validator.Between it prints the bounds as written
// (0.4, not 0.400000), so the error states the limit the way the
// documentation and the specification do.
type float64Between struct {
	lo, hi float64
}

var _ validator.Float64 = float64Between{}

func (v float64Between) Description(context.Context) string {
	return fmt.Sprintf("value must be between %g and %g", v.lo, v.hi)
}

func (v float64Between) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v float64Between) ValidateFloat64(ctx context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	got := req.ConfigValue.ValueFloat64()
	if got >= v.lo && got <= v.hi { // false for NaN too
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
		fmt.Sprintf("Attribute %s %s, got: %g. Set a value in that range, or remove the argument for its default.",
			req.Path, v.Description(ctx), got))
}
