package analysis_test

import (
	"math"
	"testing"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// closeTo compares prices and costs, which are far below 1.
func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-15+1e-9*math.Abs(b) }

func TestDefaultPrices(t *testing.T) {
	type row struct{ x86, arm, request float64 }
	standard := row{0.0000166667, 0.0000133334, 0.0000002}
	want := map[string]row{
		"us-east-1": standard, "us-east-2": standard, "us-west-1": standard, "us-west-2": standard,
		"ca-central-1": standard, "eu-west-1": standard, "eu-west-2": standard, "eu-west-3": standard,
		"eu-central-1": standard, "eu-north-1": standard, "ap-south-1": standard,
		"ap-northeast-1": standard, "ap-northeast-2": standard, "ap-northeast-3": standard,
		"ap-southeast-1": standard, "ap-southeast-2": standard, "ap-southeast-3": standard,
		"ap-southeast-4": standard, "sa-east-1": standard,
		"af-south-1":     {0.0000221, 0.00001768, 0.00000027},
		"ap-east-1":      {0.00002292, 0.0000183, 0.00000028},
		"eu-south-1":     {0.0000195172, 0.0000156138, 0.00000023},
		"me-south-1":     {0.0000206667, 0.0000165334, 0.00000025},
		"me-central-1":   {0.0000206667, 0.0000165334, 0.00000025},
		"eu-central-2":   {0.0000183334, 0.0000146667, 0.00000022},
		"ap-southeast-5": {0.000015, 0.000012, 0.00000018},
		"il-central-1":   standard, // not in the table: priced like us-east-1
		"mx-central-1":   standard,
	}
	var table analysis.PriceTable
	for region, w := range want {
		for arch, perGBs := range map[string]float64{"x86_64": w.x86, "": w.x86, "arm64": w.arm} {
			got := table.Lookup(region, arch)
			if got.PerGBSecond != perGBs || got.PerRequest != w.request || got.Currency != "USD" {
				t.Errorf("Lookup(%q, %q) = %+v, want %v/GB-s, %v/request in USD", region, arch, got, perGBs, w.request)
			}
		}
	}
	for _, region := range []string{"cn-north-1", "cn-northwest-1"} {
		x86 := table.Lookup(region, "x86_64")
		arm := table.Lookup(region, "arm64")
		if x86 != (analysis.Price{PerGBSecond: 0.000113477, PerRequest: 0.00000136, Currency: "CNY"}) ||
			arm != (analysis.Price{PerGBSecond: 0.0000908, PerRequest: 0.00000136, Currency: "CNY"}) {
			t.Errorf("%s prices = %+v and %+v, want the CNY row", region, x86, arm)
		}
	}
}

func TestPriceOverrides(t *testing.T) {
	table := analysis.PriceTable{Overrides: map[analysis.PriceKey]analysis.Price{
		{Region: "us-east-1", Architecture: "arm64"}:     {PerGBSecond: 0.00001, PerRequest: 0.0000001, Currency: "USD"},
		{Region: "cn-north-1", Architecture: "x86_64"}:   {PerGBSecond: 0.0001, PerRequest: 0.000001},
		{Region: "eu-west-1", Architecture: "x86_64"}:    {PerGBSecond: 0.00002, PerRequest: 0.0000003, Currency: "EUR"},
		{Region: "xx-nowhere-1", Architecture: "x86_64"}: {PerGBSecond: 0.5, PerRequest: 0.1},
	}}
	tests := []struct {
		region, arch string
		want         analysis.Price
	}{
		{"us-east-1", "arm64", analysis.Price{PerGBSecond: 0.00001, PerRequest: 0.0000001, Currency: "USD"}},
		{"us-east-1", "x86_64", analysis.Price{PerGBSecond: 0.0000166667, PerRequest: 0.0000002, Currency: "USD"}},
		{"cn-north-1", "x86_64", analysis.Price{PerGBSecond: 0.0001, PerRequest: 0.000001, Currency: "CNY"}},
		{"cn-north-1", "", analysis.Price{PerGBSecond: 0.0001, PerRequest: 0.000001, Currency: "CNY"}},
		{"cn-north-1", "arm64", analysis.Price{PerGBSecond: 0.0000908, PerRequest: 0.00000136, Currency: "CNY"}},
		{"eu-west-1", "x86_64", analysis.Price{PerGBSecond: 0.00002, PerRequest: 0.0000003, Currency: "EUR"}},
		{"xx-nowhere-1", "x86_64", analysis.Price{PerGBSecond: 0.5, PerRequest: 0.1, Currency: "USD"}},
	}
	for _, tt := range tests {
		if got := table.Lookup(tt.region, tt.arch); got != tt.want {
			t.Errorf("Lookup(%q, %q) = %+v, want %+v", tt.region, tt.arch, got, tt.want)
		}
	}
}

