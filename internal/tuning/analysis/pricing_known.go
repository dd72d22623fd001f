package analysis

import "strings"

// Priced says whether region and architecture have a price of their own:
// an override, or a row of the built-in table (China's regions share one).
// Lookup prices other regions like us-east-1, which a run must not use:
// GovCloud, the European Sovereign Cloud and the ISO regions have prices
// of their own that the table does not hold.
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
