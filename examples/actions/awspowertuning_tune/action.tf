# Tune on demand with: terraform apply -invoke=action.awspowertuning_tune.api
action "awspowertuning_tune" "api" {
  config {
    lambda_arn    = "arn:aws:lambda:eu-west-1:123456789012:function:api"
    num           = 50
    power_values  = [512, 1024, 1769, 3008]
    strategy      = "cost"
    report_s3_uri = "s3://tuning-reports/api.json"

    timeouts {
      invoke = "45m"
    }
  }
}
