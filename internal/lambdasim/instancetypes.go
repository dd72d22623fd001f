package lambdasim

import "slices"

// InstanceType is an EC2 instance type a capacity provider may launch.
type InstanceType struct {
	Name         string
	VCPUs        int
	MemoryGiB    int
	Architecture string // "x86_64" | "arm64"
}

// instanceTypes is the emulator's small catalogue: general purpose (4 GiB
// per vCPU), compute optimised (2) and memory optimised (8) families, on
// Graviton and on Intel, the ratios LMI's memory per vCPU settings map to.
var instanceTypes = []InstanceType{
	{"c7g.large", 2, 4, "arm64"},
	{"c7g.xlarge", 4, 8, "arm64"},
	{"c7g.2xlarge", 8, 16, "arm64"},
	{"c7g.4xlarge", 16, 32, "arm64"},
	{"m7g.large", 2, 8, "arm64"},
	{"m7g.xlarge", 4, 16, "arm64"},
	{"m7g.2xlarge", 8, 32, "arm64"},
	{"m7g.4xlarge", 16, 64, "arm64"},
	{"r7g.large", 2, 16, "arm64"},
	{"r7g.xlarge", 4, 32, "arm64"},
	{"r7g.2xlarge", 8, 64, "arm64"},
	{"c7i.large", 2, 4, "x86_64"},
	{"c7i.xlarge", 4, 8, "x86_64"},
	{"c7i.2xlarge", 8, 16, "x86_64"},
	{"c7i.4xlarge", 16, 32, "x86_64"},
	{"m7i.large", 2, 8, "x86_64"},
	{"m7i.xlarge", 4, 16, "x86_64"},
	{"m7i.2xlarge", 8, 32, "x86_64"},
	{"m7i.4xlarge", 16, 64, "x86_64"},
	{"r7i.large", 2, 16, "x86_64"},
	{"r7i.xlarge", 4, 32, "x86_64"},
	{"r7i.2xlarge", 8, 64, "x86_64"},
}

// InstanceTypes lists the instance types the emulator knows, for tests that
// price a capacity provider's instances.
func InstanceTypes() []InstanceType { return slices.Clone(instanceTypes) }

func lookupInstanceType(name string) (InstanceType, bool) {
	for _, it := range instanceTypes {
		if it.Name == name {
			return it, true
		}
	}
	return InstanceType{}, false
}

// fits reports whether an execution environment of vcpus and memoryMB can
// run on the instance.
func (it InstanceType) fits(vcpus float64, memoryMB int32) bool {
	return float64(it.VCPUs) >= vcpus && it.MemoryGiB*1024 >= int(memoryMB)
}
