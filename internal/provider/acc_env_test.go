package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/runrecord"
)

// testAccProtoV6ProviderFactories serve the provider in-process to the
// Terraform (or OpenTofu) CLI that the acceptance tests drive.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"awspowertuning": providerserver.NewProtocol6WithError(New("test")()),
}

const (
	accRegion  = "us-east-1"
	accAccount = "123456789012"
	// accMemory is the memory every test function starts with; after any run
	// it must be back to this (unless auto_optimize says otherwise).
	accMemory = 128
)

// cpuBound is a function whose duration shrinks with memory up to one vCPU:
// cheapest at low memory, fastest at high memory.
var cpuBound = map[string]string{"SIM_CPU_MS": "400", "SIM_IO_MS": "20", "SIM_INIT_MS": "250", "SIM_NOISE": "0.05"}

// accEnv is one emulator (Lambda and S3 on one URL) and an SDK client to
// inspect it, for one acceptance test.
type accEnv struct {
	sim    *lambdasim.Server
	lambda *lambda.Client
	// proxy, when set (after), stands between the provider and sim.
	proxy *simProxy
}

// newAccEnv starts an emulator that answers at once (time scale 0) with
// realistic reported durations. It skips the test without TF_ACC, like
// resource.Test would, before starting anything.
func newAccEnv(t *testing.T, opts lambdasim.Options) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (see GNUmakefile: make testacc)")
	}
	if opts.UpdateDelay == 0 {
		opts.UpdateDelay = time.Millisecond
	}
	opts.Seed = 1
	sim, err := lambdasim.Start(opts)
	if err != nil {
		t.Fatalf("starting lambdasim: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	client := lambda.New(lambda.Options{
		Region:       accRegion,
		BaseEndpoint: aws.String(sim.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	return &accEnv{sim: sim, lambda: client}
}

// function creates a function with the given SIM_* behaviour and returns its ARN.
func (e *accEnv) function(t *testing.T, name string, behaviour map[string]string) string {
	t.Helper()
	arn, err := e.sim.AddFunction(lambdasim.FunctionSpec{Name: name, MemorySize: accMemory, Timeout: 30, Environment: behaviour})
	if err != nil {
		t.Fatalf("creating function %s: %v", name, err)
	}
	return arn
}

// providerConfig points the provider at the emulator with dummy credentials
// and request budgets far above Lambda's, as the emulator answers at once.
func (e *accEnv) providerConfig() string { return e.providerConfigWith("") }

// providerConfigWith adds endpoint lines, such as another service's emulator.
func (e *accEnv) providerConfigWith(endpoints string) string {
	return endpointProviderConfig(e.endpoint(), accBudgets, endpoints)
}

// accBudgets are request budgets far above Lambda's: the emulator answers at once.
const accBudgets = `control_plane_requests_per_second = 1000
  get_function_requests_per_second  = 1000`

// providerBlock is the provider block with settings of its own (request
// budgets, concurrency) and extra endpoint lines.
func (e *accEnv) providerBlock(settings, endpoints string) string {
	return endpointProviderConfig(e.endpoint(), settings, endpoints)
}

// endpointProviderConfig points the provider's Lambda and S3 at url (the
// emulator, or moto_server) with dummy credentials, settings of its own and
// extra endpoint lines.
func endpointProviderConfig(url, settings, endpoints string) string {
	return fmt.Sprintf(`
provider "awspowertuning" {
  region     = %[2]q
  access_key = "test"
  secret_key = "test"
  %[4]s
  endpoints {
    lambda = %[1]q
    s3     = %[1]q
    logs   = %[1]q
    %[3]s
  }
}
`, url, accRegion, endpoints, settings)
}

// functionState is what a run may leave on a function.
type functionState struct {
	memory   int32
	aliases  map[string]string // name → version
	versions []string          // published versions (not $LATEST)
}

func (e *accEnv) state(ctx context.Context, function string) (functionState, error) {
	cfg, err := e.lambda.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(function)})
	if err != nil {
		return functionState{}, fmt.Errorf("GetFunctionConfiguration %s: %w", function, err)
	}
	s := functionState{memory: aws.ToInt32(cfg.MemorySize), aliases: map[string]string{}}
	aliases, err := e.lambda.ListAliases(ctx, &lambda.ListAliasesInput{FunctionName: aws.String(function)})
	if err != nil {
		return functionState{}, fmt.Errorf("ListAliases %s: %w", function, err)
	}
	for _, a := range aliases.Aliases {
		s.aliases[aws.ToString(a.Name)] = aws.ToString(a.FunctionVersion)
	}
	versions, err := e.lambda.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(function)})
	if err != nil {
		return functionState{}, fmt.Errorf("ListVersionsByFunction %s: %w", function, err)
	}
	for _, v := range versions.Versions {
		if version := aws.ToString(v.Version); version != "$LATEST" {
			s.versions = append(s.versions, version)
		}
	}
	return s, nil
}

// cleanCheck asserts that a run left nothing behind: no RAM<size> alias (see
// runrecord.IsSizeAlias), no version except those that keptAliases point to, and
// $LATEST memory at wantMemory.
func (e *accEnv) cleanCheck(function string, wantMemory int32, keptAliases ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		s, err := e.state(context.Background(), function)
		if err != nil {
			return err
		}
		var problems []string
		var keptVersions []string
		for name, version := range s.aliases {
			switch {
			case runrecord.IsSizeAlias(name):
				problems = append(problems, "run alias "+name+" left behind")
			case !slices.Contains(keptAliases, name):
				problems = append(problems, "unexpected alias "+name)
			default:
				keptVersions = append(keptVersions, version)
			}
		}
		for _, name := range keptAliases {
			if _, ok := s.aliases[name]; !ok {
				problems = append(problems, "alias "+name+" is missing")
			}
		}
		for _, v := range s.versions {
			if !slices.Contains(keptVersions, v) {
				problems = append(problems, "version "+v+" left behind")
			}
		}
		if s.memory != wantMemory {
			problems = append(problems, fmt.Sprintf("$LATEST memory is %d MB, want %d MB", s.memory, wantMemory))
		}
		if len(problems) > 0 {
			return fmt.Errorf("function %s: %s", function, strings.Join(problems, "; "))
		}
		return nil
	}
}

func functionARN(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", accRegion, accAccount, name)
}
