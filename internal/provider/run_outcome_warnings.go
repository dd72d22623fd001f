package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/report"
	"github.com/awspowertuning/terraform-provider-awspowertuning/internal/tuning/spec"
)

// Warnings about a finished run that the resource and the action both give.

// architectureNotApplied warns when auto_optimize applied a memory size
// measured on an architecture the function does not run on.
func architectureNotApplied(in spec.Input, rep *report.Report) diag.Diagnostics {
	if !in.AutoOptimize || rep.OptimalArchitecture == "" || rep.OptimalArchitecture == rep.Architecture {
		return nil
	}
	return diag.Diagnostics{diag.NewAttributeWarningDiagnostic(path.Root("architectures"), "Architecture Not Applied",
		fmt.Sprintf("auto_optimize set the function's memory to the optimum, %d MB, but the optimum was measured on %s "+
			"and the function stays on %s: auto_optimize never changes an architecture. Change the function's "+
			"architectures yourself (and tune again) to get the measured figures.",
			rep.OptimalPower, rep.OptimalArchitecture, rep.Architecture))}
}

// dryRunReportNotStored says why a dry run wrote nothing to report_s3_uri.
func dryRunReportNotStored(uri string) diag.Diagnostic {
	// optimal_power = 0 in a report would become memory_size = 0 in the
	// guide's consumer: a dry run measures nothing worth storing.
	return diag.NewAttributeWarningDiagnostic(path.Root("report_s3_uri"), "Dry Run Report Not Stored",
		"A dry run checks permissions and wiring and chooses no memory size, so no report was written: a "+
			"consumer of the report could mistake its optimal_power = 0 for a result. Set dry_run = false to "+
			"store a report.\n\nS3 URI: "+uri)
}
