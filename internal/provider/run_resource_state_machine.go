package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/stepfunctions"
)

// stateMachineAttributes run the tuning on a deployed AWS Lambda Power
// Tuning state machine instead of in the provider.
func stateMachineAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"state_machine_arn": schema.StringAttribute{
			MarkdownDescription: "Run the tuning as an execution of this deployed AWS Lambda Power Tuning state machine " +
				"(its `StateMachineARN`) instead of in the provider. The execution gets the original tool's input names, " +
				"`lambdaARN` resolved to the function's full unqualified ARN, and keeps running in Step Functions if " +
				"Terraform dies: the next apply with the same arguments re-attaches to it instead of starting another. " +
				"`results` then carry `power`, `average_cost`, `average_duration` and `invocations` only (the original " +
				"reports no percentiles or per-size totals). `max_concurrency` and `skip_failed_power_values` have no " +
				"equivalent there. Needs `states:StartExecution`, `states:DescribeExecution`, " +
				"`states:GetExecutionHistory` and `states:StopExecution`.",
			Optional:      true,
			Validators:    []validator.String{stateMachineARN()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"execution_arn": schema.StringAttribute{
			MarkdownDescription: "With `state_machine_arn`, the ARN of the execution that tuned the function; null otherwise.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"state_machine_cost": schema.Float64Attribute{
			MarkdownDescription: "With `state_machine_arn`, what the state machine estimates its own execution cost (its " +
				"`stateMachine.executionCost`, in USD); null otherwise.",
			Computed:      true,
			PlanModifiers: []planmodifier.Float64{float64planmodifier.UseStateForUnknown()},
		},
	}
}

// stateMachineARN accepts an unqualified state machine ARN.
func stateMachineARN() validator.String {
	return stringCheck{
		description: "must be a state machine ARN",
		summary:     "Invalid State Machine ARN",
		check: func(s string) string {
			if _, err := stepfunctions.ParseStateMachineARN(s); err != nil {
				return "Use the StateMachineARN output of the AWS Lambda Power Tuning deployment: " + err.Error() + "."
			}
			return ""
		},
	}
}

// validateStateMachineRun refuses, at plan time, the arguments the original
// tool has no equivalent for. The rules are stepfunctions.Unsupported's,
// which a run applies again. An input not known yet counts as unset and
// refuses nothing until it is known (runOnStateMachine checks again); an
// unknown state_machine_arn counts as set, as it almost always names a state
// machine created in the same apply.
func validateStateMachineRun(ctx context.Context, config runResourceModel) diag.Diagnostics {
	if config.StateMachineARN.IsNull() {
		return nil
	}
	return stateMachineRefusals(config.knownInput(ctx))
}

// stateMachineRefusals is an error on each input a state machine run
// cannot honour, saying why and what to do instead.
func stateMachineRefusals(in spec.Input) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, refused := range stepfunctions.Unsupported(in) {
		diags.AddAttributeError(path.Root(refused.Attribute), "Argument Not Supported With State Machine", refused.Reason)
	}
	return diags
}

// runOnStateMachine tunes through an execution of the state machine.
func (r *runResource) runOnStateMachine(ctx context.Context, plan runResourceModel, input spec.Input, timeout time.Duration) (*stepfunctions.Result, diag.Diagnostics) {
	// Values unknown at plan time are known now.
	if diags := stateMachineRefusals(input); diags.HasError() {
		return nil, diags
	}
	var diags diag.Diagnostics
	machine := plan.StateMachineARN.ValueString()
	region, _ := stepfunctions.ParseStateMachineARN(machine) // checked by the schema
	api, cfg, err := r.data.stepFunctions(ctx, region)
	if err != nil {
		diags.AddError("Step Functions Not Configured", err.Error())
		return nil, diags
	}
	var triggers map[string]string
	diags.Append(plan.Triggers.ElementsAs(ctx, &triggers, false)...)
	if diags.HasError() {
		return nil, diags
	}

	ctx = tflog.SetField(ctx, "state_machine", machine)
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fn, err := r.data.engine(runCtx).DescribeFunction(runCtx, input.LambdaARN)
	if err != nil {
		diags.AddAttributeError(path.Root("lambda_arn"), "Cannot Resolve Function",
			"The function to tune could not be read, so no execution was started and nothing was changed. "+
				"Check lambda_arn and allow lambda:GetFunction on it to the credentials Terraform uses.\n\n"+
				"Original error: "+err.Error())
		return nil, diags
	}
	tflog.Info(ctx, "running the tuning on the state machine", map[string]any{"function": fn.ARN, "timeout": timeout.String()})
	res, err := stepfunctions.Run(runCtx, api, cfg, stepfunctions.Request{
		StateMachineARN: machine,
		Function:        fn,
		Input:           input,
		DefaultPowers:   r.data.config.PowerValues,
		Triggers:        triggers,
	})
	if err != nil {
		diags.Append(stateMachineRunDiagnostics(err, machine, fn.ARN, timeout)...)
		return nil, diags
	}
	return res, diags
}

