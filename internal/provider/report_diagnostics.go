package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
)

// reportReadDiagnostics explains why a stored report could not be read. at
// is the attribute holding the URI (empty for an import ID).
func reportReadDiagnostics(err error, uri, partition string, at path.Path) diag.Diagnostics {
	var summary, advice string
	switch {
	case errors.Is(err, report.ErrReportNotFound):
		summary = "Report Not Found"
		advice = "No report exists at this S3 URI. Check the bucket and key, and that the awspowertuning_run with " +
			"this report_s3_uri has been applied (in the same account and Region)."
	case errors.Is(err, report.ErrReportAccessDenied):
		summary = "Report Access Denied"
		advice = fmt.Sprintf("S3 refused to return the report. Allow s3:GetObject on %s (and kms:Decrypt when the "+
			"bucket uses SSE-KMS) to the credentials Terraform uses.", s3ObjectARN(partition, uri))
	case errors.Is(err, report.ErrNotAReport):
		summary = "Object Is Not A Tuning Report"
		advice = "The object exists but is not a report written by awspowertuning_run (its kind is not " +
			report.Kind + "). Point to the report_s3_uri of an awspowertuning_run."
	default:
		summary = "Cannot Read Report"
		advice = "The report could not be read from S3."
	}
	detail := advice + "\n\nS3 URI: " + uri + "\n\nOriginal error: " + err.Error()
	var diags diag.Diagnostics
	if len(at.Steps()) == 0 {
		diags.AddError(summary, detail)
	} else {
		diags.AddAttributeError(at, summary, detail)
	}
	return diags
}

// reportWriteDiagnostics explains why a finished run's report was not stored.
func reportWriteDiagnostics(err error, uri, partition string) diag.Diagnostics {
	return storeDiagnostics(err, uri, partition, "report_s3_uri", "Report Not Stored",
		"The tuning run succeeded, but its report could not be written to report_s3_uri.",
		"The resource is marked tainted, so the next apply runs the tuning again and stores its report.")
}

// reportPreflightDiagnostics explains why a run did not start: S3 refused
// the write check of its report.
func reportPreflightDiagnostics(err error, uri, partition string) diag.Diagnostics {
	return storeDiagnostics(err, uri, partition, "report_s3_uri", "Report Cannot Be Stored",
		"S3 refused a test write next to report_s3_uri, so the run did not start: nothing was invoked and "+
			"nothing on the function was changed.",
		"Fix the bucket or the permissions (or remove report_s3_uri) and apply again.")
}

// htmlReportWriteDiagnostics explains why the HTML page was not stored.
func htmlReportWriteDiagnostics(err error, uri, partition string) diag.Diagnostics {
	return storeDiagnostics(err, uri, partition, "report_s3_html", "HTML Report Not Stored",
		"The tuning run succeeded, but its HTML report could not be written next to report_s3_uri.",
		"The JSON report is still written when S3 accepts it. The resource is marked tainted, so the next "+
			"apply runs the tuning again and stores both.")
}

// storeDiagnostics is a failed PutObject of a finished run's report, on the
// attribute that asked for it: what failed, how to fix it, what happens next.
func storeDiagnostics(err error, uri, partition, attribute, summary, failed, next string) diag.Diagnostics {
	advice := failed
	if errors.Is(err, report.ErrReportAccessDenied) {
		advice += fmt.Sprintf(" Allow s3:PutObject on %s to the credentials Terraform uses.", s3ObjectARN(partition, uri))
	} else {
		advice += " Check that the bucket exists and is in reach of the provider's S3 endpoint."
	}
	var diags diag.Diagnostics
	diags.AddAttributeError(path.Root(attribute), summary,
		advice+" "+next+"\n\nS3 URI: "+uri+"\n\nOriginal error: "+err.Error())
	return diags
}

// s3ObjectARN turns s3://bucket/key into arn:<partition>:s3:::bucket/key
// for IAM advice: a policy in another partition must name its own.
func s3ObjectARN(partition, uri string) string {
	return "arn:" + partition + ":s3:::" + strings.TrimPrefix(uri, "s3://")
}
