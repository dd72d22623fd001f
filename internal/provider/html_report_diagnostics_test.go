package provider

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

func TestHTMLReportWriteDiagnostics(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		advice string
	}{
		{"access denied", fmt.Errorf("%w: AccessDenied", report.ErrReportAccessDenied), "s3:PutObject on arn:aws:s3:::bucket/run.html"},
		{"other", errors.New("connection refused"), "Check that the bucket exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := htmlReportWriteDiagnostics(tt.err, "s3://bucket/run.html", "aws")
			if len(diags) != 1 || diags[0].Summary() != "HTML Report Not Stored" {
				t.Fatalf("summaries = %q, want [HTML Report Not Stored]", summaries(diags))
			}
			if at := attributeOf(diags[0]); at != "report_s3_html" {
				t.Errorf("error is on %q, want report_s3_html", at)
			}
			assertInOrder(t, diags[0].Detail(), []string{"run succeeded", tt.advice, "JSON report is still written",
				"tainted", "S3 URI: s3://bucket/run.html", "Original error: " + tt.err.Error()})
		})
	}
}

func TestValidateReportStorage(t *testing.T) {
	if d := validateReportStorage(runResourceModel{}); d.HasError() {
		t.Errorf("no report settings: %v", d)
	}
	var m runResourceModel
	m.ReportS3HTML = types.BoolValue(true)
	m.ReportS3URI = types.StringNull()
	d := validateReportStorage(m)
	if len(d) != 1 || d[0].Summary() != "HTML Report Needs report_s3_uri" {
		t.Fatalf("summaries = %q", summaries(d))
	}
	if at := attributeOf(d[0]); at != "report_s3_html" {
		t.Errorf("error is on %q, want report_s3_html", at)
	}
	m.ReportS3URI = types.StringValue("s3://bucket/run.json")
	if d := validateReportStorage(m); d.HasError() {
		t.Errorf("with report_s3_uri: %v", d)
	}
}
