package analysis

import (
	"math"
	"strings"
)

// Price is the on-demand price of Lambda in one region for one architecture.
type Price struct {
	PerGBSecond float64 `json:"per_gb_second"`
	PerRequest  float64 `json:"per_request"`
	Currency    string  `json:"currency"` // "USD" or "CNY"
}

// PriceKey selects a price; Architecture is "x86_64" or "arm64".
type PriceKey struct {
	Region       string
	Architecture string
}

// PriceTable holds caller overrides on top of the default prices
// (DefaultPrice).
type PriceTable struct {
	Overrides map[PriceKey]Price
}

// Architectures as Lambda names them; a function without one is x86_64.
const (
	ArchX86_64 = "x86_64"
	ArchARM64  = "arm64"
)

// Currencies a Price can be in.
const (
	CurrencyUSD = "USD"
	CurrencyCNY = "CNY"
	// CurrencyEUR: the AWS European Sovereign Cloud bills in euros; its
	// prices come from lambda_prices only.
	CurrencyEUR = "EUR"
)

// Lookup returns the override for region+architecture if any, else the
// default. An empty architecture means x86_64. An override without a
// currency is in the default's currency for that region.
func (t PriceTable) Lookup(region, architecture string) Price {
	if architecture == "" {
		architecture = ArchX86_64
	}
	def := DefaultPrice(region, architecture)
	override, ok := t.Overrides[PriceKey{Region: region, Architecture: architecture}]
	if !ok {
		return def
	}
	if override.Currency == "" {
		override.Currency = def.Currency
	}
	return override
}

// DefaultPrice is AWS's published on-demand price (first tier) for region
// and architecture ("" or
// anything but arm64 is x86_64). Regions the table does not name are priced
// like us-east-1; China regions are priced in CNY.
func DefaultPrice(region, architecture string) Price {
	row, ok := defaultPriceRows[region]
	switch {
	case ok:
	case strings.HasPrefix(region, "cn-"):
		row = chinaPriceRow
	default:
		row = defaultPriceRows["us-east-1"]
	}
	p := Price{PerGBSecond: row.x86GBSecond, PerRequest: row.perRequest, Currency: row.currency}
	if architecture == ArchARM64 {
		p.PerGBSecond = row.armGBSecond
	}
	return p
}

// InvocationCost is billedMs/1000 * memoryMB/1024 * PerGBSecond + PerRequest.
func InvocationCost(p Price, billedMs float64, memoryMB int32) float64 {
	return billedMs/1000*float64(memoryMB)/1024*p.PerGBSecond + p.PerRequest
}

// AverageCost is ceil(avgBilledMs) priced at memoryMB, plus one request:
// Lambda bills whole milliseconds, so an average invocation does too.
func AverageCost(p Price, avgBilledMs float64, memoryMB int32) float64 {
	return InvocationCost(p, math.Ceil(avgBilledMs), memoryMB)
}
