package lambdasim

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"time"
)

// Capacity providers: the EC2 fleets Lambda Managed Instances run on.
// They live in a region, like functions, and are Pending for
// Options.CapacityProviderDelay after they are created.

// Capacity provider states, as the SDK spells them.
const (
	providerPending  = "Pending"
	providerActive   = "Active"
	providerDeleting = "Deleting"
)

// Bounds and defaults from Lambda's API reference. AWS does not document
// what it shows for scaling when none is given: the emulator shows Auto
// with defaultMaxVCpuCount, an assumption.
const (
	maxProviderNameLen  = 140
	minMaxVCpuCount     = 2
	maxMaxVCpuCount     = 15000
	defaultMaxVCpuCount = 400
	maxScalingPolicies  = 10
	scalingAuto         = "Auto"
	scalingManual       = "Manual"
	cpuUtilizationTrack = "LambdaCapacityProviderAverageCPUUtilization"
	providerNamePattern = `(arn:aws[a-zA-Z-]*:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:capacity-provider:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+`
)

var providerName = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)

type providerKey struct {
	region string
	name   string
}

// capacityProvider is one capacity provider; doc is what the API shows,
// defaults filled in, and is never changed in place.
type capacityProvider struct {
	key      providerKey
	doc      providerJSON
	deadline time.Time // when Pending ends; zero once Active
	tags     map[string]string
}

// Request and response shapes, with the member names the SDK reads.

type providerInput struct {
	CapacityProviderName          *string
	PermissionsConfig             *providerPermissionsJSON
	VpcConfig                     *providerVpcJSON
	CapacityProviderScalingConfig *providerScalingJSON
	InstanceRequirements          *instanceRequirementsJSON
	KmsKeyArn                     *string
	PropagateTags                 json.RawMessage
	TelemetryConfig               json.RawMessage
	Tags                          map[string]string
}

type providerJSON struct {
	CapacityProviderArn           string
	State                         string
	LastModified                  string
	PermissionsConfig             *providerPermissionsJSON
	VpcConfig                     *providerVpcJSON
	CapacityProviderScalingConfig *providerScalingJSON
	InstanceRequirements          *instanceRequirementsJSON
	KmsKeyArn                     *string         `json:",omitempty"`
	PropagateTags                 json.RawMessage `json:",omitempty"`
	TelemetryConfig               json.RawMessage `json:",omitempty"`
}

type providerPermissionsJSON struct {
	CapacityProviderOperatorRoleArn *string
}

type providerVpcJSON struct {
	SecurityGroupIds []string
	SubnetIds        []string
}

type providerScalingJSON struct {
	MaxVCpuCount    *int32          `json:",omitempty"`
	ScalingMode     string          `json:",omitempty"`
	ScalingPolicies []scalingPolicy `json:",omitempty"`
}

type scalingPolicy struct {
	PredefinedMetricType string
	TargetValue          *float64
}

type instanceRequirementsJSON struct {
	AllowedInstanceTypes  []string `json:",omitempty"`
	Architectures         []string `json:",omitempty"`
	ExcludedInstanceTypes []string `json:",omitempty"`
}

