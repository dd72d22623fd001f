package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim/mototest"
)

// Against moto_server, whose Invoke answers carry no log tail (and, without
// Docker, no errorType either: only the X-Amz-Function-Error header), a
// dry run still checks the wiring, and the advice never names a header
// value as an error type.
func TestAccRun_motoDryRun(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (see GNUmakefile: make testacc)")
	}
	base := mototest.Start(t)
	client := lambda.New(lambda.Options{
		Region: accRegion, BaseEndpoint: aws.String(base),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	role := mototest.CreateRole(t, base, "tuning-role")
	created, err := client.CreateFunction(context.Background(), &lambda.CreateFunctionInput{
		FunctionName: aws.String("moto-fn"), Role: aws.String(role), Runtime: types.RuntimePython312,
		Handler: aws.String("index.handler"), MemorySize: aws.Int32(accMemory),
		Code: &types.FunctionCode{ZipFile: mototest.ZipPackage(t, "index.py", "def handler(event, context):\n    return event\n")},
	})
	if err != nil {
		t.Fatalf("CreateFunction in moto: %v", err)
	}
	arn := aws.ToString(created.FunctionArn)
	config := func(arguments string) string {
		return endpointProviderConfig(base, accBudgets, "") + fmt.Sprintf(`
resource "awspowertuning_run" "test" {
  lambda_arn   = %q
  power_values = [256, 512]
  %s
}
`, arn, arguments)
	}
	restored := func(*terraform.State) error {
		cfg, err := client.GetFunctionConfiguration(context.Background(), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(arn)})
		if err != nil {
			return err
		}
		if got := aws.ToInt32(cfg.MemorySize); got != accMemory {
			return fmt.Errorf("$LATEST memory is %d MB after the run, want %d MB", got, accMemory)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The answer names no errorType: no advice to allow "Handled",
				// and no complaint about a missing REPORT line in a dry run.
				Config:      config("num = 1\n  dry_run = true"),
				ExpectError: regexp.MustCompile(`(?s)Tuned Function Returned An Error.*names no\s+errorType.*X-Amz-Function-Error`),
			},
			{
				// Every invocation ends in the header-only error; a dry run
				// that keeps going still proves the wiring end to end.
				Config: config("num = 1\n  dry_run = true\n  skip_failed_power_values = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"power": knownvalue.Int64Exact(256), "failed": knownvalue.Bool(true),
							"failure_reason": knownvalue.StringRegexp(regexp.MustCompile(`^Handled error`))}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"power": knownvalue.Int64Exact(512), "failed": knownvalue.Bool(true)}),
					})),
				},
				Check: restored,
			},
		},
	})
}
