package provider

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// storedReportObject reads an object the provider wrote to the emulator's
// S3 bucket "reports".
func (e *accEnv) storedReportObject(key string) (string, error) {
	const bucket = "reports"
	client := s3.New(s3.Options{
		Region: accRegion, BaseEndpoint: aws.String(e.sim.URL()), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return "", fmt.Errorf("GetObject s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	return string(body), err
}

// underOpenTofu tells whether the acceptance tests drive OpenTofu.
func underOpenTofu() bool {
	return strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}

// Arguments that change no measurement are updated in place (nothing is
// invoked); an import from the report keeps triggers, so the documented
// configuration plans empty afterwards.
func TestAccRun_inPlaceUpdatesAndImport(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "in-place", cpuBound)
	const secret = "s3cr3t-order"
	run := func(arguments string) string {
		return runConfig(env, arn, `triggers = { code = "v1" }
  payload = jsonencode({ order = "`+secret+`" })
  `+arguments)
	}
	first := run(`power_values  = [256, 512]
  report_s3_uri = "s3://reports/first.json"`)
	changed := run(`power_values           = [512, 256]
  include_output_results = true
  disable_payload_logs   = true
  report_s3_uri          = "s3://reports/second.json"`)
	updatedInPlace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(runAddress, plancheck.ResourceActionUpdate),
	}}
	reportHolds := func(key string, want, unwanted []string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			body, err := env.storedReportObject(key)
			if err != nil {
				return err
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					return fmt.Errorf("report %s does not hold %q:\n%s", key, w, body)
				}
			}
			for _, u := range unwanted {
				if strings.Contains(body, u) {
					return fmt.Errorf("report %s holds %q:\n%s", key, u, body)
				}
			}
			return nil
		}
	}
	steps := []resource.TestStep{
		{Config: first, Check: resource.ComposeAggregateTestCheckFunc(checkInvocations(env, 10),
			reportHolds("first.json", []string{`"triggers"`, `"code": "v1"`, secret}, nil))},
		{
			// Imported from the report, every attribute is what the run
			// recorded, triggers included.
			ResourceName: runAddress, ImportState: true, ImportStateId: "s3://reports/first.json",
			ImportStateVerify: true,
		},
		{
			Config:           changed,
			ConfigPlanChecks: updatedInPlace,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("output"), knownvalue.StringRegexp(regexp.MustCompile(`"stats":\[`))),
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(256, 512)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkInvocations(env, 10), // no new run
				reportHolds("second.json", []string{`"payload_sha256"`, `"stats`}, []string{secret}),
			),
		},
		{
			// Turning the stats off again re-shapes output without them.
			Config: run(`power_values  = [512, 256]
  disable_payload_logs = true
  report_s3_uri = "s3://reports/second.json"`),
			ConfigPlanChecks: updatedInPlace,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("output"), knownvalue.StringRegexp(regexp.MustCompile(`^[^\[]*"stateMachine"[^\[]*$`))),
			},
			Check: checkInvocations(env, 10),
		},
		{
			// Another set of memory sizes is another run.
			Config: run(`power_values  = [256, 1024]
  disable_payload_logs = true
  report_s3_uri = "s3://reports/second.json"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(runAddress, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			Check: checkInvocations(env, 20),
		},
	}
	if !underOpenTofu() {
		// An import block against the documented configuration (with
		// triggers) plans a no-op: no replacement, no re-run. (Under
		// OpenTofu the harness's import-block step looks the in-process
		// provider up in registry.opentofu.org and fails to init; there
		// TestAccImportBlockWithTriggersPlansNoChange drives the CLI itself.)
		steps = slices.Insert(steps, 2, resource.TestStep{
			Config: first, ResourceName: runAddress, ImportState: true, ImportStateId: "s3://reports/first.json",
			ImportStateKind: resource.ImportBlockWithID,
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}