// stateMachineOutcome records an execution's result on the plan.
func stateMachineOutcome(plan *runResourceModel, res *stepfunctions.Result) {
	plan.ExecutionARN = types.StringValue(res.ExecutionARN)
	plan.StateMachineCost = types.Float64Value(res.StateMachineCost)
}

// stateMachineRunDiagnostics explains a failed state machine run, saying
// what was changed: the provider itself changes nothing on the function.
func stateMachineRunDiagnostics(err error, machine, function string, timeout time.Duration) diag.Diagnostics {
	var diags diag.Diagnostics
	facts := fmt.Sprintf("\n\nState machine: %s\nFunction: %s", machine, function)
	var (
		stopped   *stepfunctions.StoppedError
		failed    *stepfunctions.ExecutionError
		call      *stepfunctions.CallError
		untouched = "This provider did not change the function itself; "
		isolated  *stepfunctions.TenantIsolatedError
	)
	if d, ok := kindDiagnostic(err, ""); ok {
		diags.Append(d)
		return diags
	}
	switch {
	case errors.As(err, &isolated):
		diags.AddAttributeError(path.Root("state_machine_arn"), "State Machine Cannot Invoke A Tenant-Isolated Function",
			isolated.Error()+"."+facts)
	case errors.As(err, &stopped):
		advice := "The apply was interrupted or reached the create timeout (" + shortDuration(timeout) + ") while the " +
			"execution ran, so it was stopped. " + untouched + "clean-up of the aliases and versions the execution " +
			"created is left to the state machine, and Step Functions does not run its clean-up state for a stopped " +
			"execution: look for RAM<size> aliases and versions it published on the function. Raise timeouts.create " +
			"for long runs."
		if stopped.StopErr != nil {
			advice = "The apply was interrupted or reached the create timeout (" + shortDuration(timeout) + "), and " +
				"StopExecution failed, so the execution may still be running; the next apply with the same arguments " +
				"re-attaches to it. " + untouched + "its clean-up is the state machine's."
		}
		diags.AddError("Tuning Execution Stopped", advice+facts+"\nExecution: "+stopped.ExecutionARN+"\n\nOriginal error: "+err.Error())
	case errors.As(err, &failed):
		summary := "Tuning Execution Failed"
		advice := "The state machine's execution ended " + failed.Status + " without a tuning result. " + untouched +
			"what the execution did is the state machine's, and its history in the Step Functions console shows each step."
		if failed.EmptyOutput {
			summary = "Tuning Execution Returned No Result"
			advice = "The execution SUCCEEDED but returned no power: AWS Lambda Power Tuning routes an error in any " +
				"of its steps to a clean-up state and then ends with output {}. The cause below is from the execution " +
				"history. " + untouched + "the state machine's clean-up ran."
		}
		diags.AddError(summary, advice+facts+"\nExecution: "+failed.ExecutionARN+"\n\nOriginal error: "+err.Error())
	case errors.As(err, &call):
		advice := "The Step Functions call " + call.Operation + " failed."
		switch call.Operation {
		case "StartExecution":
			advice += " No execution was started and nothing was changed. Check state_machine_arn and allow " +
				"states:StartExecution on it to the credentials Terraform uses."
		default:
			advice += " The execution, if one was started, keeps running in Step Functions; the next apply with the " +
				"same arguments re-attaches to it. Allow states:DescribeExecution and states:GetExecutionHistory on " +
				"the state machine's executions."
		}
		diags.AddAttributeError(path.Root("state_machine_arn"), "Step Functions Call Failed", advice+facts+"\n\nOriginal error: "+err.Error())
	case errors.Is(err, stepfunctions.ErrNotPowerTuning):
		diags.AddAttributeError(path.Root("state_machine_arn"), "Not A Power Tuning State Machine",
			"The execution SUCCEEDED, but its output is not AWS Lambda Power Tuning's (power, cost, duration, "+
				"stateMachine). Check that state_machine_arn is the StateMachineARN of a Power Tuning deployment. "+
				untouched+"what the execution did is the state machine's."+facts+"\n\nOriginal error: "+err.Error())
	default:
		diags.AddError("Tuning Execution Not Started", "No execution was started and nothing was changed."+facts+"\n\nOriginal error: "+err.Error())
	}
	return diags
}
