package analysis

import (
	"fmt"
	"math"
)

// Lambda Managed Instances (LMI) run a function on EC2 instances of a
// capacity provider, many invocations at once per execution environment.
// There is no GB-second charge: a request costs its share of the instance
// hours that served it, plus a management fee on them and a request price.
// So what a setting costs depends on its sustained throughput, which only a
// held concurrent load measures.

const (
	// ManagedFeeShare is the management fee, a share of the instances' EC2
	// on-demand price.
	ManagedFeeShare = 0.15
	// ManagedRequestPrice is the price of one request, in USD.
	ManagedRequestPrice = 0.20 / 1e6
	// HoursPerMonth is the month AWS prices by: 730 hours.
	HoursPerMonth = 730
	// MinManagedEnvironments is how many execution environments a version
	// keeps running, spread over Availability Zones, whatever the traffic.
	MinManagedEnvironments = 3
)

// ManagedSetting is one configuration of an LMI function a run measures.
type ManagedSetting struct {
	Power         int32   `json:"power"`           // memory of an execution environment, MB
	MemoryPerVCPU float64 `json:"memory_per_vcpu"` // GiB of memory per vCPU: 2, 4 or 8
	Concurrency   int     `json:"max_concurrency"` // invocations an environment serves at once
}

// VCPUs is how many vCPUs an environment of s has.
func (s ManagedSetting) VCPUs() float64 { return float64(s.Power) / 1024 / s.MemoryPerVCPU }

func (s ManagedSetting) String() string {
	return fmt.Sprintf("%d MB, %g GiB per vCPU, %d at once", s.Power, s.MemoryPerVCPU, s.Concurrency)
}

// InstanceType is an EC2 instance type a capacity provider may run.
type InstanceType struct {
	Name         string  `json:"name"`
	VCPUs        int     `json:"vcpus"`
	MemoryMiB    int     `json:"memory_mib"`
	PricePerHour float64 `json:"price_per_hour"` // on-demand, in the run's currency
	Architecture string  `json:"architecture,omitempty"`
}

// EnvironmentsPerInstance is how many environments of s one instance
// holds: as many as its vCPUs and its memory both allow.
func (t InstanceType) EnvironmentsPerInstance(s ManagedSetting) int {
	if s.Power <= 0 || s.MemoryPerVCPU <= 0 {
		return 0
	}
	byCPU := math.Floor(float64(t.VCPUs)/s.VCPUs() + 1e-9)
	byMemory := math.Floor(float64(t.MemoryMiB) / float64(s.Power))
	return int(math.Min(byCPU, byMemory))
}

// ManagedLoad is what a held load on one setting measured.
type ManagedLoad struct {
	Setting      ManagedSetting
	Seconds      float64   // how long the load was held, after its ramp
	Environments int       // environments that served it
	InFlight     int       // invocations kept in flight on each environment
	Succeeded    int       // requests answered without error
	Errors       int       // function errors
	Throttles    int       // requests refused with 429
	LatenciesMs  []float64 // of the requests that succeeded
	Failure      string    // why the setting could not be measured; "" when it was
}

// ManagedResult is one setting's figures.
type ManagedResult struct {
	ManagedSetting
	// RequestsPerSecondPerEnvironment is the sustained throughput of one
	// execution environment: successful requests per second.
	RequestsPerSecondPerEnvironment float64 `json:"requests_per_second_per_environment"`
	// RequestsPerSecondPerInstance is that of one instance, full of
	// environments.
	RequestsPerSecondPerInstance float64 `json:"requests_per_second_per_instance"`
	Instance                     string  `json:"instance_type"`
	// InFlightPerEnvironment is how many invocations each environment
	// served at once while the load was held: the level past which
	// throughput stopped rising, at most the setting's Concurrency.
	InFlightPerEnvironment int     `json:"in_flight_per_environment,omitempty"`
	P50Ms                  float64 `json:"p50_ms"`
	P90Ms                  float64 `json:"p90_ms"`
	P99Ms                  float64 `json:"p99_ms"`
	Requests               int     `json:"requests"`
	Errors                 int     `json:"errors"`
	Throttles              int     `json:"throttles"`
	// CostPerMillion is what a million requests cost at this throughput:
	// instance hours with the management fee, and the request price.
	CostPerMillion float64 `json:"cost_per_million"`
	// MeetsLatencyGoal says whether P99Ms is within the run's goal (true
	// without one); a setting that misses it is never chosen.
	MeetsLatencyGoal bool   `json:"meets_latency_goal"`
	Failed           bool   `json:"failed,omitempty"`
	FailureReason    string `json:"failure_reason,omitempty"`
}

// ManagedFigures turns a load's measurements into a setting's figures on
// the cheapest instance type (per request) among types. latencyGoalMs 0
// means no goal.
func ManagedFigures(load ManagedLoad, types []InstanceType, latencyGoalMs float64) ManagedResult {
	r := ManagedResult{ManagedSetting: load.Setting, Requests: load.Succeeded + load.Errors + load.Throttles,
		Errors: load.Errors, Throttles: load.Throttles, InFlightPerEnvironment: load.InFlight}
	switch {
	case load.Failure != "":
		r.Failed, r.FailureReason = true, load.Failure
		return r
	case load.Succeeded == 0 || load.Seconds <= 0 || load.Environments <= 0:
		r.Failed, r.FailureReason = true, "no request succeeded under load"
		return r
	}
	r.RequestsPerSecondPerEnvironment = float64(load.Succeeded) / load.Seconds / float64(load.Environments)
	r.P50Ms = Percentile(load.LatenciesMs, 50)
	r.P90Ms = Percentile(load.LatenciesMs, 90)
	r.P99Ms = Percentile(load.LatenciesMs, 99)
	r.MeetsLatencyGoal = latencyGoalMs <= 0 || r.P99Ms <= latencyGoalMs
	r.CostPerMillion = math.Inf(1)
	for _, t := range types {
		envs := t.EnvironmentsPerInstance(load.Setting)
		if envs == 0 {
			continue
		}
		perInstance := r.RequestsPerSecondPerEnvironment * float64(envs)
		if cost := managedCostPerRequest(t.PricePerHour, perInstance) * 1e6; cost < r.CostPerMillion {
			r.CostPerMillion, r.Instance, r.RequestsPerSecondPerInstance = cost, t.Name, perInstance
		}
	}
	if r.Instance == "" {
		r.Failed, r.FailureReason = true, fmt.Sprintf("no instance type of the capacity provider holds an environment of %s", load.Setting)
		r.CostPerMillion = 0
	}
	return r
}

