package provider

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim/mototest"
)

// Real-AWS acceptance tests (make testacc-aws, never make test): they bill
// a few cents. They need AWSPOWERTUNING_ACC_AWS=1 (set by the make target),
// credentials the SDK's default chain finds, and a Lambda execution role
// to create the throwaway function with (AWSPOWERTUNING_TEST_ROLE_ARN).
const (
	envAccAWS  = "AWSPOWERTUNING_ACC_AWS"
	envRoleARN = "AWSPOWERTUNING_TEST_ROLE_ARN"
)

// awsAccClient returns a Lambda client on the real account, or skips.
func awsAccClient(t *testing.T) (*lambda.Client, string) {
	t.Helper()
	if os.Getenv(envAccAWS) != "1" || os.Getenv("TF_ACC") == "" {
		t.Skip("real-AWS acceptance tests run with make testacc-aws (AWSPOWERTUNING_ACC_AWS=1, TF_ACC=1)")
	}
	role := os.Getenv(envRoleARN)
	if role == "" {
		t.Skip(envRoleARN + " is not set: give the ARN of a role Lambda may assume (AWSLambdaBasicExecutionRole is enough)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Skipf("no AWS configuration: %v", err)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		t.Skipf("no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): %v", err)
	}
	if cfg.Region == "" {
		t.Skip("no AWS Region: set AWS_REGION")
	}
	return lambda.NewFromConfig(cfg), cfg.Region
}

// A throwaway function is created, tuned at two memory sizes and must be
// left exactly as it was found; it is deleted whatever happens.
func TestAWS_tuneThrowawayFunction(t *testing.T) {
	client, region := awsAccClient(t)
	ctx := context.Background()
	name := fmt.Sprintf("awspowertuning-acc-%d", time.Now().UnixNano())
	created, err := client.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), Role: aws.String(os.Getenv(envRoleARN)), Runtime: types.RuntimePython312,
		Handler: aws.String("index.handler"), MemorySize: aws.Int32(accMemory), Timeout: aws.Int32(10),
		Code: &types.FunctionCode{ZipFile: mototest.ZipPackage(t, "index.py",
			"def handler(event, context):\n    return sum(i * i for i in range(100000))\n")},
	})
	if err != nil {
		t.Fatalf("CreateFunction %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := client.DeleteFunction(context.Background(), &lambda.DeleteFunctionInput{FunctionName: aws.String(name)}); err != nil {
			t.Errorf("deleting the throwaway function %s (delete it by hand): %v", name, err)
		}
	})
	arn := aws.ToString(created.FunctionArn)
	waiter := lambda.NewFunctionActiveV2Waiter(client)
	if err := waiter.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}, 5*time.Minute); err != nil {
		t.Fatalf("waiting for %s to be active: %v", name, err)
	}
	restored := func(*terraform.State) error {
		cfg, err := client.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
		if err != nil {
			return err
		}
		if got := aws.ToInt32(cfg.MemorySize); got != accMemory {
			return fmt.Errorf("$LATEST memory is %d MB, want %d MB", got, accMemory)
		}
		aliases, err := client.ListAliases(ctx, &lambda.ListAliasesInput{FunctionName: aws.String(name)})
		if err != nil {
			return err
		}
		versions, err := client.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(name)})
		if err != nil {
			return err
		}
		if len(aliases.Aliases) != 0 || len(versions.Versions) != 1 { // $LATEST only
			return fmt.Errorf("the run left %d aliases and %d versions besides $LATEST", len(aliases.Aliases), len(versions.Versions)-1)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             restored,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "awspowertuning" {
  region = %q
}

resource "awspowertuning_run" "test" {
  lambda_arn   = %q
  num          = 5
  power_values = [128, 512]
}
`, region, arn),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(128, 512)),
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("optimal_power"), knownvalue.NotNull()),
			},
			Check: restored,
		}},
	})
}
