package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// importedRun is the state of the run whose report, stored at uri, was read
// back: what an import writes and what a list of runs returns, so that the
// configuration generated from a list imports with no change.
func importedRun(ctx context.Context, uri string, stored storedRun) (state runResourceModel, diags diag.Diagnostics) {
	report := stored.report
	// The report keeps the triggers, so the documented configurations (all
	// with triggers) plan no replacement after an import.
	triggers := types.MapNull(types.StringType)
	if len(report.Triggers) > 0 {
		triggers, diags = types.MapValueFrom(ctx, types.StringType, report.Triggers)
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
	}, diags
}
