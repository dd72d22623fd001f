package tuning

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// mutatingOperations are the calls that change a function.
var mutatingOperations = []string{"UpdateFunctionConfiguration", "PublishVersion", "CreateAlias", "UpdateAlias", "DeleteAlias", "DeleteFunction", "Invoke"}

// userAlias publishes $LATEST and points a new alias with description at it,
// as a user of the function would.
func (env *simEnv) userAlias(arn, name, description string) {
	env.t.Helper()
	ctx := context.Background()
	lam := env.lambda("us-east-1")
	v, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn})
	if err != nil {
		env.t.Fatal(err)
	}
	if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: &name, FunctionVersion: v.Version,
		Description: optional(description)}); err != nil {
		env.t.Fatal(err)
	}
}

// assertUnchanged checks that the function is exactly as before: $LATEST,
// every alias and every version.
func (env *simEnv) assertUnchanged(arn string, before functionState) {
	env.t.Helper()
	after := env.state(arn)
	if after.Memory != before.Memory || after.Description != before.Description ||
		!maps.Equal(after.Aliases, before.Aliases) || !slices.Equal(after.Versions, before.Versions) {
		env.t.Errorf("function after the run = %+v, want it unchanged: %+v", after, before)
	}
}

func TestE2EUserAliasNamedLikeTheRunsStopsItBeforeAnyChange(t *testing.T) {
	tests := []struct {
		name    string
		aliases []string // the user's, each on its own version
		in      spec.Input
		want    string // in the error
	}{
		{name: "plain", aliases: []string{"RAM512"}, in: spec.Input{PowerValues: []int32{256, 512}},
			want: "RAM512 (version 1); rename or delete that alias, or drop 512 from power_values"},
		{name: "cold start variant", aliases: []string{"RAM512-3"}, in: spec.Input{PowerValues: []int32{256, 512}, OnlyColdStarts: true},
			want: "RAM512-3 (version 1); rename or delete that alias, or drop 512 from power_values"},
		{name: "several", aliases: []string{"RAM512", "RAM256"}, in: spec.Input{PowerValues: []int32{256, 512, 1024}},
			want: "RAM256 (version 1), RAM512 (version 1); rename or delete those aliases, or drop 256, 512 from power_values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "owned", MemorySize: 384, Description: "mine", Environment: cpuBound(nil)})
			for _, name := range tt.aliases {
				env.userAlias(arn, name, "blue/green") // $LATEST unchanged: all on version 1
			}
			before := env.state(arn)
			requests := env.sim.Stats().Requests
			in := tt.in
			in.LambdaARN, in.Num = arn, 5
			_, err := env.engine().Run(context.Background(), in)
			var step *faults.StepError
			if !errors.Is(err, faults.ErrAliasNotOurs) || !errors.As(err, &step) || step.Operation != "ListAliases" || step.Function != arn {
				t.Fatalf("error = %v, want a ListAliases StepError on %s wrapping ErrAliasNotOurs", err, arn)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			after := env.sim.Stats().Requests
			for _, op := range mutatingOperations {
				if after[op] != requests[op] {
					t.Errorf("%d %s requests before the run stopped, want none", after[op]-requests[op], op)
				}
			}
			env.assertUnchanged(arn, before)
		})
	}
}

func TestE2EUserAliasesTheRunDoesNotCreateAreLeftAlone(t *testing.T) {
	tests := []struct {
		name       string
		aliases    []string
		coldStarts bool
	}{
		// A plain run creates RAM256 and RAM512.
		{name: "plain", aliases: []string{"RAM512-0", "RAM512-7"}},
		// With 5 cold starts, RAM256-0…4 and RAM512-0…4.
		{name: "cold starts", aliases: []string{"RAM512", "RAM512-7"}, coldStarts: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "lookalike", MemorySize: 384, Environment: cpuBound(nil)})
			for _, name := range tt.aliases {
				env.userAlias(arn, name, "")
			}
			before := env.state(arn)
			if _, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512}, OnlyColdStarts: tt.coldStarts}); err != nil {
				t.Fatal(err)
			}
			env.assertUnchanged(arn, before)
		})
	}
}

