package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Kinds of function through the real CLI: tenant isolation, durable
// functions, Lambda Managed Instances and a partition without built-in
// prices. Each run's requests are recorded on their way to the emulator.

// applyExpectingFailure applies config in a new directory and returns what
// the CLI printed; the apply must fail.
func applyExpectingFailure(t *testing.T, h *cliHarness, config string) string {
	t.Helper()
	var out bytes.Buffer
	if err := h.apply(h.workdir(t, config), &out).Run(); err == nil {
		t.Fatalf("apply succeeded, want a failure:\n%s", out.String())
	}
	return out.String()
}

// applyExpectingSuccess applies config in a new directory.
func applyExpectingSuccess(t *testing.T, h *cliHarness, config string) {
	t.Helper()
	var out bytes.Buffer
	if err := h.apply(h.workdir(t, config), &out).Run(); err != nil {
		t.Fatalf("apply: %v\n%s", err, out.String())
	}
}

// changes counts the requests that change a function or create one.
func changes(p *simProxy) int {
	return len(p.recorded(http.MethodPut, "/configuration")) + len(p.recorded(http.MethodPost, "/versions")) +
		len(p.recorded(http.MethodPost, "/aliases")) + len(p.recorded(http.MethodPost, "/2015-03-31/functions"))
}

// invocationsOf are the recorded Invoke (and InvokeWithResponseStream)
// requests of function name and of its copies.
func invocationsOf(p *simProxy, name string) []seenRequest {
	var out []seenRequest
	for _, r := range p.recorded(http.MethodPost, name) {
		if strings.HasSuffix(r.path, "invocations") {
			out = append(out, r)
		}
	}
	return out
}

// createdCopies are the CreateFunction bodies recorded.
func createdCopies(t *testing.T, p *simProxy) []map[string]any {
	t.Helper()
	var bodies []map[string]any
	for _, r := range p.recorded(http.MethodPost, "/2015-03-31/functions") {
		if r.path != "/2015-03-31/functions" {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Fatalf("CreateFunction body: %v", err)
		}
		bodies = append(bodies, body)
	}
	return bodies
}

func TestAccTenantIsolatedFunctionIsTunedAsItsTenant(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	proxy := env.recordRequests(t)
	h := newCLIHarness(t)
	for _, isolation := range []string{"none", "copies"} {
		t.Run(isolation, func(t *testing.T) {
			name := "tenanted-" + isolation
			arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: name, MemorySize: accMemory, Timeout: 30,
				Environment: cpuBound, TenantIsolationMode: "PER_TENANT"})
			if err != nil {
				t.Fatal(err)
			}
			before, _ := env.state(context.Background(), arn)

			out := applyExpectingFailure(t, h, runConfig(env, arn, fmt.Sprintf("power_values = [256, 512]\n  isolation = %q", isolation)))
			for _, want := range []string{"Tenant ID Required", "tenant_id", "nothing was changed"} {
				if !strings.Contains(out, want) {
					t.Errorf("the run without tenant_id does not say %q:\n%s", want, out)
				}
			}
			if n := changes(proxy); n != 0 {
				t.Errorf("the refused run sent %d changes, want none", n)
			}

			applyExpectingSuccess(t, h, runConfig(env, arn, fmt.Sprintf("power_values = [256, 512]\n  isolation = %q\n  tenant_id = \"blue\"", isolation)))
			invocations := invocationsOf(proxy, name)
			if len(invocations) != 10 {
				t.Errorf("%d invocations recorded, want 2 sizes × 5", len(invocations))
			}
			for _, r := range invocations {
				if r.tenant != "blue" {
					t.Errorf("%s %s named tenant %q, want blue", r.method, r.path, r.tenant)
				}
			}
			if isolation == "copies" {
				copies := createdCopies(t, proxy)
				if len(copies) != 2 {
					t.Fatalf("%d copies created, want 2", len(copies))
				}
				for _, c := range copies {
					if want := map[string]any{"TenantIsolationMode": "PER_TENANT"}; !reflect.DeepEqual(c["TenancyConfig"], want) {
						t.Errorf("copy %v has TenancyConfig %v, want %v", c["FunctionName"], c["TenancyConfig"], want)
					}
				}
			}
			after, _ := env.state(context.Background(), arn)
			if !reflect.DeepEqual(after, before) {
				t.Errorf("function after the run = %+v, want it as before, %+v", after, before)
			}
			proxy.mu.Lock()
			proxy.requests = nil
			proxy.mu.Unlock()
		})
	}
}

