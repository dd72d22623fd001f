package provider

import (
	"context"
	"fmt"

	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	resourceschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// notActionArguments are arguments of awspowertuning_run that mean nothing
// to an action: it keeps no state to replace, and has its own timeouts.
var notActionArguments = map[string]bool{"triggers": true, "timeouts": true}

// runResourceSchema is awspowertuning_run's schema, the one source of the
// action's arguments.
func runResourceSchema(ctx context.Context) resourceschema.Schema {
	var resp resource.SchemaResponse
	(&runResource{}).Schema(ctx, resource.SchemaRequest{}, &resp)
	return resp.Schema
}

// tuneActionArguments are the run resource's arguments as action
// attributes, with the same descriptions and validators, so that the two
// cannot drift apart. Computed-only attributes (the run's results) and
// notActionArguments are left out.
func tuneActionArguments(ctx context.Context) (map[string]actionschema.Attribute, error) {
	out := map[string]actionschema.Attribute{}
	for name, a := range runResourceSchema(ctx).Attributes {
		if notActionArguments[name] || (!a.IsRequired() && !a.IsOptional()) {
			continue
		}
		converted, err := actionAttribute(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = converted
	}
	return out, nil
}

// actionAttribute is a resource argument as an action attribute. Defaults
// and plan modifiers have no place in an action; the action applies the
// resource's defaults itself (tuneActionDefaults).
func actionAttribute(a resourceschema.Attribute) (actionschema.Attribute, error) {
	switch a := a.(type) {
	case resourceschema.StringAttribute:
		return actionschema.StringAttribute{Required: a.Required, Optional: a.Optional, Description: a.Description,
			MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage, Validators: a.Validators,
			CustomType: a.CustomType, WriteOnly: a.WriteOnly}, nil
	case resourceschema.BoolAttribute:
		return actionschema.BoolAttribute{Required: a.Required, Optional: a.Optional, Description: a.Description,
			MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage, Validators: a.Validators,
			CustomType: a.CustomType, WriteOnly: a.WriteOnly}, nil
	case resourceschema.Int64Attribute:
		return actionschema.Int64Attribute{Required: a.Required, Optional: a.Optional, Description: a.Description,
			MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage, Validators: a.Validators,
			CustomType: a.CustomType, WriteOnly: a.WriteOnly}, nil
	case resourceschema.Float64Attribute:
		return actionschema.Float64Attribute{Required: a.Required, Optional: a.Optional, Description: a.Description,
			MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage, Validators: a.Validators,
			CustomType: a.CustomType, WriteOnly: a.WriteOnly}, nil
	case resourceschema.ListAttribute:
		return actionschema.ListAttribute{ElementType: a.ElementType, Required: a.Required, Optional: a.Optional,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Validators: a.Validators, CustomType: a.CustomType, WriteOnly: a.WriteOnly}, nil
	case resourceschema.MapAttribute:
		return actionschema.MapAttribute{ElementType: a.ElementType, Required: a.Required, Optional: a.Optional,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Validators: a.Validators, CustomType: a.CustomType, WriteOnly: a.WriteOnly}, nil
	case resourceschema.SingleNestedAttribute:
		nested := make(map[string]actionschema.Attribute, len(a.Attributes))
		for name, inner := range a.Attributes {
			converted, err := actionAttribute(inner)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			nested[name] = converted
		}
		return actionschema.SingleNestedAttribute{Attributes: nested, Required: a.Required, Optional: a.Optional,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Validators: a.Validators, CustomType: a.CustomType}, nil
	}
	return nil, fmt.Errorf("the action cannot take a %T yet: add it to actionAttribute", a)
}