// checkProviderInput checks a CreateCapacityProvider request the way AWS
// does: constraint violations together in one ValidationException, then
// the service's own rules as InvalidParameterValueException.
func checkProviderInput(in *providerInput) *apiError {
	var v violations
	switch name := in.CapacityProviderName; {
	case name == nil:
		v.addNull("capacityProviderName")
	case *name == "" || len(*name) > maxProviderNameLen:
		v.add(*name, "capacityProviderName", "Member must have length between 1 and 140")
	case !providerName.MatchString(*name):
		v.add(*name, "capacityProviderName", "Member must satisfy regular expression pattern: "+providerNamePattern)
	}
	switch p := in.PermissionsConfig; {
	case p == nil:
		v.addNull("permissionsConfig")
	case p.CapacityProviderOperatorRoleArn == nil:
		v.addNull("permissionsConfig.capacityProviderOperatorRoleArn")
	case !roleARN.MatchString(*p.CapacityProviderOperatorRoleArn):
		v.add(*p.CapacityProviderOperatorRoleArn, "permissionsConfig.capacityProviderOperatorRoleArn", "Member must satisfy regular expression pattern: "+rolePattern)
	}
	switch vpc := in.VpcConfig; {
	case vpc == nil:
		v.addNull("vpcConfig")
	case vpc.SubnetIds == nil:
		v.addNull("vpcConfig.subnetIds")
	case vpc.SecurityGroupIds == nil:
		v.addNull("vpcConfig.securityGroupIds")
	}
	checkScaling(in.CapacityProviderScalingConfig, &v)
	if ir := in.InstanceRequirements; ir != nil {
		for _, a := range ir.Architectures {
			if !oneOf(a, "x86_64", "arm64") {
				v.add("["+a+"]", "instanceRequirements.architectures", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]")
			}
		}
	}
	if err := v.err(); err != nil {
		return err
	}
	if sc := in.CapacityProviderScalingConfig; sc != nil && sc.ScalingMode == scalingManual && len(sc.ScalingPolicies) == 0 {
		return errInvalidParameter("ScalingPolicies are required when ScalingMode is Manual.")
	}
	return checkInstanceRequirements(in.InstanceRequirements)
}

func checkScaling(sc *providerScalingJSON, v *violations) {
	if sc == nil {
		return
	}
	if n := sc.MaxVCpuCount; n != nil {
		v.checkRange("capacityProviderScalingConfig.maxVCpuCount", *n, minMaxVCpuCount, maxMaxVCpuCount)
	}
	if sc.ScalingMode != "" && !oneOf(sc.ScalingMode, scalingAuto, scalingManual) {
		v.add(sc.ScalingMode, "capacityProviderScalingConfig.scalingMode", "Member must satisfy enum value set: [Auto, Manual]")
	}
	if len(sc.ScalingPolicies) > maxScalingPolicies {
		v.add("", "capacityProviderScalingConfig.scalingPolicies", "Member must have length less than or equal to 10")
	}
	for _, p := range sc.ScalingPolicies {
		if p.PredefinedMetricType != cpuUtilizationTrack {
			v.add(p.PredefinedMetricType, "capacityProviderScalingConfig.scalingPolicies.member.predefinedMetricType", "Member must satisfy enum value set: ["+cpuUtilizationTrack+"]")
		}
		if p.TargetValue == nil {
			v.addNull("capacityProviderScalingConfig.scalingPolicies.member.targetValue")
		}
	}
}

// checkInstanceRequirements: one architecture, instance types the
// emulator knows, and not both an allow list and an exclude list.
func checkInstanceRequirements(ir *instanceRequirementsJSON) *apiError {
	if ir == nil {
		return nil
	}
	if len(ir.Architectures) > 1 {
		return errInvalidParameter("A capacity provider can only support one architecture.")
	}
	if len(ir.AllowedInstanceTypes) > 0 && len(ir.ExcludedInstanceTypes) > 0 {
		return errInvalidParameter("AllowedInstanceTypes and ExcludedInstanceTypes cannot be specified together.")
	}
	for _, name := range slices.Concat(ir.AllowedInstanceTypes, ir.ExcludedInstanceTypes) {
		if _, ok := lookupInstanceType(name); !ok {
			return errInvalidParameter("Unsupported instance type: %s.", name)
		}
	}
	arch := "x86_64"
	if len(ir.Architectures) == 1 {
		arch = ir.Architectures[0]
	}
	for _, name := range ir.AllowedInstanceTypes {
		if it, _ := lookupInstanceType(name); it.Architecture != arch {
			return errInvalidParameter("Instance type %s does not support architecture %s.", name, arch)
		}
	}
	return nil
}

