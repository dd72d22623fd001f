package provider

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Ten runs in one apply (Terraform's default parallelism) share the
// provider's request budgets: the emulator's call log has no one-second
// window with more calls than the budgets allow. (Quotas are not enforced:
// the test's own inspection of ten functions afterwards would trip them.)
func TestAccRun_tenParallelRunsStayWithinTheRequestBudgets(t *testing.T) {
	const controlBudget, getFunctionBudget = 12, 20
	env := newAccEnv(t, lambdasim.Options{UpdateDelay: 300 * time.Millisecond})
	var resources strings.Builder
	arns := make([]string, 10)
	for i := range arns {
		arns[i] = env.function(t, fmt.Sprintf("budget%d", i), cpuBound)
		fmt.Fprintf(&resources, `
resource "awspowertuning_run" "r%d" {
  lambda_arn          = %q
  num                 = 5
  power_values        = [256, 512]
  parallel_invocation = true
}
`, i, arns[i])
	}
	config := env.providerBlock(fmt.Sprintf(`control_plane_requests_per_second = %d
  get_function_requests_per_second  = %d`, controlBudget, getFunctionBudget), "") + resources.String()

	var started time.Time
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { started = time.Now() },
			Config:    config,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					calls := env.sim.Calls().Since(started)
					control := calls.MaxPerWindow(lambdasim.QuotaControl, time.Second)
					getFunction := calls.MaxPerWindow(lambdasim.QuotaGetFunction, time.Second)
					t.Logf("%d control-plane and %d GetFunction calls in %v; busiest second: %d and %d",
						calls.Count(lambdasim.QuotaControl), calls.Count(lambdasim.QuotaGetFunction),
						time.Since(started).Round(time.Millisecond), control, getFunction)
					if control > controlBudget || getFunction > getFunctionBudget {
						return fmt.Errorf("busiest second: %d control-plane calls (budget %d), %d GetFunction calls (budget %d)",
							control, controlBudget, getFunction, getFunctionBudget)
					}
					if calls.Count(lambdasim.QuotaControl) < 10*8 {
						return fmt.Errorf("only %d control-plane calls: the ten runs did not all run", calls.Count(lambdasim.QuotaControl))
					}
					return nil
				},
				cleanChecks(env, arns),
			),
		}},
	})
}

func cleanChecks(env *accEnv, arns []string) resource.TestCheckFunc {
	checks := make([]resource.TestCheckFunc, len(arns))
	for i, arn := range arns {
		checks[i] = env.cleanCheck(arn, accMemory)
	}
	return resource.ComposeAggregateTestCheckFunc(checks...)
}

// max_concurrency = 1 holds the whole run, all memory sizes together, to one
// invocation at a time: a function with reserved concurrency 1 is never
// throttled. Invocations take real time, so overlapping ones would be.
func TestAccRun_maxConcurrencyOneOnReservedConcurrencyOne(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{TimeScale: 0.02})
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "reserved", MemorySize: accMemory, Timeout: 30,
		Environment: cpuBound, ReservedConcurrency: ptr(int32(1))})
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, `power_values = [128, 256, 512]
  max_concurrency = 1`),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkInvocations(env, 15),
				func(*terraform.State) error {
					if st := env.sim.Stats(); st.Throttled != 0 || st.MaxInFlight != 1 {
						return fmt.Errorf("%d invocations throttled, %d in flight at the peak; want 0 and 1", st.Throttled, st.MaxInFlight)
					}
					return nil
				},
				env.cleanCheck(arn, accMemory),
			),
		}},
	})
}

// An endpoint with nothing listening fails the apply at once, naming the
// endpoint, instead of retrying for minutes.
func TestAccRun_unreachableEndpointFailsFast(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String()
	_ = ln.Close() // nothing listens there any more

	config := fmt.Sprintf(`
provider "awspowertuning" {
  region     = %q
  access_key = "test"
  secret_key = "test"
  endpoints {
    lambda = %q
    s3     = %q
  }
}

resource "awspowertuning_run" "test" {
  lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:nowhere"
  num        = 5
}
`, accRegion, endpoint, env.sim.URL())
	var started time.Time
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { started = time.Now() },
			Config:    config,
			// Named and not retried: one attempt, where 25 took minutes (the
			// awsclient tests count the attempts).
			ExpectError: regexp.MustCompile(`(?s)could\s+not\s+reach\s+` + regexp.QuoteMeta(endpoint) + `.*not\s+retried.*AWS\s+call:\s+GetFunction`),
		}},
	})
	t.Logf("the apply failed after %v", time.Since(started).Round(time.Millisecond))
}
