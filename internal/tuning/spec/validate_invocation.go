package spec

import (
	"strings"
	"unicode"
)

// InvokeModes lists invoke_mode's values, the default first.
func InvokeModes() []string { return []string{InvokeModeAuto, InvokeModeBuffered, InvokeModeStream} }

// validateInvocation checks how each invocation is made: as which tenant,
// buffered or streamed, with which payload placeholders.
func (in Input) validateInvocation(add addFunc) {
	if in.TenantID != "" {
		if len(in.TenantID) > MaxTenantIDLength {
			add(AttrTenantID, "is %d characters long: Lambda takes tenant identifiers of at most %d", len(in.TenantID), MaxTenantIDLength)
		}
		if strings.ContainsFunc(in.TenantID, unicode.IsControl) {
			add(AttrTenantID, "contains control characters (a tab, a line break): use the tenant identifier your callers send as TenantId")
		}
	}
	switch in.InvokeMode {
	case "", InvokeModeAuto, InvokeModeBuffered, InvokeModeStream:
	default:
		add(AttrInvokeMode, "%q is not an invoke mode: use %s", in.InvokeMode, quotedList(InvokeModes()))
	}
	if in.PayloadPlaceholders && in.Payload == nil && in.PayloadS3 == "" {
		add(AttrPayloadPlaceholders, "has no effect without a payload: set payload or payload_s3 with ${index} or ${power} in its string values, or remove payload_placeholders")
	}
}
