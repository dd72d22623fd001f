package tuning

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// TestE2EManagedComparedWithOnDemand: at 200 requests a second, the report
// names the monthly cost on Lambda Managed Instances and on on-demand
// Lambda, and its sentence calls cheaper the one the figures make cheaper,
// for a function on the capacity provider and for one on Lambda's own
// fleet tuned onto it.
func TestE2EManagedComparedWithOnDemand(t *testing.T) {
	for _, onProvider := range []bool{true, false} {
		name := map[bool]string{true: "on the capacity provider", false: "on-demand, onto the capacity provider"}[onProvider]
		t.Run(name, func(t *testing.T) {
			env := startManagedSim(t, lambdasim.Options{})
			vars := map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"}
			arn := env.lmiFunction("priced", vars)
			in := managedInput(arn, []int32{2048}, 4, 16)
			if !onProvider {
				arn = env.addFunction(lambdasim.FunctionSpec{Name: "priced-od", MemorySize: 512, Environment: vars})
				in = managedInput(arn, []int32{2048}, 4, 16)
				in.ManagedInstances.CapacityProviderARN = fleetARN
			}
			in.PowerValues = []int32{256, 1024}
			in.ManagedInstances.RequestsPerSecond, in.ManagedInstances.CompareOnDemand = 200, true
			rep, err := env.runManaged(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			m := rep.Managed
			if m.Monthly == nil || m.OnDemand == nil || m.Optimum == nil {
				t.Fatalf("monthly %+v, on-demand %+v: want both", m.Monthly, m.OnDemand)
			}
			it, _ := analysis.ManagedInstanceType(m.Optimum.Instance)
			it.Architecture = "x86_64"
			want := analysis.MonthlyOnManaged(*m.Optimum, it, 200)
			if math.Abs(m.Monthly.Cost-want.Cost) > 1e-6 || m.Monthly.Instances != want.Instances {
				t.Errorf("monthly on Lambda Managed Instances %+v, want %+v from the optimum's figures", *m.Monthly, want)
			}
			if m.OnDemand.Power != 256 && m.OnDemand.Power != 1024 || m.OnDemand.CostPerInvocation <= 0 {
				t.Errorf("on-demand side %+v, want one of the top-level power values and its cost", *m.OnDemand)
			}
			if od := analysis.MonthlyOnDemand(m.OnDemand.CostPerInvocation, 200); math.Abs(m.OnDemand.MonthlyCost-od) > 1e-6 {
				t.Errorf("monthly on-demand %.4f, want %.4f", m.OnDemand.MonthlyCost, od)
			}
			cheaper := "On-demand Lambda costs"
			if m.Monthly.Cost < m.OnDemand.MonthlyCost {
				cheaper = "Lambda Managed Instances cost"
			}
			t.Logf("%s (managed %.2f, on-demand %.2f at %d MB)", m.Comparison, m.Monthly.Cost, m.OnDemand.MonthlyCost, m.OnDemand.Power)
			if !strings.HasPrefix(m.Comparison, cheaper) {
				t.Errorf("comparison %q, want it to start %q", m.Comparison, cheaper)
			}
			for _, cost := range []float64{m.Monthly.Cost, m.OnDemand.MonthlyCost} {
				if !strings.Contains(m.Comparison, fmt.Sprintf("%.2f USD", cost)) {
					t.Errorf("comparison %q does not name %.2f", m.Comparison, cost)
				}
			}
		})
	}
}

func TestE2EManagedRefusalsBeforeAnyChange(t *testing.T) {
	t.Run("an on-demand function without capacity_provider_arn", func(t *testing.T) {
		env := startManagedSim(t, lambdasim.Options{})
		arn := env.addFunction(lambdasim.FunctionSpec{Name: "od", MemorySize: 2048, Environment: cpuBound(nil)})
		from := env.callsSoFar()
		_, err := env.runManaged(context.Background(), managedInput(arn, []int32{2048}, 4))
		var input *spec.InputError
		if !errors.As(err, &input) || input.Attribute != spec.AttrManagedProvider || !strings.Contains(err.Error(), "managed_instances.capacity_provider_arn") {
			t.Fatalf("error = %v, want a refusal naming managed_instances.capacity_provider_arn", err)
		}
		env.assertNothingChangedSince(from, "od")
	})
	t.Run("a capacity provider that is not Active", func(t *testing.T) {
		env := startManagedSim(t, lambdasim.Options{CapacityProviderDelay: time.Hour})
		lam := env.lambda("us-east-1").(*lambda.Client)
		_, err := lam.CreateCapacityProvider(context.Background(), &lambda.CreateCapacityProviderInput{CapacityProviderName: aws.String("starting"),
			PermissionsConfig: &types.CapacityProviderPermissionsConfig{CapacityProviderOperatorRoleArn: aws.String("arn:aws:iam::123456789012:role/operator")},
			VpcConfig:         &types.CapacityProviderVpcConfig{SubnetIds: []string{"subnet-1"}, SecurityGroupIds: []string{"sg-1"}}})
		if err != nil {
			t.Fatal(err)
		}
		arn := env.addFunction(lambdasim.FunctionSpec{Name: "od", MemorySize: 2048, Environment: cpuBound(nil)})
		in := managedInput(arn, []int32{2048}, 4)
		in.ManagedInstances.CapacityProviderARN = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:starting"
		from := env.callsSoFar()
		_, err = env.runManaged(context.Background(), in)
		var notActive *faults.CapacityProviderNotActiveError
		if !errors.As(err, &notActive) || notActive.State != "Pending" || !strings.Contains(err.Error(), "nothing was created or changed") {
			t.Fatalf("error = %v, want the capacity provider refused as Pending", err)
		}
		env.assertNothingChangedSince(from, "od")
	})
}
