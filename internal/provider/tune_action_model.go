package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	resourceschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// tuneActionModel is awspowertuning_tune: the run resource's arguments but
// triggers, and the action's own timeouts.
type tuneActionModel struct {
	runInputModel
	ReportS3URI     types.String   `tfsdk:"report_s3_uri"`
	ReportS3HTML    types.Bool     `tfsdk:"report_s3_html"`
	StateMachineARN types.String   `tfsdk:"state_machine_arn"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

// asRun is the action's configuration as a run resource's plan, for the
// parts of the resource that take one.
func (m tuneActionModel) asRun() runResourceModel {
	return runResourceModel{
		runInputModel:   m.runInputModel,
		Triggers:        types.MapNull(types.StringType),
		ReportS3URI:     m.ReportS3URI,
		ReportS3HTML:    m.ReportS3HTML,
		StateMachineARN: m.StateMachineARN,
	}
}

// readTuneAction reads the action's configuration; a null argument takes
// the run resource's default, as it would in the resource.
func readTuneAction(ctx context.Context, config tfsdk.Config) (tuneActionModel, diag.Diagnostics) {
	var m tuneActionModel
	var given map[string]tftypes.Value
	if err := config.Raw.As(&given); err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unexpected Action Configuration", "The configuration of the action is not an object. "+
			"This is a bug in the provider; please report it.\n\nOriginal error: "+err.Error())
		return m, diags
	}
	withDefaults := tfsdk.Plan(config)
	var diags diag.Diagnostics
	for name, a := range runResourceSchema(ctx).Attributes {
		if v, ok := given[name]; !ok || !v.IsNull() {
			continue
		}
		value, ok := resourceDefault(ctx, a, path.Root(name))
		if ok {
			diags.Append(withDefaults.SetAttribute(ctx, path.Root(name), value)...)
		}
	}
	if diags.HasError() {
		return m, diags
	}
	diags.Append(withDefaults.Get(ctx, &m)...)
	return m, diags
}

// resourceDefault is the default the run resource's attribute a takes when
// left out; false when it has none.
func resourceDefault(ctx context.Context, a resourceschema.Attribute, p path.Path) (attr.Value, bool) {
	switch a := a.(type) {
	case resourceschema.BoolAttribute:
		if a.Default != nil {
			var resp defaults.BoolResponse
			a.Default.DefaultBool(ctx, defaults.BoolRequest{Path: p}, &resp)
			return resp.PlanValue, !resp.Diagnostics.HasError()
		}
	case resourceschema.StringAttribute:
		if a.Default != nil {
			var resp defaults.StringResponse
			a.Default.DefaultString(ctx, defaults.StringRequest{Path: p}, &resp)
			return resp.PlanValue, !resp.Diagnostics.HasError()
		}
	case resourceschema.Int64Attribute:
		if a.Default != nil {
			var resp defaults.Int64Response
			a.Default.DefaultInt64(ctx, defaults.Int64Request{Path: p}, &resp)
			return resp.PlanValue, !resp.Diagnostics.HasError()
		}
	case resourceschema.Float64Attribute:
		if a.Default != nil {
			var resp defaults.Float64Response
			a.Default.DefaultFloat64(ctx, defaults.Float64Request{Path: p}, &resp)
			return resp.PlanValue, !resp.Diagnostics.HasError()
		}
	}
	return nil, false
}

// asRunConfig is the action's configuration as the run resource's: its
// arguments as given, everything else null. The resource's own checks then
// judge it, so that both refuse the same configurations in the same words.
func asRunConfig(ctx context.Context, config tfsdk.Config) (tfsdk.Config, error) {
	s := runResourceSchema(ctx)
	typ, ok := s.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return tfsdk.Config{}, fmt.Errorf("the run resource's schema is a %T, not an object", s.Type().TerraformType(ctx))
	}
	var given map[string]tftypes.Value
	if err := config.Raw.As(&given); err != nil {
		return tfsdk.Config{}, err
	}
	values := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, t := range typ.AttributeTypes {
		if v, ok := given[name]; ok && !notActionArguments[name] {
			values[name] = v
		} else {
			values[name] = tftypes.NewValue(t, nil)
		}
	}
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(typ, values)}, nil
}
