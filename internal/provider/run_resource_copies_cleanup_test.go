package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
)

// noCopyLogGroups checks that Lambda made the copies' log groups (one
// DeleteLogGroup each) and that none of them remains.
func (e *accEnv) noCopyLogGroups(wantDeleted int) func(*terraform.State) error {
	return func(*terraform.State) error {
		for _, g := range e.sim.LogGroups(accRegion) {
			if strings.HasPrefix(g, "/aws/lambda/awspt-") {
				return fmt.Errorf("log group %s of a copy remains", g)
			}
		}
		if n := e.sim.Stats().Requests["DeleteLogGroup"]; n != wantDeleted {
			return fmt.Errorf("DeleteLogGroup calls = %d, want %d (one per copy)", n, wantDeleted)
		}
		return nil
	}
}

func TestAccRun_copiesDeleteTheirLogGroups(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn := env.function(t, "logged", cpuBound)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: runConfig(env, arn, `power_values = [128, 512, 1024]
  isolation    = "copies"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(128, 512, 1024)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.untouchedCheck("logged", "logged"),
				env.noCopyLogGroups(3),
			),
		}},
	})
}

// stagedObjectsGone checks that the staging bucket holds only what it held
// before the run.
func (e *accEnv) stagedObjectsGone(bucket string, want ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := e.sim.Objects(bucket); fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("objects in %s = %v after the run, want %v", bucket, got, want)
		}
		if n := e.sim.Stats().Requests["PutObject"]; n != 1 {
			return fmt.Errorf("PutObject calls = %d, want the package staged once", n)
		}
		return nil
	}
}

func TestAccRun_copiesStageLargePackagesThroughS3(t *testing.T) {
	env := newAccEnv(t, lambdasim.Options{})
	arn, err := env.sim.AddFunction(lambdasim.FunctionSpec{Name: "large", MemorySize: accMemory, Timeout: 30, Environment: cpuBound,
		Code: lambdasim.LargeZipPackage(51<<20, 1)})
	if err != nil {
		t.Fatal(err)
	}
	env.sim.PutObject("staging", "other/kept.txt", []byte("not the tuner's"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      runConfig(env, arn, `copies_code_s3_uri = "s3://staging/tuner"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)copies_code_s3_uri.*only applies with isolation = "copies"`),
			},
			{
				Config: runConfig(env, arn, `isolation          = "copies"
  copies_code_s3_uri = "https://staging/tuner"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)copies_code_s3_uri.*s3://bucket/prefix`),
			},
			{
				// Without a staging location: an error naming the size, the
				// limit and the argument, before any copy is created.
				Config: runConfig(env, arn, `power_values = [128, 512, 1024]
  isolation    = "copies"`),
				ExpectError: regexp.MustCompile(`(?s)51\.0 MB.*50 MB.*copies_code_s3_uri`),
			},
			{
				Config: runConfig(env, arn, `power_values       = [128, 512, 1024]
  isolation          = "copies"
  copies_code_s3_uri = "s3://staging/tuner"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(runAddress, tfjsonpath.New("results"), resultsOf(128, 512, 1024)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.untouchedCheck("large", "large"),
					env.stagedObjectsGone("staging", "other/kept.txt"),
				),
			},
		},
	})
}
