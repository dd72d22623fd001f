package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// Inputs a Terraform user can write that plan used to crash on, reject
// wrongly or accept wrongly (issue #10), through the real CLI.
func TestAccRun_inputEdges(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "edges", cpuBound)
	planErrors := []struct{ arguments, message string }{
		// Checked arithmetically: this once took 7 GB and 27 s to plan.
		{"num = 300000000\npayload = jsonencode([{ payload = 1, weight = 1 }, { payload = 2, weight = 3 }])",
			`(?s)num.*value must be between 1 and 10000, got: 300000000`},
		{"num = 200\nonly_cold_starts = true\npower_values = [128, 256, 512, 1024, 2048, 3008]",
			`(?s)Invalid Num.*at most 1000.*200 × 6`},
		{`payload = jsonencode([{ payload = 1, weight = 0 }, { payload = 2, weight = 1 }])`,
			`(?s)Invalid Payload.*entry 0 has weight 0.*positive number`},
		{`payload = jsonencode([{ payload = 1, weight = 1 }, { payload = 2, weight = "heavy" }])`,
			`(?s)Invalid Payload.*entry 1 has weight "heavy"`},
		// One grammar, with S3's bucket-naming rules, at plan and at apply.
		{`report_s3_uri = "s3://a..b/k"`, `(?s)Invalid S3 URI.*"a..b" is not a valid S3 bucket name: it has two\s+adjacent dots`},
		{`payload_s3 = "s3://192.168.5.4/event.json"`, `(?s)Invalid S3 URI.*formatted as an IP\s+address`},
		{"dry_run = true\nauto_optimize = true", `(?s)Argument Has No Effect.*auto_optimize only applies when dry_run = false`},
	}
	var steps []resource.TestStep
	for _, tt := range planErrors {
		steps = append(steps, resource.TestStep{
			Config: runConfig(env, arn, tt.arguments), PlanOnly: true, ExpectError: regexp.MustCompile(tt.message),
		})
	}
	// A list element unknown at plan (a value of a resource created in the
	// same apply) is checked at apply, not a provider crash.
	steps = append(steps, resource.TestStep{
		Config: env.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "memory" {
  input = 512
}

resource "awspowertuning_run" "test" {
  lambda_arn         = %q
  num                = 5
  power_values       = [terraform_data.memory.output, 256]
  allowed_exceptions = ["Handled${terraform_data.memory.output}"]
}
`, arn),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(runAddress, plancheck.ResourceActionCreate),
			plancheck.ExpectUnknownValue(runAddress, tfjsonpath.New("power_values").AtSliceIndex(0)),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(256, 512)),
		},
		Check: env.cleanCheck(arn, accMemory),
	})
	// power_values_all = false is what modules and -generate-config-out write.
	steps = append(steps, resource.TestStep{
		Config: runConfig(env, arn, "power_values = [256, 512]\npower_values_all = false"),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(256, 512)),
		},
		Check: env.cleanCheck(arn, accMemory),
	})
	// A dry run stores no report a consumer could mistake for a result.
	steps = append(steps, resource.TestStep{
		Config: runConfig(env, arn, "num = 1\ndry_run = true\nreport_s3_uri = \"s3://reports/dry.json\""),
		Check: func(*terraform.State) error {
			if body, err := env.storedReportObject("dry.json"); err == nil {
				return fmt.Errorf("a dry run stored a report:\n%s", body)
			}
			return nil
		},
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps:                    steps,
	})
}

// A report S3 refuses is found before the billed run, not after it: the
// function is neither invoked nor changed.
func TestAccRun_reportBucketCheckedBeforeTheRun(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "checked", cpuBound)
	env.sim.DenyS3("locked-reports")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      runConfig(env, arn, "power_values = [256, 512]\nreport_s3_uri = \"s3://locked-reports/run.json\""),
			ExpectError: regexp.MustCompile(`(?s)Report Cannot Be Stored.*did not start.*invoked.*s3:PutObject`),
		}, {
			PreConfig: func() {
				calls := env.sim.Calls().ForFunction("checked").Operations()
				if calls["Invoke"]+calls["UpdateFunctionConfiguration"]+calls["CreateAlias"]+calls["PublishVersion"] != 0 {
					t.Errorf("the refused report's run still touched the function: %v", calls)
				}
			},
			// A writable bucket: the check leaves no object behind.
			Config: runConfig(env, arn, "power_values = [256, 512]\nreport_s3_uri = \"s3://reports/run.json\""),
			Check: func(*terraform.State) error {
				if body, err := env.storedReportObject("run.json" + report.WriteCheckSuffix); err == nil {
					return fmt.Errorf("the write check left its probe object: %q", body)
				}
				_, err := env.storedReportObject("run.json")
				return err
			},
		}},
	})
}
