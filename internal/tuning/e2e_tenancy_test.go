package tuning

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// The emulator refuses an invocation of a tenant-isolated function that
// names no tenant, and one that names a tenant for any other function:
// a run that succeeds sent TenantId exactly where it had to.

const perTenant = "PER_TENANT"

func isolations() []string { return []string{spec.IsolationNone, spec.IsolationCopies} }

func TestE2EATenantIsolatedFunctionWithoutTenantIDIsRefusedBeforeAnyChange(t *testing.T) {
	for _, isolation := range isolations() {
		t.Run(isolation, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "saas", TenantIsolationMode: perTenant, Environment: cpuBound(nil)})
			before, from := env.state(arn), env.callsSoFar()
			_, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}, Isolation: isolation})
			var required *faults.TenantRequiredError
			var input *spec.InputError
			if !errors.As(err, &required) || !errors.As(err, &input) || input.Attribute != spec.AttrTenantID {
				t.Fatalf("error = %v, want a TenantRequiredError on tenant_id", err)
			}
			for _, want := range []string{arn, perTenant, "Set tenant_id to the tenant the run should invoke as"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			env.assertNothingChangedSince(from, "saas")
			env.assertRestored(arn, before)
		})
	}
}

func TestE2EEveryInvocationOfATenantIsolatedFunctionNamesTheTenant(t *testing.T) {
	for _, isolation := range isolations() {
		t.Run(isolation, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "saas", TenantIsolationMode: perTenant, Environment: cpuBound(nil)})
			// A shared pre-processor must get no tenant, an isolated
			// post-processor the run's.
			pre := env.addFunction(lambdasim.FunctionSpec{Name: "shared-pre"})
			post := env.addFunction(lambdasim.FunctionSpec{Name: "isolated-post", TenantIsolationMode: perTenant})
			rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}, Isolation: isolation,
				TenantID: "tenant-42", PreProcessorARN: pre, PostProcessorARN: post})
			if err != nil {
				t.Fatal(err)
			}
			for _, res := range rep.Results {
				if res.Invocations != 5 || res.Errors != 0 {
					t.Errorf("%d MB: %d invocations, %d errors; want 5 and none", res.Power, res.Invocations, res.Errors)
				}
			}
			for _, processor := range []string{"shared-pre", "isolated-post"} {
				if n := env.sim.Calls().ForFunction(processor).Operations()["Invoke"]; n != 10 {
					t.Errorf("%s was invoked %d times, want 10", processor, n)
				}
			}
			if len(rep.Warnings) != 0 {
				t.Errorf("warnings %q, want none", rep.Warnings)
			}
		})
	}
}

func TestE2EATenantIsolatedProcessorNeedsTheTenant(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "plain", Environment: cpuBound(nil)})
	post := env.addFunction(lambdasim.FunctionSpec{Name: "isolated-post", TenantIsolationMode: perTenant})
	from := env.callsSoFar()
	_, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}, PostProcessorARN: post})
	var required *faults.TenantRequiredError
	if !errors.As(err, &required) || required.Role != "post-processor" || required.Function != post {
		t.Fatalf("error = %v, want a TenantRequiredError naming the post-processor %s", err, post)
	}
	env.assertNothingChangedSince(from, "plain")
}

func TestE2ETenantIDForAFunctionWithoutIsolationIsIgnoredWithAWarning(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "plain", Environment: cpuBound(nil)})
	var rec recorder
	rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}, TenantID: "tenant-42"},
		func(c *Config) { c.Progress = rec.record })
	if err != nil {
		t.Fatalf("Run: %v (a TenantId sent to a function without tenant isolation is refused)", err)
	}
	if len(rep.Warnings) != 1 || !strings.HasPrefix(rep.Warnings[0], "tenant_id is ignored") || !strings.Contains(rep.Warnings[0], arn) {
		t.Fatalf("warnings %q, want one saying tenant_id is ignored for %s", rep.Warnings, arn)
	}
	var told bool
	for _, ev := range rec.events {
		told = told || ev.Kind == progress.Warning && ev.Message == rep.Warnings[0]
	}
	if !told {
		t.Error("the warning was not sent as a progress event")
	}
}

func TestE2EOnlyColdStartsStayColdOnATenantIsolatedFunction(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "saas", TenantIsolationMode: perTenant, Environment: cpuBound(nil)})
	if _, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}, TenantID: "tenant-42", OnlyColdStarts: true}); err != nil {
		t.Fatal(err)
	}
	// Each of the tenant's invocations ran on a version of its own, whose
	// execution environments for that tenant had yet to start.
	stats := env.sim.Stats()
	if stats.Invocations != 10 || stats.ColdStarts != stats.Invocations {
		t.Errorf("%d of %d invocations were cold starts, want all 10", stats.ColdStarts, stats.Invocations)
	}
}

func TestE2EStreamedInvocationsOfATenantIsolatedFunctionNameTheTenant(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "saas-stream", TenantIsolationMode: perTenant, Environment: largeResponse(eightMB)})
	rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{512, 1024}, TenantID: "tenant-42"})
	if err != nil {
		t.Fatal(err) // lambdasim refuses a streamed invocation without the tenant
	}
	if rep.InvokeMode != spec.InvokeModeStream {
		t.Errorf("invoke mode %q, want stream for an 8 MB response", rep.InvokeMode)
	}
	if n := env.sim.Calls().ForFunction("saas-stream").Operations()["InvokeWithResponseStream"]; n < 10 {
		t.Errorf("%d streamed invocations, want at least 10", n)
	}
}
