# runs.tfquery.hcl: the runs that stored their report under s3://my-tuning-reports/runs/.
list "awspowertuning_run" "past" {
  provider = awspowertuning
  config {
    report_s3_prefix = "s3://my-tuning-reports/runs/"
  }
}
