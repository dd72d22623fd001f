package tuning

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// canary is a function whose alias live sends 90 % to version 1 and 10 %
// to version 2, as CodeDeploy's canary does.
func (env *simEnv) canary(name string) string {
	env.t.Helper()
	arn := env.addFunction(lambdasim.FunctionSpec{Name: name, MemorySize: 256, Environment: cpuBound(nil)})
	lam := env.lambda("us-east-1")
	ctx := context.Background()
	v1, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn, Description: aws.String("v1")})
	if err != nil {
		env.t.Fatal(err)
	}
	if _, err := lam.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: &arn, Timeout: aws.Int32(61)}); err != nil {
		env.t.Fatal(err)
	}
	waitSettled(env.t, lam, arn)
	v2, err := lam.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: &arn, Description: aws.String("v2")})
	if err != nil {
		env.t.Fatal(err)
	}
	if _, err := lam.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: &arn, Name: aws.String("live"), FunctionVersion: v1.Version,
		RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{aws.ToString(v2.Version): 0.1}}}); err != nil {
		env.t.Fatal(err)
	}
	return arn
}

func weightedInput(arn, routing string) spec.Input {
	return spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 1024}, AutoOptimize: true, AutoOptimizeAlias: "live",
		AutoOptimizeAllowUnreleased: true, AutoOptimizeAliasRouting: routing}
}

func TestE2EAWeightedAliasIsRefusedWithoutTheOptIn(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	arn := env.canary("canary")
	before := env.state(arn)
	counter := &dyingLambda{}
	_, err := env.engine(func(c *Config) { c.Clients = counter.clients(env.clients) }).Run(context.Background(), weightedInput(arn, ""))
	var weighted *faults.WeightedAliasError
	if !errors.As(err, &weighted) || weighted.Alias != "live" || weighted.Weights["2"] != 0.1 {
		t.Fatalf("error = %v, want a WeightedAliasError naming live and its 10 %% to version 2", err)
	}
	for _, want := range []string{"90 % to version 1", "10 % to version 2", `auto_optimize_alias_routing = "keep"`, `"clear"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if counter.count() != 0 {
		t.Errorf("changes %v were sent before refusing, want none", counter.mutations)
	}
	env.assertUnchanged(arn, before)
}

func TestE2EAWeightedAliasMovesAsTheOptInSays(t *testing.T) {
	for _, routing := range []string{spec.AliasRoutingKeep, spec.AliasRoutingClear} {
		t.Run(routing, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.canary("canary")
			if _, err := env.engine().Run(context.Background(), weightedInput(arn, routing)); err != nil {
				t.Fatal(err)
			}
			a, err := env.lambda("us-east-1").GetAlias(context.Background(), &lambda.GetAliasInput{FunctionName: &arn, Name: aws.String("live")})
			if err != nil {
				t.Fatal(err)
			}
			var weights map[string]float64
			if a.RoutingConfig != nil {
				weights = a.RoutingConfig.AdditionalVersionWeights
			}
			moved := aws.ToString(a.FunctionVersion) != "1"
			switch {
			case !moved:
				t.Errorf("live still serves version 1, want the optimum's version")
			case routing == spec.AliasRoutingKeep && weights["2"] != 0.1:
				t.Errorf("routing %v, want version 2 kept at 10 %%", weights)
			case routing == spec.AliasRoutingClear && len(weights) != 0:
				t.Errorf("routing %v, want none", weights)
			}
		})
	}
}

func TestE2EARecoveryTellsTheAliasAKilledRunMoved(t *testing.T) {
	in := spec.Input{Num: 5, PowerValues: []int32{256, 512}, AutoOptimize: true, AutoOptimizeAlias: "live", AutoOptimizeAllowUnreleased: true}
	// The move is the call after which the process dies.
	counting := startSim(t, lambdasim.Options{})
	arn := setUpUserFunction(counting)
	in.LambdaARN = arn
	counter := &dyingLambda{}
	if _, err := counting.engine(func(c *Config) { c.Clients = counter.clients(counting.clients) }).Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	move := slices.Index(counter.mutations, "UpdateAlias live") + 1
	if move == 0 {
		t.Fatalf("no move of live among %v", counter.mutations)
	}

	env := startSim(t, lambdasim.Options{})
	arn = setUpUserFunction(env)
	in.LambdaARN = arn
	liveBefore := env.state(arn).Aliases["live"]
	dying := &dyingLambda{limit: move}
	_, _ = env.engine(func(c *Config) { c.Clients = dying.clients(env.clients) }).Run(context.Background(), in)
	rep, err := env.engine(func(c *Config) { c.Clock = laterClock{by: time.Hour} }).Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Recovery == nil {
		t.Fatal("the run after the kill reports no recovery")
	}
	summary := rep.Recovery.String()
	if !strings.Contains(summary, "alias live had been moved from version "+liveBefore) || strings.Contains(summary, "changed nothing") {
		t.Errorf("recovery says %q, want the move of live from version %s told", summary, liveBefore)
	}
}
