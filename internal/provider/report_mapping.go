package provider

import (
	"cmp"
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// runID identifies a run by what a stored report also knows, so an imported
// run gets the same id as the run that wrote the report.
func runID(r *report.Report) string {
	return r.FunctionARN + "@" + formatTime(r.TunedAt)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// storedRun is a report read back, mapped to the run's inputs and outcome.
type storedRun struct {
	report  *report.Report
	inputs  runInputModel
	outcome outcomeModel
}

// readStoredRun reads the report a run stored at uri and maps it back to the
// run's inputs and outcome. at is the attribute holding uri (empty for an
// import ID).
func readStoredRun(ctx context.Context, clients awsapi.Clients, uri string, at path.Path) (storedRun, diag.Diagnostics) {
	report, err := report.ReadReport(ctx, clients.S3(), uri)
	if err != nil {
		return storedRun{}, reportReadDiagnostics(err, uri, spec.PartitionOf(clients.DefaultRegion()), at)
	}
	return storedRunOf(ctx, report)
}

// storedRunOf maps a report read back to the run's inputs and outcome.
func storedRunOf(ctx context.Context, report *report.Report) (storedRun, diag.Diagnostics) {
	inputs, diags := inputModelFromReport(ctx, report.Input)
	outcome, outcomeDiags := outcomeFromReport(ctx, report)
	diags.Append(outcomeDiags...)
	return storedRun{report: report, inputs: inputs, outcome: outcome}, diags
}

// outcomeFromReport maps a report to the computed attributes.
func outcomeFromReport(ctx context.Context, r *report.Report) (outcomeModel, diag.Diagnostics) {
	results := make([]resultModel, len(r.Results))
	for i, pr := range r.Results {
		// A failed row's figures are those of the invocation that failed
		// (an out-of-memory crash is short and cheap): null, not misleading.
		figure := types.Float64Value
		if pr.Failed {
			figure = func(float64) types.Float64 { return types.Float64Null() }
		}
		firstByte := types.Float64Null() // buffered: nothing comes before the whole response
		if r.InvokeMode == spec.InvokeModeStream {
			firstByte = figure(pr.TimeToFirstByte)
		}
		results[i] = resultModel{
			Power:           types.Int64Value(int64(pr.Power)),
			Architecture:    types.StringValue(cmp.Or(pr.Architecture, r.Architecture)),
			AverageCost:     figure(pr.AverageCost),
			AverageDuration: figure(pr.AverageDuration),
			TotalCost:       types.Float64Value(pr.TotalCost),
			Invocations:     types.Int64Value(int64(pr.Invocations)),
			Errors:          types.Int64Value(int64(pr.Errors)),
			Failed:          types.BoolValue(pr.Failed),
			FailureReason:   types.StringValue(pr.FailureReason),
			P50Duration:     figure(pr.P50Duration),
			P90Duration:     figure(pr.P90Duration),
			P99Duration:     figure(pr.P99Duration),
			Retired:         types.BoolValue(pr.Retired),
			BehindBy:        types.Float64Value(pr.BehindBy),
			Sampling:        types.StringValue(pr.Sampling),
			WithinNoise:     types.BoolValue(pr.WithinNoise),
			TimeToFirstByte: firstByte,
			ResponseBytes:   types.Int64Value(pr.ResponseBytes),
		}
	}
	list, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: resultAttrTypes}, results)
	chartURLs := r.VisualizationURLs
	if chartURLs == nil {
		chartURLs = map[string]string{} // known and empty: nothing compared
	}
	urls, urlDiags := types.MapValueFrom(ctx, types.StringType, chartURLs)
	diags.Append(urlDiags...)
	managed, managedDiags := managedOutcomeValue(ctx, r.Managed)
	diags.Append(managedDiags...)
	return outcomeModel{
		ID:                      types.StringValue(runID(r)),
		FunctionARN:             types.StringValue(r.FunctionARN),
		OptimalPower:            types.Int64Value(int64(r.OptimalPower)),
		OptimalCost:             types.Float64Value(r.OptimalCost),
		OptimalDuration:         types.Float64Value(r.OptimalDuration),
		BaselinePower:           optionalInt(int(r.BaselinePower)),
		OptimalRelativeCost:     types.Float64PointerValue(r.OptimalRelativeCost),
		OptimalRelativeDuration: types.Float64PointerValue(r.OptimalRelativeDuration),
		TuningCost:              types.Float64Value(r.TuningCost),
		InvocationsSaved:        types.Int64Value(int64(r.InvocationsSaved)),
		Architecture:            types.StringValue(r.Architecture),
		Currency:                types.StringValue(r.Currency),
		VisualizationURL:        types.StringValue(r.VisualizationURL),
		OptimalArch:             types.StringValue(cmp.Or(r.OptimalArchitecture, r.Architecture)),
		VisualizationURLs:       urls,
		Results:                 list,
		Output:                  types.StringValue(r.Output),
		TunedAt:                 types.StringValue(formatTime(r.TunedAt)),
		FunctionCodeSha256:      types.StringValue(r.FunctionCodeSha256),
		InvokeModeUsed:          types.StringValue(cmp.Or(r.InvokeMode, spec.InvokeModeBuffered)),
		ManagedOutcome:          managed,
	}, diags
}
