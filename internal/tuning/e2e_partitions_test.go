package tuning

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/copies"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// overridePrice is a price no built-in row has, so a cost shows it was used.
var overridePrice = analysis.Price{PerGBSecond: 0.00002, PerRequest: 0.25, Currency: analysis.CurrencyUSD}

func withPrices(keys ...analysis.PriceKey) func(*Config) {
	return func(c *Config) {
		c.Prices = analysis.PriceTable{Overrides: map[analysis.PriceKey]analysis.Price{}}
		for _, k := range keys {
			c.Prices.Overrides[k] = overridePrice
		}
	}
}

func TestE2EARegionWithoutAPriceIsRefusedBeforeAnyChange(t *testing.T) {
	for _, region := range []string{"eusc-de-east-1", "us-gov-west-1", "us-isob-east-1"} {
		t.Run(region, func(t *testing.T) {
			env := startSim(t, lambdasim.Options{})
			arn := env.addFunction(lambdasim.FunctionSpec{Name: "sovereign", Region: region, MemorySize: 256, Environment: cpuBound(nil)})
			if want := "arn:" + spec.PartitionOf(region) + ":lambda:" + region + ":"; !strings.HasPrefix(arn, want) {
				t.Fatalf("the emulator named the function %s, want an ARN starting %s", arn, want)
			}
			before, from := env.state(arn), env.callsSoFar()
			_, err := env.engine().Run(context.Background(), spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}})
			var unpriced *faults.UnpricedRegionError
			if !errors.As(err, &unpriced) || unpriced.Region != region || unpriced.Architecture != analysis.ArchX86_64 {
				t.Fatalf("error = %v, want an UnpricedRegionError for x86_64 in %s", err, region)
			}
			for _, want := range []string{"lambda_prices", region, "x86_64", "nothing was changed"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			env.assertNothingChangedSince(from, "sovereign")
			env.assertRestored(arn, before)
		})
	}
}

func TestE2EAFunctionInTheEuropeanSovereignCloudIsTunedAtTheGivenPrices(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	const region = "eusc-de-east-1"
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "sovereign", Region: region, MemorySize: 256, Environment: cpuBound(nil)})
	if !strings.HasPrefix(arn, "arn:aws-eusc:lambda:eusc-de-east-1:") {
		t.Fatalf("the emulator named the function %s, want an aws-eusc ARN", arn)
	}
	rep, err := env.runTuning(arn, spec.Input{Num: 5, PowerValues: []int32{128, 512}},
		withPrices(analysis.PriceKey{Region: region, Architecture: analysis.ArchX86_64}))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Region != region || rep.FunctionARN != arn {
		t.Errorf("report names %s in %s, want %s in %s", rep.FunctionARN, rep.Region, arn, region)
	}
	for _, res := range rep.Results {
		// The override's request price alone is 0.25 an invocation.
		if res.AverageCost < overridePrice.PerRequest || res.AverageCost > overridePrice.PerRequest+0.001 {
			t.Errorf("%d MB costs %g on average, want the override's price (0.25 a request plus duration)", res.Power, res.AverageCost)
		}
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings %q, want none", rep.Warnings)
	}
}

func TestE2EEveryComparedArchitectureNeedsAPrice(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	const region = "eusc-de-east-1"
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "sovereign", Region: region, Environment: cpuBound(nil)})
	from := env.callsSoFar()
	_, err := env.engine(withPrices(analysis.PriceKey{Region: region, Architecture: analysis.ArchX86_64})).Run(context.Background(),
		spec.Input{LambdaARN: arn, Num: 5, PowerValues: []int32{128, 512}, Isolation: spec.IsolationCopies,
			Architectures: []string{analysis.ArchX86_64, analysis.ArchARM64}})
	var unpriced *faults.UnpricedRegionError
	if !errors.As(err, &unpriced) || unpriced.Architecture != analysis.ArchARM64 || unpriced.Region != region {
		t.Fatalf("error = %v, want an UnpricedRegionError for arm64 in %s", err, region)
	}
	env.assertNothingChangedSince(from, "sovereign")
}

func TestE2EPermissionAdviceNamesTheFunctionsPartition(t *testing.T) {
	env := startSim(t, lambdasim.Options{})
	const region = "eusc-de-east-1"
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "sovereign", Region: region, Environment: cpuBound(nil)})
	env.sim.InjectFault(lambdasim.Fault{Operation: "DeleteLogGroup", Count: 3, Status: 400, Code: "AccessDeniedException",
		Message: "User is not authorized to perform: logs:DeleteLogGroup"})
	rep, err := env.engine(withPrices(analysis.PriceKey{Region: region, Architecture: analysis.ArchX86_64})).Run(context.Background(), copiesInput(arn))
	if err != nil {
		t.Fatal(err)
	}
	want := "logs:DeleteLogGroup on arn:aws-eusc:logs:eusc-de-east-1:123456789012:log-group:/aws/lambda/" + copies.NamePrefix(arn) + "*"
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], want) {
		t.Errorf("warnings %q, want one asking for %s", rep.Warnings, want)
	}
}