// providerDoc is what the API shows for a new provider: the request with
// AWS's defaults filled in.
func providerDoc(in *providerInput, arn string, now time.Time) providerJSON {
	scaling := &providerScalingJSON{ScalingMode: scalingAuto, MaxVCpuCount: ptr(int32(defaultMaxVCpuCount))}
	if sc := in.CapacityProviderScalingConfig; sc != nil {
		scaling.ScalingPolicies = slices.Clone(sc.ScalingPolicies)
		if sc.ScalingMode != "" {
			scaling.ScalingMode = sc.ScalingMode
		}
		if sc.MaxVCpuCount != nil {
			scaling.MaxVCpuCount = ptr(*sc.MaxVCpuCount)
		}
	}
	req := &instanceRequirementsJSON{Architectures: []string{"x86_64"}}
	if ir := in.InstanceRequirements; ir != nil {
		req.AllowedInstanceTypes = slices.Clone(ir.AllowedInstanceTypes)
		req.ExcludedInstanceTypes = slices.Clone(ir.ExcludedInstanceTypes)
		if len(ir.Architectures) > 0 {
			req.Architectures = slices.Clone(ir.Architectures)
		}
	}
	return providerJSON{
		CapacityProviderArn:           arn,
		State:                         providerPending,
		LastModified:                  lastModified(now),
		PermissionsConfig:             &providerPermissionsJSON{CapacityProviderOperatorRoleArn: ptr(*in.PermissionsConfig.CapacityProviderOperatorRoleArn)},
		VpcConfig:                     &providerVpcJSON{SecurityGroupIds: slices.Clone(in.VpcConfig.SecurityGroupIds), SubnetIds: slices.Clone(in.VpcConfig.SubnetIds)},
		CapacityProviderScalingConfig: scaling,
		InstanceRequirements:          req,
		KmsKeyArn:                     in.KmsKeyArn,
		PropagateTags:                 in.PropagateTags,
		TelemetryConfig:               in.TelemetryConfig,
	}
}

// createProvider registers a provider; it is Active at once when delay is
// 0. The caller holds s.mu.
func (s *Server) createProvider(region string, in *providerInput, delay time.Duration) (*capacityProvider, *apiError) {
	if err := checkProviderInput(in); err != nil {
		return nil, err
	}
	if err := checkTags(nil, in.Tags); err != nil {
		return nil, err
	}
	key := providerKey{region, *in.CapacityProviderName}
	if s.providers[key] != nil {
		return nil, errConflict("Capacity provider already exists: %s", key.name)
	}
	now := s.now()
	p := &capacityProvider{key: key, doc: providerDoc(in, s.providerARN(key), now), tags: maps.Clone(in.Tags)}
	if delay > 0 {
		p.deadline = now.Add(delay)
	} else {
		p.doc.State = providerActive
	}
	s.providers[key] = p
	return p, nil
}

func (s *Server) providerARN(key providerKey) string {
	return "arn:" + partition(key.region) + ":lambda:" + key.region + ":" + s.opts.AccountID + ":capacity-provider:" + key.name
}

// settle makes a provider Active once its creation delay has passed.
func (p *capacityProvider) settle(now time.Time) {
	if !p.deadline.IsZero() && !now.Before(p.deadline) {
		p.doc.State = providerActive
		p.deadline = time.Time{}
	}
}

// architecture is the one architecture the provider's instances have.
func (p *capacityProvider) architecture() string {
	return p.doc.InstanceRequirements.Architectures[0]
}

// maxVCpus is how many vCPUs the provider may run across its instances.
func (p *capacityProvider) maxVCpus() int {
	return int(*p.doc.CapacityProviderScalingConfig.MaxVCpuCount)
}

// usableInstanceTypes are the instance types the provider may launch.
func (p *capacityProvider) usableInstanceTypes() []InstanceType {
	ir := p.doc.InstanceRequirements
	var out []InstanceType
	for _, it := range instanceTypes {
		switch {
		case it.Architecture != p.architecture():
		case len(ir.AllowedInstanceTypes) > 0 && !slices.Contains(ir.AllowedInstanceTypes, it.Name):
		case slices.Contains(ir.ExcludedInstanceTypes, it.Name):
		default:
			out = append(out, it)
		}
	}
	return out
}
