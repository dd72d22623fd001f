package htmlreport

import (
	"context"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/tuningtest"
)

// The page fits the window: Chromium lays it out at a desktop width, at a
// narrow one where the results are still a table, and at the narrowest
// window headless Chromium opens, where the rows become cards; nothing, the
// table least of all, is wider than the window. On the managed page's
// charts every mark stays inside its plot, and no label leaves its chart or
// covers another.
func TestPageFitsTheWindowInChromium(t *testing.T) {
	chromium := tuningtest.Chromium(t)
	reports := []struct {
		name   string
		report Report
	}{
		{"two architectures", twoArchitectures()},
		{"many rows", crowdedReport()},
		{"fitted curve", curveReport()},
		{"managed instances", managedReport()},
		{"managed instances, many lines", crowdedManagedReport()},
	}
	for _, rep := range reports {
		page, err := Render(rep.report)
		if err != nil {
			t.Fatal(err)
		}
		for _, width := range []int{1200, 800, 500} {
			t.Run(fmt.Sprintf("%s at %d px", rep.name, width), func(t *testing.T) {
				t.Parallel()
				m := measureInChromium(t, chromium, page, width)
				t.Logf("page %d px wide in a %d px viewport; table to %.0f px; legend to %.0f of %d units",
					m.scrollWidth, m.clientWidth, m.tableRight, m.legendRight, chartWidth)
				if m.scrollWidth > m.clientWidth {
					t.Errorf("the page is %d px wide in a %d px viewport: it scrolls sideways", m.scrollWidth, m.clientWidth)
				}
				if m.tableRight > float64(m.clientWidth) {
					t.Errorf("the results table ends at %.0f px, beyond the %d px viewport", m.tableRight, m.clientWidth)
				}
				if m.curveTop < plotTop-1 || m.curveBottom > plotBottom+1 || m.curveLeft < plotLeft || m.curveRight > plotRight {
					t.Errorf("the fitted curve spans x %.0f..%.0f, y %.0f..%.0f: outside the plot (x %d..%d, y %d..%d)",
						m.curveLeft, m.curveRight, m.curveTop, m.curveBottom, plotLeft, plotRight, plotTop, plotBottom)
				}
				if m.legendRight > chartWidth {
					t.Errorf("the chart's legend ends at %.0f, beyond the chart's %d units", m.legendRight, chartWidth)
				}
				if m.marksOutside != 0 || m.labelsOutside != 0 || m.labelsOverlapping != 0 {
					t.Errorf("managed charts: %d marks outside their plot, %d labels outside their chart, %d pairs of labels overlapping: %s",
						m.marksOutside, m.labelsOutside, m.labelsOverlapping, m.offenders)
				}
				if m.clientWidth < width-40 {
					t.Errorf("viewport %d px for a %d px window: the measurement is off", m.clientWidth, width)
				}
			})
		}
	}
}

// layout is what the measuring script reports.
type layout struct {
	scrollWidth, clientWidth int
	tableRight               float64 // the right edge of the widest table cell
	legendRight              float64 // the right edge of the chart's legend, in SVG units
	// The fitted curve's bounding box, in SVG units (inside the plot when
	// there is no curve).
	curveLeft, curveRight, curveTop, curveBottom float64
	// On managed charts: marks outside the plot, text outside the chart,
	// pairs of overlapping text, and the first few of them named.
	marksOutside, labelsOutside, labelsOverlapping int
	offenders                                      string
}

// measureScript runs after layout and writes the measurements into the
// DOM, which --dump-dom prints. It is added by the test only.
const measureScript = `<script>
(function () {
  var root = document.documentElement, right = 0;
  document.querySelectorAll("table, th, td").forEach(function (el) {
    right = Math.max(right, el.getBoundingClientRect().right);
  });
  var legendRight = 0;
  document.querySelectorAll("svg .legend").forEach(function (g) {
    var b = g.getBBox();
    legendRight = Math.max(legendRight, b.x + b.width);
  });
  var curve = document.querySelector("svg .curve");
  var cb = curve ? curve.getBBox() : {x: 84, y: 64, width: 0, height: 0};
  var out = document.createElement("output");
  out.id = "layout";
  var marks = 0, outside = 0, overlaps = 0, names = [];
  var name = function (el) { return (el.textContent || el.getAttribute("class") || el.tagName).trim().slice(0, 40); };
  // Boxes in the chart's own units: transforms (the markers' translate, the
  // rotated axis title) applied.
  var box = function (el) {
    var b = el.getBBox(), m = el.getCTM(), svg = el.ownerSVGElement, s = svg.getCTM().inverse();
    var xs = [], ys = [];
    [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]].forEach(function (c) {
      var p = svg.createSVGPoint(); p.x = c[0]; p.y = c[1];
      p = p.matrixTransform(s.multiply(m));
      xs.push(p.x); ys.push(p.y);
    });
    return {l: Math.min.apply(null, xs), r: Math.max.apply(null, xs), t: Math.min.apply(null, ys), b: Math.max.apply(null, ys)};
  };
  document.querySelectorAll("svg.managed-chart").forEach(function (svg) {
    var plot = svg.getAttribute("data-plot").split(" ").map(Number), vb = svg.viewBox.baseVal;
    svg.querySelectorAll(".series .point, .series .line, .optimum circle, .goal line, .failed text").forEach(function (el) {
      var b = box(el);
      if (b.l < plot[0] - 10.5 || b.r > plot[2] + 10.5 || b.t < plot[1] - 10.5 || b.b > plot[3] + 10.5) { marks++; names.push("mark " + name(el)); }
    });
    var texts = Array.prototype.slice.call(svg.querySelectorAll("text")).map(function (el) { return {el: el, b: box(el)}; });
    texts.forEach(function (t, i) {
      if (t.b.l < vb.x || t.b.r > vb.x + vb.width || t.b.t < vb.y || t.b.b > vb.y + vb.height) { outside++; names.push("outside " + name(t.el)); }
      for (var j = i + 1; j < texts.length; j++) {
        var u = texts[j].b;
        if (t.b.l < u.r - 0.5 && u.l < t.b.r - 0.5 && t.b.t < u.b - 0.5 && u.t < t.b.b - 0.5) { overlaps++; names.push(name(t.el) + " / " + name(texts[j].el)); }
      }
    });
  });
  out.textContent = root.scrollWidth + " " + root.clientWidth + " " + right + " " + legendRight +
    " " + cb.x + " " + (cb.x + cb.width) + " " + cb.y + " " + (cb.y + cb.height) +
    " " + marks + " " + outside + " " + overlaps + " |" + names.slice(0, 6).join("; ") + "|";
  document.body.appendChild(out);
})();
</script>
`

