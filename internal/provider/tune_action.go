package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/clock"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

var (
	_ action.Action                   = (*tuneAction)(nil)
	_ action.ActionWithConfigure      = (*tuneAction)(nil)
	_ action.ActionWithValidateConfig = (*tuneAction)(nil)
)

// tuneAction is awspowertuning_tune: a tuning run on demand or on a
// resource's lifecycle event, reporting its progress while it goes on.
// It keeps no state: what it finds goes to report_s3_uri.
type tuneAction struct {
	data *providerData
	// clock paces the progress lines; tests replace it.
	clock clock.Clock
}

func newTuneAction() action.Action { return &tuneAction{clock: clock.Real{}} }

func (a *tuneAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_tune"
}

func (a *tuneAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	var diags diag.Diagnostics
	a.data, diags = providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
}

func (a *tuneAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	attributes, err := tuneActionArguments(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Action Schema Not Built", "This is a bug in the provider; please report it.\n\nOriginal error: "+err.Error())
		return
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Power-tunes an AWS Lambda function when Terraform invokes the action: on demand with " +
			"`terraform apply -invoke=action.awspowertuning_tune.<name>`, or from a resource's `lifecycle` " +
			"`action_trigger` (for example after each deploy of the function). It takes the arguments of the " +
			"`awspowertuning_run` resource, with the same defaults and checks, runs the same tuning and leaves the " +
			"function as it found it. While it runs it reports its progress: the plan, each memory size as it is " +
			"configured and invoked, clean-up, and the optimum compared with today's memory size. An action keeps no " +
			"state: set `report_s3_uri` to keep the results, which the `awspowertuning_report` data source reads. " +
			"Needs Terraform 1.14 or later.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{
			InvokeDescription: fmt.Sprintf("How long the whole run may take, such as `45m` (default `%s`). When it "+
				"expires the run stops, cleans the function up and fails.", shortDuration(defaultCreateTimeout)),
		})},
	}
}

// ValidateConfig refuses what the run resource refuses, in its words.
func (a *tuneAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	if !req.Config.Raw.IsKnown() || req.Config.Raw.IsNull() {
		return
	}
	config, err := asRunConfig(ctx, req.Config)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected Action Configuration", "This is a bug in the provider; please report it.\n\nOriginal error: "+err.Error())
		return
	}
	var checked resource.ValidateConfigResponse
	(&runResource{}).ValidateConfig(ctx, resource.ValidateConfigRequest{Config: config}, &checked)
	resp.Diagnostics.Append(checked.Diagnostics...)
}

// Invoke performs the tuning run, sending progress lines as it goes.
func (a *tuneAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	m, diags := readTuneAction(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	input, diags := m.checkedInput(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Invoke(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	ctx = tflog.SetField(ctx, "function", input.LambdaARN)
	run := &runResource{data: a.data}
	uri := m.ReportS3URI.ValueString()
	if !run.reportWritable(ctx, uri, input.DryRun, &resp.Diagnostics) {
		return
	}
	send := func(line string) { resp.SendProgress(action.InvokeProgressEvent{Message: line}) }
	rep, diags := a.run(ctx, m, input, timeout, send)
	resp.Diagnostics.Append(forAction(diags)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if rep.Recovery != nil {
		resp.Diagnostics.Append(recoveryWarning(rep.Recovery, input.LambdaARN))
	}
	resp.Diagnostics.Append(runWarnings(rep.Warnings, input.LambdaARN)...)
	resp.Diagnostics.Append(architectureNotApplied(input, rep)...)
	send(resultSentence(rep, input))

	switch {
	case uri != "" && input.DryRun:
		resp.Diagnostics.Append(dryRunReportNotStored(uri))
	case uri != "":
		run.storeReport(ctx, uri, m.ReportS3HTML.ValueBool(), rep, &resp.Diagnostics)
		if !resp.Diagnostics.HasError() {
			send("report stored at " + uri)
		}
	}
}

// run tunes in the provider, or on the state machine when one is named.
func (a *tuneAction) run(ctx context.Context, m tuneActionModel, input spec.Input, timeout time.Duration, send func(string)) (*report.Report, diag.Diagnostics) {
	if !m.StateMachineARN.IsNull() {
		send(fmt.Sprintf("tuning %s as an execution of state machine %s", input.LambdaARN, m.StateMachineARN.ValueString()))
		res, diags := (&runResource{data: a.data}).runOnStateMachine(ctx, m.asRun(), input, timeout)
		if diags.HasError() {
			return nil, diags
		}
		send("execution " + res.ExecutionARN + " finished")
		return res.Report, diags
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	lines := newProgressLines(send)
	stop := lines.pace(runCtx, a.clock)
	log := progressLogger(runCtx)
	cfg := a.data.config
	cfg.Progress = func(ev progress.Event) {
		log(ev)
		lines.event(ev, a.clock.Now())
	}
	tflog.Info(ctx, "starting tuning run", map[string]any{"timeout": timeout.String()})
	rep, err := tuning.New(cfg).Run(runCtx, input)
	stop() // no line may follow Invoke's return
	if err != nil {
		return nil, runErrorDiagnostics(err, input.LambdaARN, timeout)
	}
	tflog.Info(ctx, "tuning run finished", map[string]any{"optimal_power": rep.OptimalPower})
	return rep, nil
}

// timeoutWords are the run resource's words for its timeout, and the
// action's.
var timeoutWords = strings.NewReplacer(
	"timeouts { create = ... }", "timeouts { invoke = ... }",
	"timeouts.create", "timeouts.invoke",
	"create timeout", "invoke timeout",
)

// forAction is the run resource's diagnostics in the action's words: its
// timeout is timeouts.invoke.
func forAction(diags diag.Diagnostics) diag.Diagnostics {
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		summary, detail := d.Summary(), timeoutWords.Replace(d.Detail())
		withPath, ok := d.(diag.DiagnosticWithPath)
		switch {
		case ok && d.Severity() == diag.SeverityError:
			out = append(out, diag.NewAttributeErrorDiagnostic(withPath.Path(), summary, detail))
		case ok:
			out = append(out, diag.NewAttributeWarningDiagnostic(withPath.Path(), summary, detail))
		case d.Severity() == diag.SeverityError:
			out = append(out, diag.NewErrorDiagnostic(summary, detail))
		default:
			out = append(out, diag.NewWarningDiagnostic(summary, detail))
		}
	}
	return out
}
