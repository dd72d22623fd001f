package htmlreport

import (
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// managedSetting is a measured setting whose p50/p90 follow its p99.
func managedSetting(power int32, ratio float64, concurrency int, perEnvironment, p99, costPerMillion float64, instance string, envsPerInstance int) analysis.ManagedResult {
	return analysis.ManagedResult{
		ManagedSetting:                  analysis.ManagedSetting{Power: power, MemoryPerVCPU: ratio, Concurrency: concurrency},
		RequestsPerSecondPerEnvironment: perEnvironment, RequestsPerSecondPerInstance: perEnvironment * float64(envsPerInstance),
		Instance: instance, InFlightPerEnvironment: concurrency,
		P50Ms: p99 * 0.8, P90Ms: p99 * 0.9, P99Ms: p99, Requests: int(perEnvironment * 30), CostPerMillion: costPerMillion,
		MeetsLatencyGoal: p99 <= 300,
	}
}

// managedReport is an I/O-bound function tuned on Lambda Managed Instances:
// two memory sizes at 2 and 4 GiB per vCPU, three concurrencies each, one
// setting failed, two slower than the 300 ms goal, the optimum at 2048 MB,
// 2 GiB per vCPU and 32 at once.
func managedReport() Report {
	slow := managedSetting(2048, 4, 64, 210.4, 304.2, 0.512, "m7i.large", 2)
	slow.InFlightPerEnvironment = 48
	slower := managedSetting(4096, 4, 64, 230.1, 412.9, 0.801, "m7i.xlarge", 2)
	optimum := managedSetting(2048, 2, 32, 152.3, 214.6, 0.388, "c7i.large", 1)
	return Report{
		FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:orders-api",
		Region:      "us-east-1", Currency: "USD", Strategy: analysis.StrategyCost,
		TunedAt: "2026-12-01T21:00:00Z", TuningCost: 0.0412,
		Managed: &Managed{
			Results: []analysis.ManagedResult{
				managedSetting(2048, 2, 8, 38.1, 211.0, 1.41, "c7i.large", 1),
				optimum,
				managedSetting(2048, 2, 64, 160.2, 290.5, 0.392, "c7i.large", 1),
				managedSetting(2048, 4, 8, 38.2, 210.3, 1.52, "m7i.large", 2),
				managedSetting(2048, 4, 32, 151.9, 212.7, 0.421, "m7i.large", 2),
				slow,
				managedSetting(4096, 2, 8, 38.1, 210.9, 2.71, "c7i.xlarge", 1),
				managedSetting(4096, 2, 32, 152.0, 213.1, 0.703, "c7i.xlarge", 1),
				{ManagedSetting: analysis.ManagedSetting{Power: 4096, MemoryPerVCPU: 2, Concurrency: 64}, Failed: true,
					FailureReason: "Runtime.OutOfMemory under load: 64 invocations need more than 4096 MB"},
				managedSetting(4096, 4, 8, 38.3, 210.1, 2.95, "m7i.xlarge", 2),
				managedSetting(4096, 4, 32, 151.7, 212.2, 0.776, "m7i.xlarge", 2),
				slower,
			},
			Optimum:       &optimum,
			LatencyGoalMs: 300,
			PricesDate:    "2026-12-01",
			Monthly:       &analysis.ManagedMonthly{RequestsPerSecond: 200, Instances: 3, Cost: 285.63},
			Comparison:    "Lambda Managed Instances cost 285.63 USD a month, 41 % less than on-demand Lambda at 484.12 USD.",
		},
	}
}

// crowdedManagedReport is a worst case for the managed charts: nine lines
// (three sizes × three memory per vCPU) over concurrencies 1 to 1600,
// failures stacked at the top concurrency, the optimum there too (its
// label at the chart's right edge) and no latency goal met by most.
func crowdedManagedReport() Report {
	r := managedReport()
	r.FunctionARN = "arn:aws:lambda:ap-southeast-2:123456789012:function:orders-api-production-checkout-payment-reconciliation"
	var results []analysis.ManagedResult
	for _, power := range []int32{2048, 8192, 32768} {
		for _, ratio := range []float64{2, 4, 8} {
			vcpus := float64(power) / 1024 / ratio
			for _, n := range []int{1, 4, 16, 64, 400, 1600} {
				if n == 1600 && power != 32768 {
					results = append(results, analysis.ManagedResult{ManagedSetting: analysis.ManagedSetting{Power: power, MemoryPerVCPU: ratio, Concurrency: n},
						Failed: true, FailureReason: "Runtime.OutOfMemory under load"})
					continue
				}
				perEnvironment := min(float64(n)*1000/210, vcpus*1000/10)
				p99 := 210 * max(1, float64(n)*10/vcpus/210) * 1.2
				res := managedSetting(power, ratio, n, perEnvironment, p99, 0.2+50/perEnvironment, "m7i.48xlarge", 4)
				results = append(results, res)
			}
		}
	}
	best := results[len(results)-1]
	best.MeetsLatencyGoal = true
	results[len(results)-1] = best
	r.Managed.Results, r.Managed.Optimum = results, &best
	return r
}
