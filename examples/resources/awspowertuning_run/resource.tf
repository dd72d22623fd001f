resource "aws_lambda_function" "orders" {
  function_name    = "orders"
  role             = aws_iam_role.orders.arn
  runtime          = "python3.13"
  handler          = "app.handler"
  filename         = "orders.zip"
  source_code_hash = filebase64sha256("orders.zip")
  memory_size      = 512
}

resource "awspowertuning_run" "orders" {
  lambda_arn   = aws_lambda_function.orders.arn
  num          = 20
  power_values = [128, 256, 512, 1024, 1769, 3008]
  strategy     = "balanced"

  payload = jsonencode([
    { payload = { order_id = "small" }, weight = 3 },
    { payload = { order_id = "large" }, weight = 1 },
  ])
  parallel_invocation = true
  max_concurrency     = 10

  # Keep the full report, for the awspowertuning_report data source and for import.
  report_s3_uri = "s3://my-tuning-reports/orders.json"

  # Tune again whenever new code is deployed.
  triggers = {
    code = aws_lambda_function.orders.source_code_hash
  }

  timeouts {
    create = "45m"
  }
}

# Tune disposable copies of the version behind the "live" alias: the function
# itself receives no change and no invocation (see "Tuning copies"). A zip
# package above 50 MB is staged through the S3 prefix (deleted afterwards).
resource "awspowertuning_run" "orders_live" {
  lambda_arn         = "${aws_lambda_function.orders.arn}:live"
  isolation          = "copies"
  copies_code_s3_uri = "s3://my-build-artifacts/power-tuning"
  num                = 20
  power_values       = [128, 512, 1024, 3008]
}

output "orders_memory" {
  value = awspowertuning_run.orders.optimal_power
}

output "orders_results" {
  value = {
    for r in awspowertuning_run.orders.results :
    r.power => format("%.0f ms, %.9f %s", r.average_duration, r.average_cost, awspowertuning_run.orders.currency)
  }
}
