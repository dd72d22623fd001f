package lambdasim

import "fmt"

// AddCapacityProvider creates a capacity provider directly, Active at once,
// and returns its ARN. It is checked as CreateCapacityProvider would be.
func (s *Server) AddCapacityProvider(def CapacityProviderDefinition) (string, error) {
	region := def.Region
	if region == "" {
		region = s.opts.Region
	}
	in := providerInput{
		CapacityProviderName: &def.Name,
		PermissionsConfig: &providerPermissionsJSON{
			CapacityProviderOperatorRoleArn: ptr("arn:" + partition(region) + ":iam::" + s.opts.AccountID + ":role/lambdasim-capacity-provider"),
		},
		VpcConfig: &providerVpcJSON{SubnetIds: []string{"subnet-0lambdasim"}, SecurityGroupIds: []string{"sg-0lambdasim"}},
		InstanceRequirements: &instanceRequirementsJSON{
			AllowedInstanceTypes:  def.AllowedInstanceTypes,
			ExcludedInstanceTypes: def.ExcludedInstanceTypes,
		},
	}
	if def.Architecture != "" {
		in.InstanceRequirements.Architectures = []string{def.Architecture}
	}
	if def.MaxVCpuCount != 0 {
		in.CapacityProviderScalingConfig = &providerScalingJSON{MaxVCpuCount: &def.MaxVCpuCount}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.createProvider(region, &in, 0)
	if err != nil {
		return "", fmt.Errorf("lambdasim: add capacity provider %q: %w", def.Name, err)
	}
	return p.doc.CapacityProviderArn, nil
}
