package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// Invalid inputs fail at plan time, through the real CLI, before anything
// runs: the function is never touched. (Every rule is covered in-process by
// TestRunValidation_*; these prove Terraform shows them.)
func TestAccRun_planTimeErrors(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "untouched", cpuBound)
	tests := []struct {
		arguments string
		message   string
	}{
		{"num = 3", `(?s)Invalid Num.*must be at least 5`},
		{"power_values = [64]", `(?s)power_values\[0\] value must be between 128 and 10240`},
		{"power_values = [128, 128]", `Duplicate List Value`},
		{"power_values = [128]\npower_values_all = true", `(?s)Argument Has No Effect.*power_values_all = false`},
		{`payload = "{"`, `(?s)Invalid JSON.*jsonencode`},
		{`payload = "{}"` + "\n" + `payload_s3 = "s3://b-u-c/key"`, `(?s)Invalid Attribute Combination.*payload`},
		{`payload = jsonencode([{ payload = 1, weight = 1 }, { payload = 2, weight = 100 }])`, `(?s)Invalid Payload.*gets no\s+invocation`},
		{`payload_s3 = "s3://bucket"`, `Invalid S3 URI`},
		{`strategy = "fastest"`, `(?s)value must be one of.*"cost"`},
		{"balanced_weight = 0.3", `(?s)Argument Has No Effect.*strategy = "balanced"`},
		{"strategy = \"balanced\"\nbalanced_weight = 2", `(?s)balanced_weight value must be between`},
		{`auto_optimize_alias = "live"`, `(?s)Argument Has No Effect.*auto_optimize = true`},
		{"auto_optimize = true\nauto_optimize_alias = \"RAM512\"", `Invalid Alias Name`},
		{"parallel_invocation = true\nsleep_between_runs_ms = 100", `(?s)Argument Has No Effect.*parallel_invocation = false`},
		{"max_concurrency = 0", `(?s)max_concurrency value must be at least 1`},
		{"discard_top_bottom = 0.5", `(?s)discard_top_bottom value must be between`},
		{`pre_processor_arn = "by-name"`, `(?s)Invalid Pre Processor ARN.*not a function ARN`},
		{`report_s3_uri = "reports/run.json"`, `Invalid S3 URI`},
		{"timeouts {\n create = \"soon\"\n}", `Invalid Attribute Value Time Duration`},
	}
	steps := make([]resource.TestStep, len(tests))
	for i, tt := range tests {
		steps[i] = resource.TestStep{
			Config:      runConfig(env, arn, tt.arguments),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(tt.message),
		}
	}
	steps = append(steps, resource.TestStep{
		Config: fmt.Sprintf(`
provider "awspowertuning" {
  region = "us-east-1"
  assume_role {
    session_name = "no-role"
  }
}

resource "awspowertuning_run" "test" {
  lambda_arn = %q
  num        = 5
}
`, arn),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)assume_role.role_arn.*must be specified`),
	})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps:                    steps,
	})
	if n := env.sim.Stats().Invocations; n != 0 {
		t.Errorf("invalid configurations invoked the function %d times", n)
	}
}