func TestCosts(t *testing.T) {
	usEast := analysis.Price{PerGBSecond: 0.0000166667, PerRequest: 0.0000002, Currency: "USD"}
	usEastARM := analysis.Price{PerGBSecond: 0.0000133334, PerRequest: 0.0000002, Currency: "USD"}
	china := analysis.Price{PerGBSecond: 0.000113477, PerRequest: 0.00000136, Currency: "CNY"}
	tests := []struct {
		name     string
		got      float64
		wantCost float64
	}{
		{"one GB-second in us-east-1", analysis.InvocationCost(usEast, 1000, 1024), 0.0000166667 + 0.0000002},
		{"114 ms at 128 MB in us-east-1", analysis.InvocationCost(usEast, 114, 128), 0.114*0.125*0.0000166667 + 0.0000002},
		{"2 s at 512 MB on arm64", analysis.InvocationCost(usEastARM, 2000, 512), 2*0.5*0.0000133334 + 0.0000002},
		{"100 ms at 1024 MB in China, in CNY", analysis.InvocationCost(china, 100, 1024), 0.1*0.000113477 + 0.00000136},
		{"zero billed time still costs the request", analysis.InvocationCost(usEast, 0, 1024), 0.0000002},
		{"average billed 11.2 ms is billed as 12 ms", analysis.AverageCost(usEast, 11.2, 128), 0.012*0.125*0.0000166667 + 0.0000002},
		{"average billed 12 ms stays 12 ms", analysis.AverageCost(usEast, 12, 128), 0.012*0.125*0.0000166667 + 0.0000002},
		{"average at 10240 MB on arm64", analysis.AverageCost(usEastARM, 0.5, 10240), 0.001*10*0.0000133334 + 0.0000002},
	}
	for _, tt := range tests {
		if !closeTo(tt.got, tt.wantCost) {
			t.Errorf("%s: cost = %v, want %v", tt.name, tt.got, tt.wantCost)
		}
	}
}

func TestPricedTellsTheRegionsPricedLikeUSEast1(t *testing.T) {
	table := analysis.PriceTable{Overrides: map[analysis.PriceKey]analysis.Price{{Region: "us-gov-west-1", Architecture: analysis.ArchARM64}: {PerGBSecond: 1}}}
	for _, tt := range []struct {
		region, arch string
		want         bool
	}{
		{"eu-west-1", "", true}, {"cn-north-1", analysis.ArchARM64, true}, {"us-gov-west-1", analysis.ArchX86_64, false},
		{"us-gov-west-1", analysis.ArchARM64, true}, {"eusc-de-east-1", "", false},
	} {
		if got := table.Priced(tt.region, tt.arch); got != tt.want {
			t.Errorf("Priced(%s, %s) = %v, want %v", tt.region, tt.arch, got, tt.want)
		}
	}
}

// pricedBefore are the Regions the built-in table priced when a Region
// without a price became an error: each must stay priced on both
// architectures, or runs there would start failing.
var pricedBefore = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
	"ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "sa-east-1",
	"af-south-1", "ap-east-1", "eu-south-1", "me-south-1", "me-central-1", "eu-central-2", "ap-southeast-5",
	"cn-north-1", "cn-northwest-1",
}

func TestTheBuiltInTableStillPricesEveryRegionItPriced(t *testing.T) {
	var table analysis.PriceTable
	for _, region := range pricedBefore {
		for _, arch := range []string{analysis.ArchX86_64, analysis.ArchARM64} {
			if !table.Priced(region, arch) {
				t.Errorf("Priced(%s, %s) = false: runs in a Region the table priced would now fail", region, arch)
			}
		}
	}
}

func TestRegionsOutsideTheCommercialAndChinaPartitionsHaveNoBuiltInPrice(t *testing.T) {
	var table analysis.PriceTable
	for _, region := range []string{"us-gov-west-1", "us-gov-east-1", "eusc-de-east-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1"} {
		if table.Priced(region, analysis.ArchX86_64) {
			t.Errorf("Priced(%s) = true: its partition's prices are not the table's, so lambda_prices must give them", region)
		}
	}
}
