package analysis

import "strings"

// Priced says whether region and architecture have a price of their own:
// an override, or a row of the built-in table (China's regions share one).
// Other regions are priced like us-east-1, which the caller should say.
func (t PriceTable) Priced(region, architecture string) bool {
	if architecture == "" {
		architecture = ArchX86_64
	}
	if _, ok := t.Overrides[PriceKey{Region: region, Architecture: architecture}]; ok {
		return true
	}
	_, ok := defaultPriceRows[region]
	return ok || strings.HasPrefix(region, "cn-")
}
