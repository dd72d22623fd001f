package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// placeholderFunction stands in for a lambda_arn that is not known yet (it
// usually refers to an aws_lambda_function created in the same apply), so
// every other input can still be checked at plan time.
const placeholderFunction = "function-not-known-yet"

// ValidateConfig runs the engine's own input checks at plan time, so what the
// schema validators cannot express (weighted payload layout against num,
// function ARN shape, S3 bucket names, ...) fails before anything runs.
func (r *runResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config runResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateReportStorage(config)...)

	resp.Diagnostics.Append(validateStateMachineRun(ctx, config)...)
	unknown := config.unknownAttributes()
	placeholder := slices.Equal(unknown, []string{spec.AttrLambdaARN})
	if len(unknown) > 0 && !placeholder {
		// Cross-field checks would see zero values for unknown inputs and
		// report errors that are not there; Create validates again.
		return
	}
	if placeholder {
		config.LambdaARN = types.StringValue(placeholderFunction)
	}
	input, diags := config.toInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The engine only names input attributes.
	attributes := runInputAttributes()
	for _, d := range inputErrorDiagnostics(input.Validate()) {
		attribute := attributeOf(d)
		if placeholder && attribute == spec.AttrLambdaARN {
			continue
		}
		// The schema validators already report their own finding on this
		// attribute; one error per problem is enough.
		if attribute != "" && schemaRejects(ctx, attributeNamed(attributes, attribute), req.Config, attributePath(attribute)) {
			continue
		}
		resp.Diagnostics.Append(d)
	}
}

// validateReportStorage: the HTML page goes next to the JSON report, so it
// needs one.
func validateReportStorage(config runResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if config.ReportS3HTML.ValueBool() && config.ReportS3URI.IsNull() {
		diags.AddAttributeError(path.Root("report_s3_html"), "HTML Report Needs report_s3_uri",
			"report_s3_html stores the HTML page next to the JSON report, at report_s3_uri with .json replaced by "+
				".html, so it needs report_s3_uri. Set report_s3_uri = \"s3://bucket/key.json\" (the page goes to "+
				"s3://bucket/key.html), or remove report_s3_html.")
	}
	return diags
}

// inputErrorDiagnostics turns the engine's joined *spec.InputError values
// into one attribute error each.
func inputErrorDiagnostics(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, e := range flattenErrors(err) {
		var inputErr *spec.InputError
		if !errors.As(e, &inputErr) || inputErr.Attribute == "" {
			diags.AddError("Invalid Tuning Input", fmt.Sprintf("The tuning input is not valid: %s.", strings.TrimSuffix(e.Error(), ".")))
			continue
		}
		diags.AddAttributeError(attributePath(inputErr.Attribute),
			"Invalid "+titleAttribute(inputErr.Attribute),
			fmt.Sprintf("%s: %s.", inputErr.Attribute, strings.TrimSuffix(inputErr.Message, ".")))
	}
	return diags
}

// flattenErrors undoes errors.Join (recursively); a plain error is returned alone.
func flattenErrors(err error) []error {
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var all []error
	for _, e := range joined.Unwrap() {
		all = append(all, flattenErrors(e)...)
	}
	return all
}

// schemaRejects runs the schema validators of the attribute a at p and
// reports whether they find an error.
func schemaRejects(ctx context.Context, a schema.Attribute, config tfsdk.Config, p path.Path) bool {
	return schemaDiagnostics(ctx, a, config, p).HasError()
}

// schemaDiagnostics runs the schema validators of the attribute a at p on
// its configured value and returns what they find.
func schemaDiagnostics(ctx context.Context, a schema.Attribute, config tfsdk.Config, p path.Path) diag.Diagnostics {
	switch a := a.(type) {
	case schema.StringAttribute:
		return runValidators(ctx, config, p, a.Validators, func(v validator.String, value types.String) diag.Diagnostics {
			var resp validator.StringResponse
			v.ValidateString(ctx, validator.StringRequest{Path: p, PathExpression: p.Expression(), Config: config, ConfigValue: value}, &resp)
			return resp.Diagnostics
		})
	case schema.Int64Attribute:
		return runValidators(ctx, config, p, a.Validators, func(v validator.Int64, value types.Int64) diag.Diagnostics {
			var resp validator.Int64Response
			v.ValidateInt64(ctx, validator.Int64Request{Path: p, PathExpression: p.Expression(), Config: config, ConfigValue: value}, &resp)
			return resp.Diagnostics
		})
	case schema.Float64Attribute:
		return runValidators(ctx, config, p, a.Validators, func(v validator.Float64, value types.Float64) diag.Diagnostics {
			var resp validator.Float64Response
			v.ValidateFloat64(ctx, validator.Float64Request{Path: p, PathExpression: p.Expression(), Config: config, ConfigValue: value}, &resp)
			return resp.Diagnostics
		})
	case schema.BoolAttribute:
		return runValidators(ctx, config, p, a.Validators, func(v validator.Bool, value types.Bool) diag.Diagnostics {
			var resp validator.BoolResponse
			v.ValidateBool(ctx, validator.BoolRequest{Path: p, PathExpression: p.Expression(), Config: config, ConfigValue: value}, &resp)
			return resp.Diagnostics
		})
	case schema.ListAttribute:
		return runValidators(ctx, config, p, a.Validators, func(v validator.List, value types.List) diag.Diagnostics {
			var resp validator.ListResponse
			v.ValidateList(ctx, validator.ListRequest{Path: p, PathExpression: p.Expression(), Config: config, ConfigValue: value}, &resp)
			return resp.Diagnostics
		})
	}
	return nil
}

// runValidators reads the configured value at p and runs validators on it;
// validate runs one validator, as each value type has its own request and
// response types.
func runValidators[T attr.Value, V any](ctx context.Context, config tfsdk.Config, p path.Path, validators []V,
	validate func(V, T) diag.Diagnostics,
) diag.Diagnostics {
	var value T
	diags := config.GetAttribute(ctx, p, &value)
	for _, v := range validators {
		diags.Append(validate(v, value)...)
	}
	return diags
}

// checkedInput is the engine's input of a run about to start, checked
// again: values unknown at plan time are known now.
func (m runInputModel) checkedInput(ctx context.Context) (spec.Input, diag.Diagnostics) {
	input, diags := m.toInput(ctx)
	if diags.HasError() {
		return input, diags
	}
	diags.Append(inputErrorDiagnostics(input.Validate())...)
	return input, diags
}
