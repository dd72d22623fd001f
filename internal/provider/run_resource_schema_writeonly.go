package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// writeOnlyPayloadAttributes take a payload Terraform never stores, for
// payloads that carry tokens: only its version, which the user changes to
// re-run the tuning, is in state.
func writeOnlyPayloadAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		spec.AttrPayloadWO: schema.StringAttribute{
			MarkdownDescription: "The payload, as `payload` takes it, but write-only: Terraform sends it to the provider " +
				"and never stores it in the plan or the state, and a stored report keeps only its SHA-256. For payloads " +
				"that hold credentials. Errors never show it. Terraform cannot see a change of a value it does not store: " +
				"change `payload_wo_version` to re-run the tuning with a new payload. Needs Terraform or OpenTofu 1.11 or " +
				"later. Conflicts with `payload` and `payload_s3`.",
			Optional:  true,
			WriteOnly: true,
			Sensitive: true,
			Validators: []validator.String{
				jsonText(),
				stringvalidator.ConflictsWith(path.MatchRoot(spec.AttrPayload), path.MatchRoot(spec.AttrPayloadS3)),
			},
		},
		spec.AttrPayloadWOVersion: schema.Int64Attribute{
			MarkdownDescription: "A number you change whenever `payload_wo` changes, to re-run the tuning with it " +
				"(Terraform stores this, not the payload). Requires `payload_wo`.",
			Optional: true,
			Validators: []validator.Int64{
				int64validator.AlsoRequires(path.MatchRoot(spec.AttrPayloadWO)),
			},
			PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
		},
	}
}
