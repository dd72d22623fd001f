package tuning

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/awsclient"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/lambdaops"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/progress"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/waiter"
)

// simEnv is an emulator plus the engine's clients pointed at it.
type simEnv struct {
	t       *testing.T
	sim     *lambdasim.Server
	clients awsapi.Clients
}

// startSim starts a seeded emulator with a short update delay and time
// scale 0 unless opts says otherwise.
func startSim(t *testing.T, opts lambdasim.Options) *simEnv {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	if opts.UpdateDelay == 0 {
		opts.UpdateDelay = 5 * time.Millisecond
	}
	sim, err := lambdasim.Start(opts)
	if err != nil {
		t.Fatalf("starting lambdasim: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return &simEnv{t: t, sim: sim, clients: simClients(sim.URL(), 2*time.Millisecond)}
}

// simClients builds the production clients against the emulator, with a
// tiny backoff so retried throttles cost milliseconds, and request budgets
// far above Lambda's, as the emulator answers at once.
func simClients(url string, maxBackoff time.Duration) awsapi.Clients {
	return simClientsWithRates(url, maxBackoff, awsclient.RequestRates{ControlPlane: 100_000, GetFunction: 100_000})
}

// simClientsWithRates is simClients with the given request budgets (zero
// fields: the production defaults).
func simClientsWithRates(url string, maxBackoff time.Duration, rates awsclient.RequestRates) awsapi.Clients {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
	}
	return awsapi.FromSDK(awsclient.New(cfg, awsclient.ClientOptions{LambdaEndpoint: url, S3Endpoint: url, LogsEndpoint: url, MaxBackoff: maxBackoff, Rates: rates}))
}

// engine returns an Engine on the emulator with fast polling and a fixed seed.
func (env *simEnv) engine(mods ...func(*Config)) *Engine {
	cfg := Config{
		Clients:        env.clients,
		Waits:          waiter.Settings{Min: time.Millisecond, Max: 5 * time.Millisecond, Timeout: 10 * time.Second},
		CleanupTimeout: 10 * time.Second,
		Seed:           7,
	}
	for _, mod := range mods {
		mod(&cfg)
	}
	return New(cfg)
}

// addFunction creates a simulated function and returns its ARN.
func (env *simEnv) addFunction(spec lambdasim.FunctionSpec) string {
	env.t.Helper()
	if spec.Timeout == 0 {
		spec.Timeout = 60 // noise outliers at 128 MB must not time out
	}
	arn, err := env.sim.AddFunction(spec)
	if err != nil {
		env.t.Fatalf("adding function %s: %v", spec.Name, err)
	}
	return arn
}

// lambda is a raw SDK client for assertions, in the function's region.
func (env *simEnv) lambda(region string) awsapi.LambdaAPI { return env.clients.Lambda(region) }

// functionState is what a run must leave as it found it.
type functionState struct {
	Memory      int32
	Description string
	Aliases     map[string]string // name → version
	Versions    []string
}

// state reads the function's $LATEST, aliases and versions via the SDK.
func (env *simEnv) state(arn string) functionState {
	env.t.Helper()
	region, _, _ := spec.ParseFunctionARN(arn)
	lam := env.lambda(region)
	ctx := context.Background()
	c, err := lam.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(arn)})
	if err != nil {
		env.t.Fatalf("GetFunctionConfiguration: %v", err)
	}
	st := functionState{Memory: aws.ToInt32(c.MemorySize), Description: aws.ToString(c.Description), Aliases: map[string]string{}}
	aliases := lambda.NewListAliasesPaginator(lam, &lambda.ListAliasesInput{FunctionName: aws.String(arn)})
	for aliases.HasMorePages() {
		page, err := aliases.NextPage(ctx)
		if err != nil {
			env.t.Fatalf("ListAliases: %v", err)
		}
		for _, a := range page.Aliases {
			st.Aliases[aws.ToString(a.Name)] = aws.ToString(a.FunctionVersion)
		}
	}
	versions := lambda.NewListVersionsByFunctionPaginator(lam, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(arn)})
	for versions.HasMorePages() {
		page, err := versions.NextPage(ctx)
		if err != nil {
			env.t.Fatalf("ListVersionsByFunction: %v", err)
		}
		for _, v := range page.Versions {
			if aws.ToString(v.Version) != lambdaops.Latest {
				st.Versions = append(st.Versions, aws.ToString(v.Version))
			}
		}
	}
	slices.Sort(st.Versions)
	return st
}

// assertRestored checks that no RAM alias and no run-created version remain
// and that $LATEST memory and description are as before the run.
func (env *simEnv) assertRestored(arn string, before functionState) {
	env.t.Helper()
	after := env.state(arn)
	for name := range after.Aliases {
		if strings.HasPrefix(name, "RAM") {
			env.t.Errorf("alias %s remains after the run", name)
		}
	}
	if !slices.Equal(after.Versions, before.Versions) {
		env.t.Errorf("versions after the run = %v, want %v", after.Versions, before.Versions)
	}
	if after.Memory != before.Memory {
		env.t.Errorf("$LATEST memory after the run = %d MB, want %d MB", after.Memory, before.Memory)
	}
	if after.Description != before.Description {
		env.t.Errorf("$LATEST description after the run = %q, want %q", after.Description, before.Description)
	}
	for name, version := range before.Aliases {
		if !strings.HasPrefix(name, "RAM") && after.Aliases[name] != version {
			env.t.Errorf("alias %s points to %q after the run, want %q", name, after.Aliases[name], version)
		}
	}
}

// recorder collects progress events; safe for concurrent use.
type recorder struct {
	mu     sync.Mutex
	events []progress.Event
}

func (r *recorder) record(ev progress.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

// kinds are the kinds of events in order, repeats folded.
func (r *recorder) kinds() []progress.Kind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var kinds []progress.Kind
	for _, ev := range r.events {
		if len(kinds) == 0 || kinds[len(kinds)-1] != ev.Kind {
			kinds = append(kinds, ev.Kind)
		}
	}
	return kinds
}

func ptrTo[T any](v T) *T { return &v }
