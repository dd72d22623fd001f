# Terraform 1.12 and later: a run is imported from the report it stored, named
# by the report's location.
import {
  to = awspowertuning_run.orders
  identity = {
    report_s3_uri = "s3://my-tuning-reports/orders.json"
  }
}
