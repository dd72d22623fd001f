# An execution started outside Terraform: the console, execute.sh or a CI job.
data "awspowertuning_execution" "orders" {
  execution_arn = "arn:aws:states:eu-west-1:123456789012:execution:powerTuningStateMachine:release-42"
}

resource "aws_lambda_function" "orders" {
  # ...
  memory_size = data.awspowertuning_execution.orders.optimal_power
}
