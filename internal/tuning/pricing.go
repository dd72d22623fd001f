package tuning

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

// PriceTable holds caller overrides on top of the PRICING.md defaults.
type PriceTable struct {
	Overrides map[PriceKey]Price
}

// Lookup returns the override for region+architecture if any, else the default.
func (t PriceTable) Lookup(region, architecture string) Price { panic("not implemented") }

// InvocationCost is billedMs/1000 * memoryMB/1024 * PerGBSecond + PerRequest.
func InvocationCost(p Price, billedMs float64, memoryMB int32) float64 { panic("not implemented") }

// AverageCost is ceil(avgBilledMs) priced at memoryMB, plus one request.
func AverageCost(p Price, avgBilledMs float64, memoryMB int32) float64 { panic("not implemented") }
