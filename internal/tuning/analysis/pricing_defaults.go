package analysis

// priceRow is one region's on-demand Lambda prices: per GB-second on each
// architecture and per request, in currency.
type priceRow struct {
	x86GBSecond float64
	armGBSecond float64
	perRequest  float64
	currency    string
}

// defaultPriceRows holds the on-demand prices AWS publishes for Lambda (first
// pricing tier, no Savings Plans or free tier), by region. It is never written
// after initialisation.
var defaultPriceRows = buildDefaultPriceRows()

// chinaPriceRow prices the cn-* regions, in CNY.
var chinaPriceRow = priceRow{x86GBSecond: 0.000113477, armGBSecond: 0.0000908, perRequest: 0.00000136, currency: CurrencyCNY}

func buildDefaultPriceRows() map[string]priceRow {
	groups := []struct {
		regions []string
		row     priceRow
	}{
		{
			regions: []string{
				"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
				"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
				"ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
				"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "sa-east-1",
			},
			row: priceRow{x86GBSecond: 0.0000166667, armGBSecond: 0.0000133334, perRequest: 0.0000002},
		},
		{regions: []string{"af-south-1"}, row: priceRow{x86GBSecond: 0.0000221, armGBSecond: 0.00001768, perRequest: 0.00000027}},
		{regions: []string{"ap-east-1"}, row: priceRow{x86GBSecond: 0.00002292, armGBSecond: 0.0000183, perRequest: 0.00000028}},
		{regions: []string{"eu-south-1"}, row: priceRow{x86GBSecond: 0.0000195172, armGBSecond: 0.0000156138, perRequest: 0.00000023}},
		{regions: []string{"me-south-1", "me-central-1"}, row: priceRow{x86GBSecond: 0.0000206667, armGBSecond: 0.0000165334, perRequest: 0.00000025}},
		{regions: []string{"eu-central-2"}, row: priceRow{x86GBSecond: 0.0000183334, armGBSecond: 0.0000146667, perRequest: 0.00000022}},
		{regions: []string{"ap-southeast-5"}, row: priceRow{x86GBSecond: 0.000015, armGBSecond: 0.000012, perRequest: 0.00000018}},
		{regions: []string{"cn-north-1", "cn-northwest-1"}, row: chinaPriceRow},
	}
	rows := make(map[string]priceRow)
	for _, g := range groups {
		row := g.row
		if row.currency == "" {
			row.currency = CurrencyUSD
		}
		for _, r := range g.regions {
			rows[r] = row
		}
	}
	return rows
}
