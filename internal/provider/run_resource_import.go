package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// importedRun is the state of the run whose report, stored at uri, was read
// back: what an import writes and what a list of runs returns, so that the
// configuration generated from a list imports with no change. payloadHash is
// the private state's payload hash (nil when the report kept the payload).
func importedRun(ctx context.Context, uri string, stored storedRun) (state runResourceModel, payloadHash []byte, diags diag.Diagnostics) {
	report := stored.report
	// The report keeps the triggers, so the documented configurations (all
	// with triggers) plan no replacement after an import.
	triggers := types.MapNull(types.StringType)
	if len(report.Triggers) > 0 {
		triggers, diags = types.MapValueFrom(ctx, types.StringType, report.Triggers)
	}
	if report.PayloadSHA256 != "" {
		payloadHash, _ = json.Marshal(report.PayloadSHA256)
	}
	return runResourceModel{
		runInputModel: stored.inputs,
		Triggers:      triggers,
		ReportS3URI:   types.StringValue(uri),
		ReportS3HTML:  types.BoolValue(report.HTMLReportURI != ""),
		Timeouts:      timeoutsFromReport(report.Timeouts),
		// A stored report does not say where it ran: imports are of provider runs.
		StateMachineARN:  types.StringNull(),
		ExecutionARN:     types.StringNull(),
		StateMachineCost: types.Float64Null(),
		outcomeModel:     stored.outcome,
	}, payloadHash, diags
}
