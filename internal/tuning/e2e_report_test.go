package tuning

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/lambdasim"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

// demoReport runs what `make demo` runs (scripts/demo.sh): the CPU-bound
// sample function at 128 MB, six sizes, 20 invocations, balanced.
func demoReport(t *testing.T) *report.Report {
	t.Helper()
	env := startSim(t, lambdasim.Options{})
	arn := env.addFunction(lambdasim.FunctionSpec{Name: "sample-cpu-bound", MemorySize: 128, Timeout: 30,
		Environment: map[string]string{"SIM_CPU_MS": "400", "SIM_IO_MS": "20", "SIM_INIT_MS": "250", "SIM_NOISE": "0.05"}})
	rep, err := env.engine().Run(context.Background(), spec.Input{
		LambdaARN: arn, Num: 20, PowerValues: []int32{128, 256, 512, 1024, 1769, 3008},
		Strategy: analysis.StrategyBalanced, ParallelInvocation: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestReportComparesWithBaseline(t *testing.T) {
	rep := demoReport(t)
	if rep.BaselinePower != 128 {
		t.Fatalf("BaselinePower = %d, want the function's 128 MB", rep.BaselinePower)
	}
	if rep.OptimalRelativeCost == nil || rep.OptimalRelativeDuration == nil {
		t.Fatal("relative figures missing although 128 MB was measured")
	}
	base := rep.Results[0]
	if got, want := *rep.OptimalRelativeDuration, rep.OptimalDuration/base.AverageDuration; math.Abs(got-want) > 1e-12 {
		t.Errorf("OptimalRelativeDuration = %v, want %v", got, want)
	}
	if got, want := *rep.OptimalRelativeCost, rep.OptimalCost/base.AverageCost; math.Abs(got-want) > 1e-12 {
		t.Errorf("OptimalRelativeCost = %v, want %v", got, want)
	}
	page, err := report.RenderHTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d MB: %.0f %% faster", rep.OptimalPower, math.Round((1-*rep.OptimalRelativeDuration)*100))
	if !bytes.Contains(page, []byte(want)) {
		t.Errorf("the page does not say %q", want)
	}
}

// Chromium renders the demo report: the screenshot has the window's size,
// is not blank, and shows the chart (the duration series' colour).
func TestHTMLReportRendersInChromium(t *testing.T) {
	chromium := tuningtest.Chromium(t)
	rep := demoReport(t)
	page, err := report.RenderHTML(rep)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	htmlPath, pngPath := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.png")
	if err := os.WriteFile(htmlPath, page, 0o600); err != nil {
		t.Fatal(err)
	}
	const width, height = 1200, 900
	// Generous: this bounds a hung browser, it does not time the render.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--screenshot="+pngPath, fmt.Sprintf("--window-size=%d,%d", width, height), "file://"+htmlPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", chromium, err, out)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		t.Fatalf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}
	inked, durationBlue := countPixels(img)
	total := width * height
	if inked < total/50 {
		t.Errorf("only %d of %d pixels are not white: the page looks blank", inked, total)
	}
	if durationBlue < 300 {
		t.Errorf("only %d pixels have the duration series' colour: the chart did not render", durationBlue)
	}
}

// countPixels counts pixels that are not near white, and those near the
// duration colour (#1f5fa8) of the page's style sheet.
func countPixels(img image.Image) (inked, durationBlue int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r < 235 || g < 235 || bl < 235 {
				inked++
			}
			if near(r, 0x1f) && near(g, 0x5f) && near(bl, 0xa8) {
				durationBlue++
			}
		}
	}
	return inked, durationBlue
}

func near(v, want uint32) bool { return max(v, want)-min(v, want) <= 12 }
