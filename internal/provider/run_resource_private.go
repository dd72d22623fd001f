package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// privatePayloadSHA256 is the private-state key of a payload's hash where
// state cannot hold the payload: an imported run whose report held only
// the hash, or a write-only payload.
const privatePayloadSHA256 = "payload_sha256"

// privateState is the part of the framework's private state a resource
// reads and writes.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateStateWriter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// privateHash is the payload hash kept in private state: an imported run's,
// whose report held only the hash, or a write-only payload's. "" when none.
func privateHash(ctx context.Context, private privateState) string {
	stored, diags := private.GetKey(ctx, privatePayloadSHA256)
	var hash string
	if diags.HasError() || stored == nil || json.Unmarshal(stored, &hash) != nil {
		return ""
	}
	return hash
}

// setPrivateHash keeps a payload hash in private state.
func setPrivateHash(ctx context.Context, private privateStateWriter, hash string) diag.Diagnostics {
	value, _ := json.Marshal(hash)
	return private.SetKey(ctx, privatePayloadSHA256, value)
}

// payloadHash is the hash a stored report keeps of a payload it must not hold.
func payloadHash(payload string) string { return report.PayloadSHA256(payload) }
