package htmlreport

import (
	"fmt"
	"strings"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// managedVerdict is the page's headline: the optimum and its figures, what
// it costs a month at the user's traffic, and the comparison with
// on-demand Lambda, or why there is no optimum.
func managedVerdict(r Report) string {
	m := r.Managed
	if m.Optimum == nil {
		measured := anyManaged(m.Results, func(res analysis.ManagedResult) bool { return !res.Failed })
		switch {
		case !measured:
			return "No setting could be measured under load: none was chosen."
		case m.LatencyGoalMs > 0:
			return fmt.Sprintf("No setting met the p99 goal of %s: none was chosen.", msText(m.LatencyGoalMs))
		default:
			return "No optimum was chosen."
		}
	}
	o := m.Optimum
	var sb strings.Builder
	fmt.Fprintf(&sb, "Optimum: %s on %s: %s per million requests, %s requests/s per environment, p99 %s.",
		settingText(o.ManagedSetting), o.Instance, money(o.CostPerMillion, r.Currency),
		rate(o.RequestsPerSecondPerEnvironment), msText(o.P99Ms))
	if mo := m.Monthly; mo != nil && mo.Instances > 0 {
		fmt.Fprintf(&sb, " At %s requests/s: %d %s, %s a month.", rate(mo.RequestsPerSecond), mo.Instances,
			plural(mo.Instances, "instance", "instances"), money2(mo.Cost, r.Currency))
	}
	if m.Comparison != "" {
		sb.WriteString(" " + m.Comparison)
	}
	return sb.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// money2 formats a monthly sum to the cent, as the comparison does.
func money2(v float64, currency string) string { return fmt.Sprintf("%.2f %s", v, currency) }
