package managed

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/faults"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// defaultMaxVCpus is what Lambda allows a capacity provider that names no
// MaxVCpuCount.
const defaultMaxVCpus = 400

// Resolve reads, changing nothing, the capacity provider the copies go on
// and which settings Lambda can run there; it refuses a run that could
// only fail once copies exist.
func (t *Tuner) Resolve(ctx context.Context) error {
	out, err := t.env.Fn.Await(ctx)
	if err != nil {
		return err
	}
	c := out.Configuration
	arn := t.m.CapacityProviderARN
	if arn == "" {
		arn = ownProvider(c)
	}
	if arn == "" {
		return &spec.InputError{Attribute: spec.AttrManagedProvider, Message: fmt.Sprintf("%s runs on Lambda's own fleet, not on a "+
			"capacity provider, so the run stopped before creating or changing anything: set %s to the capacity provider the copies "+
			"of the function are to be measured on", t.env.Fn.ARN(), spec.AttrManagedProvider)}
	}
	p, err := t.readProvider(ctx, arn)
	if err != nil {
		return err
	}
	if arch := architectureOf(c); p.architecture != "" && p.architecture != arch {
		return &spec.InputError{Attribute: spec.AttrManagedProvider, Message: fmt.Sprintf("the capacity provider %s launches %s "+
			"instances and %s is built for %s, so the run stopped before creating or changing anything: name a capacity provider "+
			"of the function's architecture", arn, p.architecture, t.env.Fn.ARN(), arch)}
	}
	t.provider = p
	return t.chooseSettings(aws.ToInt32(c.MemorySize))
}

// readProvider reads the capacity provider and prices its instance types.
func (t *Tuner) readProvider(ctx context.Context, arn string) (provider, error) {
	out, err := t.env.Fn.Lambda().GetCapacityProvider(ctx, &lambda.GetCapacityProviderInput{CapacityProviderName: aws.String(arn)})
	if err != nil {
		step := &faults.StepError{Operation: "GetCapacityProvider", Function: t.env.Fn.ARN(), Err: fmt.Errorf("reading the capacity provider %s "+
			"(nothing was created or changed; the provider's credentials need lambda:GetCapacityProvider on it): %w", arn, err)}
		if faults.IsNotFound(err) && t.m.CapacityProviderARN != "" {
			return provider{}, &spec.InputError{Attribute: spec.AttrManagedProvider, Message: step.Error(), Err: step}
		}
		return provider{}, step
	}
	cp := out.CapacityProvider
	if cp == nil {
		return provider{}, &faults.StepError{Operation: "GetCapacityProvider", Function: t.env.Fn.ARN(), Err: fmt.Errorf("the answer for %s has no capacity provider", arn)}
	}
	if cp.State != types.CapacityProviderStateActive {
		return provider{}, &faults.CapacityProviderNotActiveError{CapacityProvider: arn, State: string(cp.State)}
	}
	p := provider{arn: arn, maxVCpus: defaultMaxVCpus}
	if sc := cp.CapacityProviderScalingConfig; sc != nil && aws.ToInt32(sc.MaxVCpuCount) > 0 {
		p.maxVCpus = int(aws.ToInt32(sc.MaxVCpuCount))
	}
	var ir types.InstanceRequirements
	if cp.InstanceRequirements != nil {
		ir = *cp.InstanceRequirements
	}
	p.architecture = string(types.ArchitectureX8664)
	if len(ir.Architectures) > 0 {
		p.architecture = string(ir.Architectures[0])
	}
	p.types, err = t.instanceTypes(arn, p.architecture, ir)
	return p, err
}