func TestAccDurableFunctionsCopiesAreDurable(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	proxy := env.recordRequests(t)
	h := newCLIHarness(t)
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "durable", MemorySize: accMemory, Timeout: 30,
		Environment: cpuBound, Durable: &lambdasim.DurableSpec{ExecutionTimeout: 600, RetentionPeriodInDays: 7}})
	if err != nil {
		t.Fatal(err)
	}
	applyExpectingSuccess(t, h, runConfig(env, arn, "power_values = [256, 512]\n  isolation = \"copies\""))
	copies := createdCopies(t, proxy)
	if len(copies) != 2 {
		t.Fatalf("%d copies created, want 2", len(copies))
	}
	want := map[string]any{"ExecutionTimeout": float64(600), "RetentionPeriodInDays": float64(7)}
	for _, c := range copies {
		if !reflect.DeepEqual(c["DurableConfig"], want) {
			t.Errorf("copy %v has DurableConfig %v, want %v", c["FunctionName"], c["DurableConfig"], want)
		}
	}
	invocations := invocationsOf(proxy, "durable")
	for _, r := range invocations {
		if !strings.Contains(r.query, "Qualifier=") {
			t.Errorf("invocation %s was not qualified: Lambda invokes a durable function only by a version or alias", r.path)
		}
	}
	if len(invocations) != 10 {
		t.Errorf("%d invocations, want 10", len(invocations))
	}
}

func TestAccManagedInstancesFunctionIsRefused(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	proxy := env.recordRequests(t)
	h := newCLIHarness(t)
	if _, err := env.sim.AddCapacityProvider(lambdasim.CapacityProviderDefinition{Name: "fleet"}); err != nil {
		t.Fatal(err)
	}
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "on-instances", MemorySize: 2048, Timeout: 30,
		Environment: cpuBound, CapacityProvider: &lambdasim.CapacityProviderSpec{ARN: "fleet"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, isolation := range []string{"none", "copies"} {
		out := applyExpectingFailure(t, h, runConfig(env, arn, fmt.Sprintf("power_values = [2048, 4096]\n  isolation = %q", isolation)))
		for _, want := range []string{"Function Runs On Lambda Managed Instances", "capacity-provider:fleet", "nothing was changed",
			"Lambda Managed Instances"} {
			if !strings.Contains(out, want) {
				t.Errorf("isolation %s: the refusal does not say %q:\n%s", isolation, want, out)
			}
		}
	}
	if n := changes(proxy); n != 0 {
		t.Errorf("the refused runs sent %d changes, want none", n)
	}
}

func TestAccSovereignCloudFunctionIsPricedFromLambdaPrices(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	proxy := env.recordRequests(t)
	h := newCLIHarness(t)
	const region = "eusc-de-east-1"
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "sovereign", Region: region, MemorySize: accMemory, Timeout: 30, Environment: cpuBound})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(arn, "arn:aws-eusc:lambda:"+region+":") {
		t.Fatalf("the emulator named the function %s", arn)
	}
	resource := fmt.Sprintf(`
resource "awspowertuning_run" "test" {
  lambda_arn   = %q
  num          = 5
  power_values = [256, 512]
}
output "currency" {
  value = awspowertuning_run.test.currency
}
output "tuning_cost" {
  value = awspowertuning_run.test.tuning_cost
}
`, arn)

	out := applyExpectingFailure(t, h, env.providerConfig()+resource)
	for _, want := range []string{"No Lambda Price For Region", region, "lambda_prices", "nothing was changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("the run without a price does not say %q:\n%s", want, out)
		}
	}
	if n := changes(proxy); n != 0 {
		t.Errorf("the refused run sent %d changes, want none", n)
	}

	prices := accBudgets + fmt.Sprintf(`
  lambda_prices = [{
    region              = %q
    architecture        = "x86_64"
    price_per_gb_second = 0.0000180
    price_per_request   = 0.00000022
    currency            = "EUR"
  }]`, region)
	dir := h.workdir(t, env.providerBlock(prices, "")+resource)
	var applied bytes.Buffer
	if err := h.apply(dir, &applied).Run(); err != nil {
		t.Fatalf("apply with lambda_prices: %v\n%s", err, applied.String())
	}
	var outputs map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal(cliRun(t, h, dir, "output", "-json"), &outputs); err != nil {
		t.Fatal(err)
	}
	if outputs["currency"].Value != "EUR" {
		t.Errorf("currency = %v, want EUR from lambda_prices", outputs["currency"].Value)
	}
	if cost, _ := outputs["tuning_cost"].Value.(float64); cost <= 0 {
		t.Errorf("tuning_cost = %v, want the invocations priced", outputs["tuning_cost"].Value)
	}
}
