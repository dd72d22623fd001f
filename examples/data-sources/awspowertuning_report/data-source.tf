# In another workspace: use the memory size a tuning pipeline chose.
data "awspowertuning_report" "orders" {
  s3_uri = "s3://my-tuning-reports/orders.json"
}

resource "aws_lambda_function" "orders" {
  function_name    = "orders"
  role             = aws_iam_role.orders.arn
  runtime          = "python3.13"
  handler          = "app.handler"
  filename         = "orders.zip"
  source_code_hash = filebase64sha256("orders.zip")
  memory_size      = data.awspowertuning_report.orders.optimal_power
}

# In CI: write the report's HTML page to a file and upload it as an artifact.
resource "local_file" "power_tuning_report" {
  filename = "${path.root}/power-tuning-report.html"
  content  = data.awspowertuning_report.orders.html
}