// managedCostPerRequest is the instance share and request price of one
// request served at perInstance requests per second.
func managedCostPerRequest(pricePerHour, perInstance float64) float64 {
	return pricePerHour*(1+ManagedFeeShare)/(perInstance*3600) + ManagedRequestPrice
}

// SelectManaged picks the optimum among settings that were measured and meet
// the latency goal:
//   - cost: lowest CostPerMillion; ties go to the lower p99;
//   - speed: lowest P99Ms; ties go to the cheaper;
//   - balanced: lowest w·cost/maxCost + (1−w)·p99/maxP99.
//
// ok is false when no setting qualifies.
func SelectManaged(results []ManagedResult, strategy Strategy, balancedWeight float64) (best ManagedResult, ok bool) {
	var maxCost, maxP99 float64
	for _, r := range results {
		if qualifies(r) {
			maxCost, maxP99 = math.Max(maxCost, r.CostPerMillion), math.Max(maxP99, r.P99Ms)
		}
	}
	score := func(r ManagedResult) [2]float64 {
		switch strategy {
		case StrategySpeed:
			return [2]float64{r.P99Ms, r.CostPerMillion}
		case StrategyBalanced:
			return [2]float64{balancedweighted(balancedWeight, r.CostPerMillion, maxCost, r.P99Ms, maxP99), r.CostPerMillion}
		default:
			return [2]float64{r.CostPerMillion, r.P99Ms}
		}
	}
	for _, r := range results {
		if !qualifies(r) {
			continue
		}
		if s, b := score(r), score(best); !ok || s[0] < b[0] || s[0] == b[0] && s[1] < b[1] {
			best, ok = r, true
		}
	}
	return best, ok
}

func qualifies(r ManagedResult) bool { return !r.Failed && r.MeetsLatencyGoal }

// balancedweighted is the balanced score of cost and p99, each relative to
// its maximum (a term whose maximum is 0 counts as 0).
func balancedweighted(w, cost, maxCost, p99, maxP99 float64) float64 {
	var c, d float64
	if maxCost > 0 {
		c = cost / maxCost
	}
	if maxP99 > 0 {
		d = p99 / maxP99
	}
	return w*c + (1-w)*d
}

// ManagedMonthly is what a steady traffic costs a month on the chosen
// setting.
type ManagedMonthly struct {
	RequestsPerSecond float64 `json:"requests_per_second"`
	Instances         int     `json:"instances"`
	Cost              float64 `json:"monthly_cost"`
}

// MonthlyOnManaged is the monthly cost of requestsPerSecond on r's setting
// and instance type: the instances it needs (never fewer than hold the
// environments Lambda keeps running) for 730 hours with the fee, and the
// requests.
func MonthlyOnManaged(r ManagedResult, t InstanceType, requestsPerSecond float64) ManagedMonthly {
	envs := t.EnvironmentsPerInstance(r.ManagedSetting)
	if envs == 0 || r.RequestsPerSecondPerInstance <= 0 {
		return ManagedMonthly{RequestsPerSecond: requestsPerSecond}
	}
	instances := int(math.Ceil(requestsPerSecond / r.RequestsPerSecondPerInstance))
	instances = max(instances, (MinManagedEnvironments+envs-1)/envs)
	requests := requestsPerSecond * HoursPerMonth * 3600
	return ManagedMonthly{
		RequestsPerSecond: requestsPerSecond,
		Instances:         instances,
		Cost:              float64(instances)*t.PricePerHour*(1+ManagedFeeShare)*HoursPerMonth + requests*ManagedRequestPrice,
	}
}

// MonthlyOnDemand is the monthly cost of requestsPerSecond invocations at
// costPerInvocation, an on-demand size's average cost.
func MonthlyOnDemand(costPerInvocation, requestsPerSecond float64) float64 {
	return costPerInvocation * requestsPerSecond * HoursPerMonth * 3600
}

// CompareMonthly says in one sentence which of the two monthly costs is
// lower and by how much.
func CompareMonthly(managed, onDemand float64, currency string) string {
	switch {
	case managed <= 0 || onDemand <= 0:
		return ""
	case managed < onDemand:
		return fmt.Sprintf("Lambda Managed Instances cost %.2f %s a month, %.0f %% less than on-demand Lambda at %.2f %s.",
			managed, currency, 100*(1-managed/onDemand), onDemand, currency)
	case managed > onDemand:
		return fmt.Sprintf("On-demand Lambda costs %.2f %s a month, %.0f %% less than Lambda Managed Instances at %.2f %s.",
			onDemand, currency, 100*(1-onDemand/managed), managed, currency)
	default:
		return fmt.Sprintf("Lambda Managed Instances and on-demand Lambda cost the same, %.2f %s a month.", managed, currency)
	}
}
