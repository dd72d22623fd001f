# A run is imported from the report it stored at its report_s3_uri.
terraform import awspowertuning_run.orders s3://my-tuning-reports/orders.json
