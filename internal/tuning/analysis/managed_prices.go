package analysis

import "slices"

// ManagedPricesDate is when managedInstancePrices were read from the EC2
// on-demand price list (Linux, us-east-1). Other Regions cost more or less:
// give instance_price_per_hour for them.
const ManagedPricesDate = "2026-12-01"

// managedInstancePrices are instance types Lambda Managed Instances runs
// on, with their size and on-demand price per hour in us-east-1, in USD.
var managedInstancePrices = []InstanceType{
	{Name: "c7g.large", VCPUs: 2, MemoryMiB: 4096, PricePerHour: 0.0725, Architecture: "arm64"},
	{Name: "c7g.xlarge", VCPUs: 4, MemoryMiB: 8192, PricePerHour: 0.145, Architecture: "arm64"},
	{Name: "c7g.2xlarge", VCPUs: 8, MemoryMiB: 16384, PricePerHour: 0.29, Architecture: "arm64"},
	{Name: "c7g.4xlarge", VCPUs: 16, MemoryMiB: 32768, PricePerHour: 0.58, Architecture: "arm64"},
	{Name: "m7g.large", VCPUs: 2, MemoryMiB: 8192, PricePerHour: 0.0816, Architecture: "arm64"},
	{Name: "m7g.xlarge", VCPUs: 4, MemoryMiB: 16384, PricePerHour: 0.1632, Architecture: "arm64"},
	{Name: "m7g.2xlarge", VCPUs: 8, MemoryMiB: 32768, PricePerHour: 0.3264, Architecture: "arm64"},
	{Name: "m7g.4xlarge", VCPUs: 16, MemoryMiB: 65536, PricePerHour: 0.6528, Architecture: "arm64"},
	{Name: "r7g.large", VCPUs: 2, MemoryMiB: 16384, PricePerHour: 0.1071, Architecture: "arm64"},
	{Name: "r7g.xlarge", VCPUs: 4, MemoryMiB: 32768, PricePerHour: 0.2142, Architecture: "arm64"},
	{Name: "r7g.2xlarge", VCPUs: 8, MemoryMiB: 65536, PricePerHour: 0.4284, Architecture: "arm64"},
	{Name: "c7i.large", VCPUs: 2, MemoryMiB: 4096, PricePerHour: 0.08925, Architecture: "x86_64"},
	{Name: "c7i.xlarge", VCPUs: 4, MemoryMiB: 8192, PricePerHour: 0.1785, Architecture: "x86_64"},
	{Name: "c7i.2xlarge", VCPUs: 8, MemoryMiB: 16384, PricePerHour: 0.357, Architecture: "x86_64"},
	{Name: "m7i.large", VCPUs: 2, MemoryMiB: 8192, PricePerHour: 0.1008, Architecture: "x86_64"},
	{Name: "m7i.xlarge", VCPUs: 4, MemoryMiB: 16384, PricePerHour: 0.2016, Architecture: "x86_64"},
	{Name: "m7i.2xlarge", VCPUs: 8, MemoryMiB: 32768, PricePerHour: 0.4032, Architecture: "x86_64"},
	{Name: "r7i.large", VCPUs: 2, MemoryMiB: 16384, PricePerHour: 0.1323, Architecture: "x86_64"},
	{Name: "r7i.xlarge", VCPUs: 4, MemoryMiB: 32768, PricePerHour: 0.2646, Architecture: "x86_64"},
}

// ManagedInstanceTypes are the built-in types, in the table's order.
func ManagedInstanceTypes() []InstanceType { return slices.Clone(managedInstancePrices) }

// ManagedInstanceType is the built-in type called name; ok is false for a
// type the table does not know.
func ManagedInstanceType(name string) (InstanceType, bool) {
	for _, t := range managedInstancePrices {
		if t.Name == name {
			return t, true
		}
	}
	return InstanceType{}, false
}
