package provider

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// tenantIDPattern refuses what spec.Validate refuses in a tenant_id.
var tenantIDPattern = regexp.MustCompile(`^\P{Cc}*$`)

// invocationAttributes say how each invocation is made: as which tenant,
// buffered or streamed, with which placeholders in its payload. Each
// re-runs the tuning.
func invocationAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		spec.AttrTenantID: schema.StringAttribute{
			MarkdownDescription: "The tenant every invocation runs as (`TenantId`), for a function with tenant isolation: " +
				"such a function refuses invocations without one, so the run fails before any change when it is missing. " +
				"Pre- and post-processors get it too when they are tenant-isolated themselves. A function without tenant " +
				"isolation refuses a tenant: it is then ignored, with a warning. Each tenant has execution environments " +
				"of its own, so the first invocation as a tenant is a cold start. See the resource documentation, " +
				"Tenant-isolated functions.",
			Optional: true,
			Validators: []validator.String{
				stringvalidator.LengthBetween(1, spec.MaxTenantIDLength),
				stringvalidator.RegexMatches(tenantIDPattern, "must be the tenant identifier your callers send as TenantId, without control characters (tabs, line breaks)"),
			},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		spec.AttrInvokeMode: schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("How the function is invoked and its response read: `%s` with `Invoke`, which "+
				"takes responses of at most 6 MB; `%s` with `InvokeWithResponseStream`, as a function that streams its "+
				"response is called in production (responses up to 200 MB; results then also give `time_to_first_byte`); "+
				"`%s` buffers, and streams every invocation when the function's response is larger than a buffered "+
				"invocation returns. `invoke_mode_used` says which was used. Defaults to `%s`.",
				spec.InvokeModeBuffered, spec.InvokeModeStream, spec.InvokeModeAuto, spec.InvokeModeAuto),
			Optional:      true,
			Computed:      true,
			Default:       stringdefault.StaticString(spec.InvokeModeAuto),
			Validators:    []validator.String{stringvalidator.OneOf(spec.InvokeModes()...)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		spec.AttrPayloadPlaceholders: schema.BoolAttribute{
			MarkdownDescription: "Replace `${index}` (the invocation's number within its memory size, from 0) and " +
				"`${power}` (the memory size in MB) in the payload's string values, after weighting, so that each " +
				"invocation can create a record of its own. Defaults to `false`.",
			Optional:      true,
			Computed:      true,
			Default:       booldefault.StaticBool(false),
			PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
		},
	}
}
