# Sourced by the scripts that run Terraform against a locally built provider.
# use_dev_overrides WORK: writes WORK/terraformrc pointing the provider's
# address at WORK/bin, and makes the CLI use it.
use_dev_overrides() {
  cat >"$1/terraformrc" <<EOC
provider_installation {
  dev_overrides {
    "awspowertuning/awspowertuning" = "$1/bin"
  }
  direct {}
}
EOC
  export TF_CLI_CONFIG_FILE="$1/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
}
