package htmlreport

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
)

// Report is what the page shows. The caller formats TunedAt: this package
// keeps no clock.
type Report struct {
	FunctionARN    string
	Region         string
	Currency       string
	Strategy       analysis.Strategy
	BalancedWeight float64 // shown with the balanced strategy only
	TunedAt        string
	TuningCost     float64
	// Series holds one run's results per architecture; most reports have one.
	Series []Series
	// OptimalPower and OptimalArchitecture name the chosen result; 0 for a
	// dry run, which chooses none.
	OptimalPower        int32
	OptimalArchitecture string
	// BaselinePower is the memory size the function had before the run; 0
	// when unknown (reports written before it was recorded).
	BaselinePower        int32
	BaselineArchitecture string
	// ChartURL is the optional link to the external chart; "" for none.
	ChartURL string
	// Managed is a tuning on Lambda Managed Instances; the page then shows
	// its settings instead of Series.
	Managed *Managed
}

// Series is one architecture's results, in any order.
type Series struct {
	Architecture string
	Results      []analysis.PowerResult
}

//go:embed style.html.tmpl
var styleSource string

//go:embed report.html.tmpl
var pageSource string

//go:embed managed.html.tmpl
var managedPageSource string

var (
	page        = template.Must(template.Must(template.New("report").Parse(pageSource)).Parse(styleSource))
	managedPage = template.Must(template.Must(template.New("managed").Parse(managedPageSource)).Parse(styleSource))
)

// Render returns the page as UTF-8 HTML. It is also well-formed XML, so
// tests (and other tools) can read it with an XML parser.
func Render(r Report) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if r.Managed != nil {
		err = managedPage.Execute(&buf, newManagedView(r))
	} else {
		err = page.Execute(&buf, newView(r))
	}
	if err != nil {
		return nil, fmt.Errorf("rendering the HTML report: %w", err)
	}
	return buf.Bytes(), nil
}