// instanceTypes are the types the provider may launch that the run can
// price: the built-in table's (at instance_price_per_hour when given).
// Types the table does not know are left out with a warning, as their
// size is unknown.
func (t *Tuner) instanceTypes(arn, architecture string, ir types.InstanceRequirements) ([]analysis.InstanceType, error) {
	var out []analysis.InstanceType
	known := map[string]bool{}
	for _, it := range analysis.ManagedInstanceTypes() {
		known[it.Name] = true
		switch {
		case it.Architecture != architecture:
		case len(ir.AllowedInstanceTypes) > 0 && !slices.Contains(ir.AllowedInstanceTypes, it.Name):
		case slices.Contains(ir.ExcludedInstanceTypes, it.Name):
		default:
			if t.m.InstancePricePerHour > 0 {
				it.PricePerHour = t.m.InstancePricePerHour
			}
			out = append(out, it)
		}
	}
	var unknown []string
	for _, name := range ir.AllowedInstanceTypes {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 && t.env.Warn != nil {
		t.env.Warn(fmt.Sprintf("The capacity provider %s allows instance types the provider's built-in table does not know (%s): "+
			"settings are priced on the others only.", arn, strings.Join(unknown, ", ")))
	}
	if len(out) == 0 {
		return nil, &spec.InputError{Attribute: spec.AttrManagedProvider, Message: fmt.Sprintf("none of the instance types the capacity "+
			"provider %s may launch is in the built-in table of sizes and prices (dated %s), so no setting could be priced and nothing "+
			"was created or changed: allow at least one of its %s types", arn, analysis.ManagedPricesDate, architecture)}
	}
	return out, nil
}

// chooseSettings keeps the settings Lambda can run on the provider: at
// least one vCPU per environment, and an instance type that holds one.
func (t *Tuner) chooseSettings(functionMemory int32) error {
	powers := []int32{functionMemory}
	if len(t.m.PowerValues) == 0 && functionMemory < spec.MinManagedPower {
		return &spec.InputError{Attribute: spec.AttrManagedPowerValues, Message: fmt.Sprintf("the function has %d MB, below the %d MB "+
			"Lambda Managed Instances start at, so nothing was created or changed: list the memory sizes to measure in %s",
			functionMemory, spec.MinManagedPower, spec.AttrManagedPowerValues)}
	}
	var skipped []string
	for _, s := range t.m.Settings(powers) {
		setting := analysis.ManagedSetting{Power: int32(s[0]), MemoryPerVCPU: s[1], Concurrency: int(s[2])}
		switch {
		case setting.VCPUs() < 1:
			skipped = append(skipped, fmt.Sprintf("%s (less than one vCPU)", setting))
		case !t.fits(setting):
			skipped = append(skipped, fmt.Sprintf("%s (no instance type of the capacity provider holds it)", setting))
		default:
			t.settings = append(t.settings, setting)
		}
	}
	if len(skipped) > 0 && t.env.Warn != nil {
		t.env.Warn("Lambda cannot run these settings, which the run leaves out: " + strings.Join(skipped, "; ") + ".")
	}
	if len(t.settings) == 0 {
		return &spec.InputError{Attribute: spec.AttrManagedInstances, Message: "Lambda can run none of the settings asked for on the " +
			"capacity provider " + t.provider.arn + ", so nothing was created or changed: " + strings.Join(skipped, "; ")}
	}
	return nil
}

// fits says whether an instance type of the provider holds an environment
// of s.
func (t *Tuner) fits(s analysis.ManagedSetting) bool {
	for _, it := range t.provider.types {
		if it.EnvironmentsPerInstance(s) > 0 {
			return true
		}
	}
	return false
}

// ownProvider is the capacity provider the function runs on; "" on
// Lambda's own fleet.
func ownProvider(c *types.FunctionConfiguration) string {
	if c.CapacityProviderConfig == nil || c.CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig == nil {
		return ""
	}
	return aws.ToString(c.CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig.CapacityProviderArn)
}

func architectureOf(c *types.FunctionConfiguration) string {
	if len(c.Architectures) > 0 {
		return string(c.Architectures[0])
	}
	return string(types.ArchitectureX8664)
}