func TestE2ELeftoverAliasOfARunIsRecoveredAndDeleted(t *testing.T) {
	for _, alias := range []string{"RAM512", "RAM512-2"} {
		t.Run(alias, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "leftover", MemorySize: 384, Environment: cpuBound(nil)})
			env.userAlias(arn, alias, "awspowertuning run 0badc0de")
			var events recorder
			rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{256, 512}, OnlyColdStarts: strings.Contains(alias, "-")},
				func(c *Config) { c.Progress = events.record })
			if err != nil {
				t.Fatal(err)
			}
			// runTuning checked that no RAM alias is left.
			if rep.Results[1].Invocations != 5 {
				t.Errorf("512 MB: %d invocations, want 5", rep.Results[1].Invocations)
			}
			if rep.Recovery == nil || !slices.Equal(rep.Recovery.DeletedAliases, []string{alias}) || rep.Recovery.RunID != "" {
				t.Fatalf("recovery = %+v, want the leftover %s deleted, without a record", rep.Recovery, alias)
			}
			if !strings.Contains(rep.Recovery.String(), "deleted alias "+alias) {
				t.Errorf("recovery summary %q does not list %s", rep.Recovery.String(), alias)
			}
		})
	}
}

// aliasRacer creates an alias named like the run's just before the run's
// own CreateAlias of that name, as someone working on the function at the
// same time would.
type aliasRacer struct {
	awsapi.Clients
	name, description, version string
	once                       *sync.Once
}

func (c aliasRacer) Lambda(region string) awsapi.LambdaAPI {
	return aliasRacerLambda{LambdaAPI: c.Clients.Lambda(region), racer: c}
}

type aliasRacerLambda struct {
	awsapi.LambdaAPI
	racer aliasRacer
}

func (l aliasRacerLambda) CreateAlias(ctx context.Context, in *lambda.CreateAliasInput, o ...func(*lambda.Options)) (*lambda.CreateAliasOutput, error) {
	var err error
	if aws.ToString(in.Name) == l.racer.name {
		l.racer.once.Do(func() {
			_, err = l.LambdaAPI.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: in.FunctionName, Name: in.Name,
				FunctionVersion: &l.racer.version, Description: optional(l.racer.description)})
		})
	}
	if err != nil {
		return nil, err
	}
	return l.LambdaAPI.CreateAlias(ctx, in, o...)
}

func TestE2EAliasCreatedDuringTheRunIsNotTakenOver(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "raced", MemorySize: 384, Description: "mine", Environment: cpuBound(nil)})
	ctx := context.Background()
	v, err := env.lambda("us-east-1").PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn})
	if err != nil {
		t.Fatal(err)
	}
	before := env.state(arn)
	racer := aliasRacer{Clients: env.clients, name: "RAM512", description: "blue/green", version: aws.ToString(v.Version), once: new(sync.Once)}
	_, err = env.engine(func(c *Config) { c.Clients = racer }).Run(ctx, spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{256, 512, 1024}})
	var step *faults.StepError
	if !errors.Is(err, faults.ErrAliasNotOurs) || !errors.As(err, &step) || step.Operation != "CreateAlias" || step.Power != 512 {
		t.Fatalf("error = %v, want a CreateAlias StepError at 512 MB wrapping ErrAliasNotOurs", err)
	}
	if !strings.Contains(err.Error(), "RAM512 (version 1)") {
		t.Errorf("error %q does not name the alias and its version", err)
	}
	var ce *faults.CleanupError
	if errors.As(err, &ce) {
		t.Errorf("clean-up failed: %v", ce)
	}
	// Everything is as before, plus the other person's alias, untouched.
	before.Aliases["RAM512"] = aws.ToString(v.Version)
	env.assertUnchanged(arn, before)
	got, err := env.lambda("us-east-1").GetAlias(ctx, &lambda.GetAliasInput{FunctionName: &arn, Name: aws.String("RAM512")})
	if err != nil || aws.ToString(got.Description) != "blue/green" {
		t.Errorf("alias RAM512 = %+v (%v), want the other person's, description blue/green", got, err)
	}

	t.Run("a run's alias appearing is taken over", func(t *testing.T) {
		env := startSim(t, lambdasim.Options{})
		arn := env.addFunction(lambdasim.FunctionSpec{Name: "raced", MemorySize: 384, Environment: cpuBound(nil)})
		v, err := env.lambda("us-east-1").PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn})
		if err != nil {
			t.Fatal(err)
		}
		racer := aliasRacer{Clients: env.clients, name: "RAM512", description: "awspowertuning run 0badc0de", version: aws.ToString(v.Version), once: new(sync.Once)}
		rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{256, 512}}, func(c *Config) { c.Clients = racer })
		if err != nil {
			t.Fatal(err)
		}
		if rep.Results[1].Invocations != 5 || rep.Results[1].Failed {
			t.Errorf("512 MB: %+v, want 5 invocations on the taken-over alias", rep.Results[1])
		}
	})
}
