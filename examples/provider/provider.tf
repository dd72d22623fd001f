# Credentials and Region come from the usual places (environment variables,
# ~/.aws/config, an instance role, ...), exactly as for the AWS provider.
provider "awspowertuning" {
  region = "eu-west-1"

  # Tune functions in another account through a role.
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/power-tuner"
    session_name = "terraform-power-tuning"
  }

  # Memory sizes a run tests when it does not list its own.
  default_power_values = [128, 256, 512, 1024, 1769, 3008]
}

# Against a local emulator (LocalStack, moto, lambdasim): dummy credentials
# and an endpoint for every service the emulator serves (a service left out
# is called on real AWS). lambdasim serves Lambda, S3 and CloudWatch Logs on
# one URL, but not Step Functions: with LocalStack or moto, also set
# sfn = "http://..." for state_machine_arn and awspowertuning_execution.
provider "awspowertuning" {
  alias      = "local"
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"

  endpoints {
    lambda = "http://127.0.0.1:9001"
    s3     = "http://127.0.0.1:9001"
    logs   = "http://127.0.0.1:9001"
  }
}
