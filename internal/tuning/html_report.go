package tuning

import (
	"context"
	"strings"
	"time"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/analysis/htmlreport"
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
		Series:               []htmlreport.Series{{Architecture: r.Architecture, Results: r.Results}},
		OptimalPower:         r.OptimalPower,
		OptimalArchitecture:  r.Architecture,
		BaselinePower:        r.BaselinePower,
		BaselineArchitecture: r.Architecture,
		ChartURL:             r.VisualizationURL,
	}
	if !r.TunedAt.IsZero() {
		page.TunedAt = r.TunedAt.UTC().Format(time.RFC1123)
	}
	return htmlreport.Render(page)
}

// HTMLReportURI is where the HTML page of the JSON report at jsonURI goes:
// beside it, with ".json" replaced by ".html" (or ".html" appended).
func HTMLReportURI(jsonURI string) string {
	return strings.TrimSuffix(jsonURI, ".json") + ".html"
}

// WriteHTMLReport stores r's HTML page at uri ("s3://bucket/key").
func WriteHTMLReport(ctx context.Context, client S3API, uri string, r *Report) error {
	bucket, key, err := ParseS3URI(uri)
	if err != nil {
		return err
	}
	page, err := RenderHTML(r)
	if err != nil {
		return err
	}
	return putObject(ctx, client, bucket, key, page, "text/html; charset=utf-8")
}
