# Tunes one function against a local Lambda emulator: `make demo` starts
# lambdasim with a CPU-bound sample function and applies this configuration.
# Point the variables at real AWS (and drop the dummy credentials) to tune a
# real function.

terraform {
  required_providers {
    awspowertuning = {
      source = "awspowertuning/awspowertuning"
    }
  }
}

variable "endpoint" {
  description = "Lambda, S3 and CloudWatch Logs endpoint of the emulator."
  type        = string
}

variable "function_name" {
  description = "Function to tune."
  type        = string
  default     = "sample-cpu-bound"
}

provider "awspowertuning" {
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"

  endpoints {
    lambda = var.endpoint
    s3     = var.endpoint
    logs   = var.endpoint
  }
}

resource "awspowertuning_run" "sample" {
  lambda_arn          = var.function_name
  num                 = 20
  power_values        = [128, 256, 512, 1024, 1769, 3008]
  strategy            = "balanced"
  parallel_invocation = true
  report_s3_uri       = "s3://tuning-reports/${var.function_name}.json"
  # Also stores the HTML page at s3://tuning-reports/<function>.html.
  report_s3_html = true
}

# Reads the stored report back; its html attribute is the same page, for a
# local file (`terraform output -raw report_html > report.html`, or local_file).
data "awspowertuning_report" "sample" {
  s3_uri     = awspowertuning_run.sample.report_s3_uri
  depends_on = [awspowertuning_run.sample]
}

output "optimal_power" {
  description = "Memory size (MB) the balanced strategy chose."
  value       = awspowertuning_run.sample.optimal_power
}

output "results_table" {
  description = "Average duration and cost per memory size, one line each."
  value = join("\n", concat(
    [format("%7s  %11s  %s", "memory", "duration", "cost per invocation")],
    [
      for r in awspowertuning_run.sample.results :
      format("%4d MB  %8.2f ms  %.12f %s%s", r.power, r.average_duration, r.average_cost, awspowertuning_run.sample.currency,
      r.power == awspowertuning_run.sample.optimal_power ? "  <- optimal" : "")
    ],
  ))
}

output "visualization_url" {
  value = awspowertuning_run.sample.visualization_url
}

output "compared_with_today" {
  description = "The optimum against the memory size the function had before the run."
  value = awspowertuning_run.sample.optimal_relative_duration == null ? "not measured" : format(
    "%d MB takes %.0f %% of the time and %.0f %% of the cost of today's %d MB",
    awspowertuning_run.sample.optimal_power, 100 * awspowertuning_run.sample.optimal_relative_duration,
  100 * awspowertuning_run.sample.optimal_relative_cost, awspowertuning_run.sample.baseline_power)
}

output "report_html" {
  description = "The self-contained HTML report."
  value       = data.awspowertuning_report.sample.html
}