var layoutOutput = regexp.MustCompile(`<output id="layout">(\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+) (\d+) \|([^|]*)\|</output>`)

func measureInChromium(t *testing.T, chromium string, page []byte, width int) layout {
	t.Helper()
	body := strings.Replace(string(page), "</body>", measureScript+"</body>", 1)
	dir := t.TempDir()
	htmlPath := filepath.Join(dir, "report.html")
	if err := os.WriteFile(htmlPath, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	// Generous: this bounds a hung browser, it does not time the render.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), fmt.Sprintf("--window-size=%d,900", width),
		"--virtual-time-budget=2000", "--dump-dom", "file://"+htmlPath)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", chromium, err, stderr.String())
	}
	m := layoutOutput.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the measuring script wrote nothing; the DOM ends %q\n%s", tail(string(dom), 300), stderr.String())
	}
	var l layout
	l.scrollWidth, _ = strconv.Atoi(string(m[1]))
	l.clientWidth, _ = strconv.Atoi(string(m[2]))
	l.tableRight, _ = strconv.ParseFloat(string(m[3]), 64)
	l.legendRight, _ = strconv.ParseFloat(string(m[4]), 64)
	for i, dst := range []*float64{&l.curveLeft, &l.curveRight, &l.curveTop, &l.curveBottom} {
		*dst, _ = strconv.ParseFloat(string(m[5+i]), 64)
	}
	l.marksOutside, _ = strconv.Atoi(string(m[9]))
	l.labelsOutside, _ = strconv.Atoi(string(m[10]))
	l.labelsOverlapping, _ = strconv.Atoi(string(m[11]))
	l.offenders = html.UnescapeString(string(m[12]))
	return l
}

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

// crowdedReport is a realistic worst case for the table: two
// architectures, 24 rows, long failure reasons, ties and retired sizes, a
// long function name.
func crowdedReport() Report {
	r := Report{
		FunctionARN: "arn:aws:lambda:ap-southeast-2:123456789012:function:orders-api-production-checkout-" +
			"payment-reconciliation-worker-with-a-very-long-name:live",
		Region: "ap-southeast-2", Currency: "USD", Strategy: analysis.StrategyBalanced, BalancedWeight: 0.5,
		TunedAt: "Tue, 01 Dec 2026 21:00:00 UTC", TuningCost: 0.0123456,
		OptimalPower: 1024, OptimalArchitecture: "arm64",
		BaselinePower: 128, BaselineArchitecture: "x86_64",
		ChartURL: chartURL,
	}
	powers := []int32{128, 256, 384, 512, 640, 768, 1024, 1536, 2048, 3008, 5120, 10240}
	for a, arch := range []string{"x86_64", "arm64"} {
		s := Series{Architecture: arch}
		speed, price := 1+0.15*float64(a), 1.6e-11*(1-0.2*float64(a)) // arm64: slower, cheaper
		for i, p := range powers {
			duration := speed * (123456.78/float64(p) + 25) * (1 + 0.1*float64(i%3))
			res := result(p, duration, float64(p)*duration*price+2e-7)
			res.Invocations, res.TotalCost = 1000, res.AverageCost*1000
			switch {
			case p == 10240:
				res = analysis.PowerResult{Power: p, Architecture: arch, Failed: true, Invocations: 1, Errors: 1,
					FailureReason: "Function.ResourceLimitExceeded: the function's memory size exceeds the account's " +
						"maximum of 3008 MB for this region; request a quota increase (ServiceQuotas L-548AE339)"}
			case p == 5120:
				res.Failed, res.FailureReason = true, "Task timed out after 900.00 seconds while invoking "+
					"arn:aws:lambda:ap-southeast-2:123456789012:function:orders-api-production-checkout:copy-5120"
			case p == 128 || p == 256:
				res.Retired, res.BehindBy, res.Invocations = true, 0.4123, 10
			case p == 768 || p == 1536 || (p == 1024 && arch == "x86_64"):
				res.WithinNoise = true
			}
			res.Errors = int(p % 7)
			s.Results = append(s.Results, res)
		}
		r.Series = append(r.Series, s)
	}
	return r
}
