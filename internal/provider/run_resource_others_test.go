package provider

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Someone else changes the function while it is tuned in place: the run
// carries what it last saw on every change, so a deploy stops it and a
// change of settings is kept and told.

const (
	ordersDescription       = "orders service v7"
	ordersMemory      int32 = 256
)

// ordersFunction is a function with a description, to see it restored,
// at 256 MB: the run's first memory size (128 MB) is its first change.
func (e *accEnv) ordersFunction(t *testing.T, name string) string {
	t.Helper()
	arn, err := e.sim.AddFunction(lambdasim.FunctionSpec{Name: name, MemorySize: ordersMemory, Timeout: 30,
		Description: ordersDescription, Environment: cpuBound})
	if err != nil {
		t.Fatal(err)
	}
	return arn
}

func (e *accEnv) configuration(t *testing.T, function string) *lambda.GetFunctionConfigurationOutput {
	t.Helper()
	c, err := e.lambda.GetFunctionConfiguration(context.Background(), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(function)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// inOrder matches CLI output holding each phrase in turn; a line break
// (diagnostics wrap their lines) may stand for any space in a phrase.
func inOrder(phrases ...string) *regexp.Regexp {
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// words is CLI output with every run of white space one space: diagnostics
// wrap their lines.
func words(out string) string { return strings.Join(strings.Fields(out), " ") }

func TestAccRun_aDeployBetweenTwoUpdatesStopsTheRunNamingBothCodes(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.ordersFunction(t, "deployed")
	before := aws.ToString(env.configuration(t, arn).CodeSha256)
	pkg := lambdasim.ZipPackage("index.js", "exports.handler = async () => 2")
	deployed := codeSha256(pkg)
	// The deploy lands once the run's first version is published, before
	// its next configuration update: that update carries a RevisionId the
	// deploy made stale.
	env.after(t, "PublishVersion", func() {
		if _, err := env.lambda.UpdateFunctionCode(context.Background(), &lambda.UpdateFunctionCodeInput{
			FunctionName: aws.String(arn), ZipFile: pkg}); err != nil {
			t.Errorf("deploying: %v", err)
			return
		}
		settle(t, env.lambda, arn)
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, "power_values = [128, 512, 1024]"),
			ExpectError: inOrder("Function Code Changed During Tuning", before, deployed, "nothing it measured is reported",
				"restored the function's memory size and description", `isolation = "copies"`),
		}},
	})
	if err := env.cleanCheck(arn, ordersMemory)(nil); err != nil {
		t.Error(err)
	}
	after := env.configuration(t, arn)
	if got := aws.ToString(after.Description); got != ordersDescription {
		t.Errorf("description after the run = %q, want %q", got, ordersDescription)
	}
	if got := aws.ToString(after.CodeSha256); got != deployed {
		t.Errorf("code after the run = %s, want the deployed %s kept", got, deployed)
	}
}

func TestAccRun_aSettingsChangeDuringTheRunIsKeptAndTold(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	h := newCLIHarness(t)
	arn := env.ordersFunction(t, "reconfigured")
	featured := maps.Clone(cpuBound)
	featured["FEATURE"] = "on"
	env.after(t, "PublishVersion", func() {
		if _, err := env.lambda.UpdateFunctionConfiguration(context.Background(), &lambda.UpdateFunctionConfigurationInput{
			FunctionName: aws.String(arn), MemorySize: aws.Int32(2048), Environment: &types.Environment{Variables: featured}}); err != nil {
			t.Errorf("reconfiguring: %v", err)
			return
		}
		settle(t, env.lambda, arn)
	})
	var out bytes.Buffer
	if err := h.apply(h.workdir(t, runConfig(env, arn, "power_values = [128, 512, 1024]")), &out).Run(); err != nil {
		t.Fatalf("apply failed: %v\n%s", err, out.String())
	}
	said := words(out.String())
	for _, want := range []string{"Warning: Function Changed By Someone Else During Tuning", "Someone else changed $LATEST of " + arn,
		"MemorySize to 2048 MB (kept; the run had set", "Environment", "may not compare"} {
		if !strings.Contains(said, want) {
			t.Errorf("the apply does not say %q:\n%s", want, out.String())
		}
	}
	if err := env.cleanCheck(arn, 2048)(nil); err != nil {
		t.Errorf("%v: the 2048 MB someone else set was not kept, or the run left something", err)
	}
	after := env.configuration(t, arn)
	if got := aws.ToString(after.Description); got != ordersDescription {
		t.Errorf("description after the run = %q, want %q", got, ordersDescription)
	}
	if after.Environment == nil || after.Environment.Variables["FEATURE"] != "on" {
		t.Errorf("environment after the run = %v, want FEATURE=on kept", after.Environment)
	}
}

// readCalls are the calls that change nothing: a refusal before any change
// sends only these to the function.
var readCalls = []string{"GetFunction", "GetFunctionConfiguration", "GetAlias", "ListAliases", "ListVersionsByFunction", "ListTags"}

