package provider

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// fastestVerdict is the sentence of a speed run from accMemory (128 MB) to
// 1024 MB: faster, and at some cost difference.
var fastestVerdict = regexp.MustCompile(`1024 MB: \d+ % faster and (\d+ % (cheaper|more expensive)|the same cost) (than|compared with) today(?:'|&#39;)s 128 MB\.`)

// The run compares its optimum with the memory size before the run, stores
// the HTML page next to the JSON when asked, an import restores that
// setting, and the data source renders the same page for a local file.
func TestAccRun_htmlReportAndBaseline(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "pictured", cpuBound)
	unmeasured := env.function(t, "unmeasured", cpuBound)
	config := runConfig(env, arn, `power_values   = [128, 512, 1024]
  strategy       = "speed"
  report_s3_uri  = "s3://tuning-reports/pictured.json"
  report_s3_html = true`) + fmt.Sprintf(`
# Its memory size before the run (128 MB) is not among the tested ones.
resource "awspowertuning_run" "unmeasured" {
  lambda_arn   = %q
  num          = 5
  power_values = [512, 1024]
}
`, unmeasured)
	reader := `
data "awspowertuning_report" "test" {
  s3_uri = "s3://tuning-reports/pictured.json"
}

output "report_html" {
  value = data.awspowertuning_report.test.html
}
`
	lessThanOne := knownvalue.Float64Func(func(v float64) error {
		if !(v > 0 && v < 1) {
			return fmt.Errorf("want a ratio between 0 and 1, got %g", v)
		}
		return nil
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.cleanCheck(arn, accMemory),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), knownvalue.Int64Exact(1024)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("baseline_power"), knownvalue.Int64Exact(accMemory)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_relative_duration"), lessThanOne),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_relative_cost"), knownvalue.Float64Func(positive)),
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("report_s3_html"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("awspowertuning_run.unmeasured", tfjsonpath.New("baseline_power"), knownvalue.Int64Exact(accMemory)),
					statecheck.ExpectKnownValue("awspowertuning_run.unmeasured", tfjsonpath.New("optimal_relative_cost"), knownvalue.Null()),
					statecheck.ExpectKnownValue("awspowertuning_run.unmeasured", tfjsonpath.New("optimal_relative_duration"), knownvalue.Null()),
					statecheck.ExpectKnownValue("awspowertuning_run.unmeasured", tfjsonpath.New("report_s3_html"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.cleanCheck(arn, accMemory),
					env.checkHTMLObject("tuning-reports", "pictured.html", fastestVerdict),
				),
			},
			{
				// The stored JSON knows the page was asked for.
				ResourceName:      runAddress,
				ImportState:       true,
				ImportStateId:     "s3://tuning-reports/pictured.json",
				ImportStateVerify: true,
			},
			{
				Config: config + reader,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(reportAddress, tfjsonpath.New("baseline_power"), knownvalue.Int64Exact(accMemory)),
					statecheck.CompareValuePairs(runAddress, tfjsonpath.New("optimal_relative_cost"),
						reportAddress, tfjsonpath.New("optimal_relative_cost"), compare.ValuesSame()),
					statecheck.ExpectKnownOutputValue("report_html", knownvalue.StringRegexp(regexp.MustCompile(
						`(?s)^<!DOCTYPE html>.*<svg .*`+fastestVerdict.String()+`.*</html>\s*$`))),
				},
			},
		},
	})
}

// checkHTMLObject reads an object back through the S3 API and checks that it
// is an HTML page saying want.
func (e *accEnv) checkHTMLObject(bucket, key string, want *regexp.Regexp) resource.TestCheckFunc {
	return func(*terraform.State) error {
		client := s3.New(s3.Options{
			Region:       accRegion,
			BaseEndpoint: aws.String(e.sim.URL()),
			UsePathStyle: true,
			Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		})
		out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: &bucket, Key: &key})
		if err != nil {
			return fmt.Errorf("reading s3://%s/%s: %w", bucket, key, err)
		}
		defer out.Body.Close()
		body, err := io.ReadAll(out.Body)
		if err != nil {
			return err
		}
		if ct := aws.ToString(out.ContentType); !strings.HasPrefix(ct, "text/html") {
			return fmt.Errorf("s3://%s/%s has content type %q, want text/html", bucket, key, ct)
		}
		if !want.Match(body) {
			return fmt.Errorf("s3://%s/%s does not say %s", bucket, key, want)
		}
		return nil
	}
}

func TestAccRun_htmlReportNeedsReportURI(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "no-uri", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      runConfig(env, arn, `report_s3_html = true`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`HTML Report Needs report_s3_uri`),
		}},
	})
}
