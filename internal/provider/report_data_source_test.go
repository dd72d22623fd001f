package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

const reportAddress = "data.awspowertuning_report.test"

// The data source reads back exactly what the resource wrote.
func TestAccReportDataSource_readsWhatTheRunWrote(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "reported", cpuBound)
	run := runConfig(env, arn, `power_values  = [128, 1024]
  strategy      = "speed"
  report_s3_uri = "s3://tuning-reports/reported.json"`)
	// Another workspace would only have the data source; here it is read
	// once the run exists.
	reader := `
data "awspowertuning_report" "test" {
  s3_uri = "s3://tuning-reports/reported.json"
}
`
	same := func(attribute string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(runAddress, tfjsonpath.New(attribute), reportAddress, tfjsonpath.New(attribute), compare.ValuesSame())
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{
			{Config: run, Check: env.cleanCheck(arn, accMemory)},
			{
				Config: run + reader,
				ConfigStateChecks: []statecheck.StateCheck{
					same("id"), same("function_arn"), same("optimal_power"), same("optimal_cost"), same("optimal_duration"),
					same("tuning_cost"), same("architecture"), same("currency"), same("visualization_url"), same("results"),
					same("output"), same("tuned_at"), same("function_code_sha256"),
					same("lambda_arn"), same("num"), same("power_values"), same("strategy"),
					statecheck.ExpectKnownValue(reportAddress, tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(1024)),
					statecheck.ExpectKnownValue(reportAddress, tfjsonpath.New("auto_optimize_alias"), knownvalue.Null()),
					statecheck.ExpectKnownValue(reportAddress, tfjsonpath.New("auto_optimize_alias_routing"), knownvalue.Null()),
					statecheck.ExpectKnownValue(reportAddress, tfjsonpath.New("dry_run"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

func TestAccReportDataSource_errors(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	env.sim.PutObject("tuning-reports", "not-ours.json", []byte(`{"hello":"world"}`))
	env.sim.PutObject("locked-reports", "run.json", []byte(`{}`))
	env.sim.DenyS3("locked-reports")
	read := func(uri string) string {
		return env.providerConfig() + fmt.Sprintf(`
data "awspowertuning_report" "test" {
  s3_uri = %q
}
`, uri)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: read("s3://tuning-reports/missing.json"), ExpectError: regexp.MustCompile(`(?s)Report Not Found.*s3://tuning-reports/missing.json`)},
			{Config: read("s3://locked-reports/run.json"), ExpectError: regexp.MustCompile(`(?s)Report Access Denied.*s3:GetObject`)},
			{Config: read("s3://tuning-reports/not-ours.json"), ExpectError: regexp.MustCompile(`(?s)Object Is Not A Tuning Report`)},
			{Config: read("tuning-reports/run.json"), ExpectError: regexp.MustCompile(`Invalid S3 URI`)},
		},
	})
}
