package tuning

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// The guides' pictures are HTML reports of real runs against the emulator.
// These tests make the runs and, with GUIDE_PICTURES_DIR set, write the
// pages there for `make screenshots` to photograph. They live here, not in
// a command, because the runs need this package's test harness (the
// emulator's setup and the realistic noise of the adaptive benchmark), and
// as tests they fail when the adaptive sampling guide's worked example no
// longer says what the run does.
//
//	GUIDE_PICTURES_DIR=bin/guides go test -run TestGuidePicture ./internal/tuning/

const adaptiveGuide = "../../templates/guides/adaptive-sampling.md.tmpl"

// TestGuidePictureAdaptiveSampling is the guide's worked example: 400 ms of
// CPU at one vCPU and 30 ms of I/O, 10 % lognormal jitter and an outlier
// in about every seventh invocation, balanced, num = 50, serial, every
// seed fixed. The guide's figures must be the run's. The noise's seed, 29,
// was picked for a run that shows every verdict: sizes the curve placed
// behind, sizes retired on their own figures, and a tie with the optimum.
func TestGuidePictureAdaptiveSampling(t *testing.T) {
	env := startSim(t, lambdasim.Options{Seed: 1})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "worked-example", Timeout: 120,
		Environment: map[string]string{"SIM_CPU_MS": "400", "SIM_IO_MS": "30"}})
	in := spec.Input{LambdaARN: arn, Num: 50, Strategy: analysis.StrategyBalanced, Sampling: spec.SamplingAdaptive,
		PowerValues: []int32{128, 256, 512, 1024, 1536, 2048, 3008}}
	noise := realisticNoise{sigma: 0.10, outlierEvery: 7, seed: 29}
	rep, err := env.engine(func(c *Config) { c.Clients, c.Seed = withRealisticNoise(c.Clients, noise), 1 }).Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{fmt.Sprintf("made %d invocations of %d (`invocations_saved = %d`) and chose %d MB",
		invocationsOf(rep), invocationsOf(rep)+rep.InvocationsSaved, rep.InvocationsSaved, rep.OptimalPower),
		curveWords(rep)}
	for _, r := range rep.Results {
		got = append(got, fmt.Sprintf("| %d | %d | %.1f | %s | %s |", r.Power, r.Invocations, r.AverageDuration, r.Sampling, behindBy(r.BehindBy)))
	}
	for _, r := range rep.Results {
		if r.WithinNoise && r.Power != rep.OptimalPower {
			t.Logf("%d MB is within noise of the optimum", r.Power)
		}
	}
	want := workedExample(t)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the worked example in %s says\n%s\nthe run gives\n%s\nupdate the guide (and make screenshots)",
			adaptiveGuide, strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	writeGuidePage(t, "adaptive-curve.html", rep)
}

// workedExample reads the guide's figures: its sentence on invocations
// and the optimum, the curve's, and its table, spaces normalised.
func workedExample(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(adaptiveGuide)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	flat := strings.Join(strings.Fields(text), " ")
	var rows []string
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile("made \\d+ invocations of \\d+ \\(`invocations_saved = \\d+`\\) and chose \\d+ MB"),
		regexp.MustCompile(`(\d+) ms fixed plus (\d+) ms of CPU at one vCPU, no faster above (\d+) MB`),
	} {
		m := re.FindStringSubmatch(flat)
		switch {
		case m == nil:
			rows = append(rows, "(missing: "+re.String()+")")
		case len(m) == 4:
			rows = append(rows, fmt.Sprintf("%s ms fixed + %s ms of CPU, limit %s MB", m[1], m[2], m[3]))
		default:
			rows = append(rows, m[0])
		}
	}
	row := regexp.MustCompile(`(?m)^\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*([\d.]+)\s*\|\s*(\w+)\s*\|\s*([\d.]+)\s*\|$`)
	for _, m := range row.FindAllStringSubmatch(text, -1) {
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s |", m[1], m[2], m[3], m[4], m[5]))
	}
	if len(rows) == 2 {
		t.Fatalf("%s has no worked-example table", adaptiveGuide)
	}
	return rows
}

func behindBy(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func curveWords(rep *report.Report) string {
	c, ok := analysis.FitResultsCurve(rep.Results)
	if !ok {
		return "none"
	}
	return fmt.Sprintf("%.0f ms fixed + %.0f ms of CPU, limit %d MB", c.FixedMs, c.CPUMs, c.LimitMB)
}

// TestGuidePictureManagedInstances is the managed-instances guide's
// configuration on an I/O-bound function (10 ms of CPU, 200 ms waiting):
// 2048 and 4096 MB at 2 and 4 GiB per vCPU (but 2048 MB at 4, half a vCPU),
// 8, 32 and 64 at once, a 300 ms
// p99 goal, 200 requests a second, compared with on-demand Lambda.
func TestGuidePictureManagedInstances(t *testing.T) {
	if os.Getenv("GUIDE_PICTURES_DIR") == "" {
		t.Skip("a 40 s run only make screenshots needs (GUIDE_PICTURES_DIR); the TestE2EManaged tests cover what it does")
	}
	// Each invocation held a fifth of its duration for real, as in
	// TestE2EManagedIOBoundServesFarMorePerVCPUThanCPUBound: the callers of
	// a load must truly be in flight together for their CPU to be shared.
	env := startManagedSim(t, lambdasim.Options{TimeScale: 0.2})
	vars := map[string]string{"SIM_CPU_MS": "10", "SIM_IO_MS": "200"}
	arn := env.lmiFunction("orders", vars)
	in := managedInput(arn, []int32{2048, 4096}, 8, 32, 64)
	in.ManagedInstances.MemoryPerVCPU = []float64{2, 4}
	in.ManagedInstances.LatencyP99Ms, in.ManagedInstances.RequestsPerSecond = 300, 200
	in.ManagedInstances.CompareOnDemand, in.PowerValues = true, []int32{512, 1024, 2048}
	rep, err := env.runManaged(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	m := rep.Managed
	if m == nil || m.Optimum == nil || m.Monthly == nil || m.Comparison == "" || len(m.Results) != 9 {
		t.Fatalf("managed outcome %+v: want 9 settings (2048 MB at 4 GiB per vCPU is half a vCPU, which Lambda refuses), an optimum, the month and the comparison", m)
	}
	missed := 0
	for _, r := range m.Results {
		t.Logf("%s: %.1f requests/s per environment, p99 %.0f ms, %.3f per million, meets the goal %v, failed %v",
			r.ManagedSetting, r.RequestsPerSecondPerEnvironment, r.P99Ms, r.CostPerMillion, r.MeetsLatencyGoal, r.Failed)
		if !r.Failed && !r.MeetsLatencyGoal {
			missed++
		}
	}
	if missed == 0 {
		t.Error("no setting missed the 300 ms goal: the picture would not show what missing it looks like; run again on a quieter machine")
	}
	writeGuidePage(t, "managed-instances.html", rep)
}

// writeGuidePage renders rep and, with GUIDE_PICTURES_DIR set, writes it
// there as name.
func writeGuidePage(t *testing.T, name string, rep *report.Report) {
	t.Helper()
	rep.TunedAt = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) // the picture must not change with the clock
	page, err := report.RenderHTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("GUIDE_PICTURES_DIR")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), page, 0o600); err != nil {
		t.Fatal(err)
	}
}
