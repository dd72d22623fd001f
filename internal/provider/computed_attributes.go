package provider

import (
	datasourceschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// runComputedAttribute makes a read-only attribute of f; keepState plans it
// as its prior state. (The data source's counterpart is
// reportComputedAttributes: the two schema packages have their own attribute
// types.)
func runComputedAttribute(f computedField, keepState bool) schema.Attribute {
	switch f.typ {
	case types.Int64Type:
		a := schema.Int64Attribute{MarkdownDescription: f.description, Computed: true}
		if keepState {
			a.PlanModifiers = []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}
		}
		return a
	case types.Float64Type:
		a := schema.Float64Attribute{MarkdownDescription: f.description, Computed: true}
		if keepState {
			a.PlanModifiers = []planmodifier.Float64{float64planmodifier.UseStateForUnknown()}
		}
		return a
	case types.BoolType:
		a := schema.BoolAttribute{MarkdownDescription: f.description, Computed: true}
		if keepState {
			a.PlanModifiers = []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}
		}
		return a
	case visualizationURLsType:
		a := schema.MapAttribute{MarkdownDescription: f.description, Computed: true, ElementType: types.StringType}
		if keepState {
			a.PlanModifiers = []planmodifier.Map{mapplanmodifier.UseStateForUnknown()}
		}
		return a
	default:
		a := schema.StringAttribute{MarkdownDescription: f.description, Computed: true}
		if keepState {
			a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
		}
		return a
	}
}

// reportComputedAttributes makes read-only attributes of fields. (The
// resource's counterpart is runComputedAttribute: the two schema packages
// have their own attribute types.)
func reportComputedAttributes(fields []computedField) map[string]datasourceschema.Attribute {
	attributes := make(map[string]datasourceschema.Attribute, len(fields))
	for _, f := range fields {
		switch f.typ {
		case types.Int64Type:
			attributes[f.name] = datasourceschema.Int64Attribute{MarkdownDescription: f.description, Computed: true}
		case types.Float64Type:
			attributes[f.name] = datasourceschema.Float64Attribute{MarkdownDescription: f.description, Computed: true}
		case types.BoolType:
			attributes[f.name] = datasourceschema.BoolAttribute{MarkdownDescription: f.description, Computed: true}
		case visualizationURLsType:
			attributes[f.name] = datasourceschema.MapAttribute{MarkdownDescription: f.description, Computed: true, ElementType: types.StringType}
		default:
			attributes[f.name] = datasourceschema.StringAttribute{MarkdownDescription: f.description, Computed: true}
		}
	}
	return attributes
}
