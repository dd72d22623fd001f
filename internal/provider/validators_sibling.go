package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// onlyWhenValidator rejects a configured attribute unless a sibling attribute
// has one particular value (an unset sibling counts as its default). The
// framework's AlsoRequires only checks that the sibling is set, which is not
// enough for "balanced_weight only with strategy = balanced".
type onlyWhenValidator[T attr.Value] struct {
	sibling  string
	want     T
	fallback T // the sibling's value when it is not configured
	// ignoreZero skips values that mean "off" (sleep_between_runs_ms = 0).
	ignoreZero bool
}

// onlyWhen builds an onlyWhenValidator; fallback is the sibling's default.
func onlyWhen[T attr.Value](sibling string, want, fallback T) onlyWhenValidator[T] {
	return onlyWhenValidator[T]{sibling: sibling, want: want, fallback: fallback}
}

var (
	_ validator.String  = onlyWhenValidator[attr.Value]{}
	_ validator.Int64   = onlyWhenValidator[attr.Value]{}
	_ validator.Float64 = onlyWhenValidator[attr.Value]{}
	_ validator.Bool    = onlyWhenValidator[attr.Value]{}
	_ validator.List    = onlyWhenValidator[attr.Value]{}
)

func (v onlyWhenValidator[T]) Description(context.Context) string {
	return fmt.Sprintf("only applies when %s = %s", v.sibling, v.want)
}

func (v onlyWhenValidator[T]) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v onlyWhenValidator[T]) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.Path, req.Config, req.ConfigValue, false)...)
}

func (v onlyWhenValidator[T]) ValidateInt64(ctx context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	zero := !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && req.ConfigValue.ValueInt64() == 0
	resp.Diagnostics.Append(v.validate(ctx, req.Path, req.Config, req.ConfigValue, zero)...)
}

func (v onlyWhenValidator[T]) ValidateFloat64(ctx context.Context, req validator.Float64Request, resp *validator.Float64Response) {
	resp.Diagnostics.Append(v.validate(ctx, req.Path, req.Config, req.ConfigValue, false)...)
}

func (v onlyWhenValidator[T]) ValidateBool(ctx context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	off := !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && !req.ConfigValue.ValueBool()
	resp.Diagnostics.Append(v.validate(ctx, req.Path, req.Config, req.ConfigValue, off)...)
}

func (v onlyWhenValidator[T]) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.Path, req.Config, req.ConfigValue, false)...)
}

func (v onlyWhenValidator[T]) validate(ctx context.Context, p path.Path, config tfsdk.Config, value attr.Value, isZero bool) diag.Diagnostics {
	if value.IsNull() || value.IsUnknown() || (v.ignoreZero && isZero) {
		return nil
	}
	var sibling T
	diags := config.GetAttribute(ctx, p.ParentPath().AtName(v.sibling), &sibling)
	if diags.HasError() || sibling.IsUnknown() {
		return diags // decided again at apply time, when the sibling is known
	}
	if sibling.IsNull() {
		sibling = v.fallback
	}
	if sibling.Equal(v.want) {
		return nil
	}
	diags.AddAttributeError(p, "Argument Has No Effect",
		fmt.Sprintf("%s only applies when %s = %s, but %s is %s. Set %s = %s, or remove %s.",
			p, v.sibling, v.want, v.sibling, sibling, v.sibling, v.want, p))
	return diags
}