// onlyReadSince checks that function got no call but reads from since on.
func (e *accEnv) onlyReadSince(since time.Time, function string) error {
	var changes []string
	for op, n := range e.sim.Calls().Since(since).ForFunction(function).Operations() {
		if !slices.Contains(readCalls, op) {
			changes = append(changes, fmt.Sprintf("%d %s", n, op))
		}
	}
	if len(changes) > 0 {
		slices.Sort(changes)
		return fmt.Errorf("%s got calls besides reads: %s", function, strings.Join(changes, ", "))
	}
	return nil
}

// canary is a function whose alias live sends 90 % to version 1 and 10 %
// to version 2, as a CodeDeploy canary does.
func (e *accEnv) canary(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	arn := e.function(t, name, cpuBound)
	v1, err := e.lambda.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(arn), Description: aws.String("v1")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.lambda.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(arn), Timeout: aws.Int32(31)}); err != nil {
		t.Fatal(err)
	}
	settle(t, e.lambda, arn)
	v2, err := e.lambda.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(arn), Description: aws.String("v2")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.lambda.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String(arn), Name: aws.String("live"), FunctionVersion: v1.Version,
		RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{aws.ToString(v2.Version): 0.1}}}); err != nil {
		t.Fatal(err)
	}
	return arn
}

// liveRouting checks where alias live of function points and its weights.
func (e *accEnv) liveRouting(function string, want func(version string, weights map[string]float64) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a, err := e.lambda.GetAlias(context.Background(), &lambda.GetAliasInput{FunctionName: aws.String(function), Name: aws.String("live")})
		if err != nil {
			return err
		}
		var weights map[string]float64
		if a.RoutingConfig != nil {
			weights = a.RoutingConfig.AdditionalVersionWeights
		}
		version := aws.ToString(a.FunctionVersion)
		if version == "1" {
			return fmt.Errorf("live still serves version 1, want the optimum's version (weights %v)", weights)
		}
		return want(version, weights)
	}
}

func TestAccRun_aWeightedAliasMovesOnlyAsAutoOptimizeAliasRoutingSays(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.canary(t, "canary")
	since := time.Now()
	config := func(routing string) string {
		return runConfig(env, arn, `power_values                   = [128, 1024]
  auto_optimize                  = true
  auto_optimize_alias            = "live"
  auto_optimize_allow_unreleased = true
  `+routing)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ExpectError: inOrder("Alias Has Weighted Routing", "auto_optimize_alias", "alias live", "90 % to version 1 and 10 % to version 2",
					"before changing anything", `auto_optimize_alias_routing = "keep"`, `"clear"`),
			},
			{
				// The refusal came before any change: the function got reads only.
				PreConfig: func() {
					if err := env.onlyReadSince(since, "canary"); err != nil {
						t.Errorf("refused at apply, but: %v", err)
					}
				},
				Config: config(`auto_optimize_alias_routing = "keep"`),
				Check: env.liveRouting(arn, func(version string, weights map[string]float64) error {
					if len(weights) != 1 || weights["2"] != 0.1 {
						return fmt.Errorf("live → version %s with weights %v, want version 2 kept at 10 %%", version, weights)
					}
					return nil
				}),
			},
			{
				Config: config(`auto_optimize_alias_routing = "clear"`),
				Check: env.liveRouting(arn, func(version string, weights map[string]float64) error {
					if len(weights) != 0 {
						return fmt.Errorf("live → version %s with weights %v, want all its traffic on the optimum", version, weights)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccRun_aFunctionWithReservedConcurrencyZeroIsRefusedAtOnce(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	zero := int32(0)
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "stopped", MemorySize: accMemory, Timeout: 30,
		Description: ordersDescription, Environment: cpuBound, ReservedConcurrency: &zero})
	if err != nil {
		t.Fatal(err)
	}
	since := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, "power_values = [128, 512, 1024]"),
			ExpectError: inOrder("Function Cannot Be Invoked", "lambda_arn", "reserved concurrency is 0", "delete-function-concurrency",
				"Nothing was changed on the function"),
		}},
	})
	// Init, plan and the failed apply: the run refuses on its first read,
	// without waiting for throttled invocations to be retried.
	if took := time.Since(since); took > 10*time.Second {
		t.Errorf("the failed apply took %s, want under 10 s", took)
	}
	if len(env.sim.Calls().Since(since).ForFunction("stopped")) == 0 {
		t.Fatal("the emulator got no call on the function")
	}
	if err := env.onlyReadSince(since, "stopped"); err != nil {
		t.Error(err)
	}
	if err := env.cleanCheck(arn, accMemory)(nil); err != nil {
		t.Error(err)
	}
	if got := aws.ToString(env.configuration(t, arn).Description); got != ordersDescription {
		t.Errorf("description after the run = %q, want %q", got, ordersDescription)
	}
}
