package report

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis/htmlreport"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/awsapi"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// RenderHTML renders r as a self-contained HTML page (see htmlreport).
func RenderHTML(r *Report) ([]byte, error) {
	strategy := r.Input.Strategy
	if strategy == "" {
		strategy = analysis.StrategyCost
	}
	weight := analysis.DefaultBalancedWeight
	if r.Input.BalancedWeight != nil {
		weight = *r.Input.BalancedWeight
	}
	page := htmlreport.Report{
		FunctionARN:          r.FunctionARN,
		Region:               r.Region,
		Currency:             r.Currency,
		Strategy:             strategy,
		BalancedWeight:       weight,
		TuningCost:           r.TuningCost,
		Series:               seriesByArchitecture(r),
		OptimalPower:         r.OptimalPower,
		OptimalArchitecture:  cmp.Or(r.OptimalArchitecture, r.Architecture),
		BaselinePower:        r.BaselinePower,
		BaselineArchitecture: r.Architecture,
		ChartURL:             r.VisualizationURL,
		Managed:              managedPage(r),
	}
	if !r.TunedAt.IsZero() {
		page.TunedAt = r.TunedAt.UTC().Format(time.RFC1123)
	}
	return htmlreport.Render(page)
}

// seriesByArchitecture is one series per architecture the run measured, in
// the order of its results; rows without one are the function's.
func seriesByArchitecture(r *Report) []htmlreport.Series {
	var series []htmlreport.Series
	for _, res := range r.Results {
		arch := cmp.Or(res.Architecture, r.Architecture)
		i := slices.IndexFunc(series, func(s htmlreport.Series) bool { return s.Architecture == arch })
		if i < 0 {
			series = append(series, htmlreport.Series{Architecture: arch})
			i = len(series) - 1
		}
		series[i].Results = append(series[i].Results, res)
	}
	if len(series) == 0 {
		series = []htmlreport.Series{{Architecture: r.Architecture}}
	}
	return series
}

// HTMLReportURI is where the HTML page of the JSON report at jsonURI goes:
// beside it, with ".json" replaced by ".html" (or ".html" appended).
func HTMLReportURI(jsonURI string) string {
	return strings.TrimSuffix(jsonURI, ".json") + ".html"
}

// WriteHTMLReport stores r's HTML page at uri ("s3://bucket/key").
func WriteHTMLReport(ctx context.Context, client awsapi.S3API, uri string, r *Report) error {
	bucket, key, err := spec.ParseS3URI(uri)
	if err != nil {
		return err
	}
	page, err := RenderHTML(r)
	if err != nil {
		return err
	}
	return putObject(ctx, client, bucket, key, page, "text/html; charset=utf-8")
}
