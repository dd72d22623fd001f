#!/usr/bin/env bash
# The acceptance path against real AWS: builds the provider, then applies, re-plans and
# destroys a small tuning run of a function you own through the real Terraform CLI
# (dev_overrides, no registry), and checks what it returns.
#
# Environment:
#   AWSPOWERTUNING_ACC_FUNCTION       required: name or ARN of a function this run may tune (a
#                                     disposable one: it briefly changes its memory size, then
#                                     restores it and deletes the versions and aliases it made)
#   AWS credentials and region        the usual AWS SDK sources (AWS_PROFILE, AWS_REGION, …)
#   AWSPOWERTUNING_ACC_REPORT_S3_URI  optional s3://bucket/key: also store the report there and
#                                     read it back with the awspowertuning_report data source
#   AWSPOWERTUNING_ACC_ENDPOINT       optional: a Lambda, S3 and CloudWatch Logs endpoint to use instead of AWS,
#                                     such as lambdasim's, with dummy credentials (to try this script)
#   AWSPOWERTUNING_ACC_NUM            invocations per memory size (default 5; 128 and 256 MB are tested)
#   TERRAFORM                         the CLI (default: terraform on PATH, else ./bin/terraform)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

FUNCTION=${AWSPOWERTUNING_ACC_FUNCTION:-}
REPORT=${AWSPOWERTUNING_ACC_REPORT_S3_URI:-}
ENDPOINT=${AWSPOWERTUNING_ACC_ENDPOINT:-}
NUM=${AWSPOWERTUNING_ACC_NUM:-5}
if [ -z "$FUNCTION" ]; then
  cat >&2 <<'EOF'
testacc-aws: set AWSPOWERTUNING_ACC_FUNCTION to the name or ARN of a function this test may tune,
and provide AWS credentials and a region the usual way (AWS_PROFILE, AWS_REGION, ...). Optional:
AWSPOWERTUNING_ACC_REPORT_S3_URI=s3://bucket/key also checks the stored report. See CONTRIBUTING.md.
EOF
  exit 2
fi

TERRAFORM=${TERRAFORM:-$(command -v terraform || echo "$ROOT/bin/terraform")}
if [ ! -x "$(command -v "$TERRAFORM" || true)" ]; then
  echo "testacc-aws: no Terraform CLI ($TERRAFORM); run 'make tools' first" >&2
  exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
start=$SECONDS
step() { printf '\n==> %s\n' "$*"; }
fail() { echo "testacc-aws: FAIL: $*" >&2; exit 1; }

step "Building the provider"
go build -ldflags "-X main.version=acc" -o "$WORK/bin/terraform-provider-awspowertuning" .
. scripts/dev-overrides.sh # from the repository root, where the script runs
use_dev_overrides "$WORK"

mkdir -p "$WORK/config"
{
  cat <<'EOF'
terraform {
  required_providers {
    awspowertuning = {
      source = "awspowertuning/awspowertuning"
    }
  }
}

variable "function" {
  type = string
}

variable "num" {
  type = number
}

variable "report_s3_uri" {
  type    = string
  default = null
}

EOF
  if [ -n "$ENDPOINT" ]; then
    cat <<EOF
provider "awspowertuning" {
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"
  endpoints {
    lambda = "$ENDPOINT"
    s3     = "$ENDPOINT"
    logs   = "$ENDPOINT"
  }
}
EOF
  else
    echo 'provider "awspowertuning" {}'
  fi
  cat <<'EOF'

resource "awspowertuning_run" "acc" {
  lambda_arn    = var.function
  num           = var.num
  power_values  = [128, 256]
  strategy      = "cost"
  report_s3_uri = var.report_s3_uri
}

output "optimal_power" {
  value = awspowertuning_run.acc.optimal_power
}

output "results" {
  value = [for r in awspowertuning_run.acc.results : { power = r.power, invocations = r.invocations, failed = r.failed }]
}

output "function_arn" {
  value = awspowertuning_run.acc.function_arn
}
EOF
  if [ -n "$REPORT" ]; then
    cat <<'EOF'

data "awspowertuning_report" "acc" {
  s3_uri     = awspowertuning_run.acc.report_s3_uri
  depends_on = [awspowertuning_run.acc]
}

output "report_optimal_power" {
  value = data.awspowertuning_report.acc.optimal_power
}
EOF
  fi
} >"$WORK/config/main.tf"

tf() { "$TERRAFORM" -chdir="$WORK/config" "$@"; }
vars=(-input=false -no-color -var "function=$FUNCTION" -var "num=$NUM")
[ -n "$REPORT" ] && vars+=(-var "report_s3_uri=$REPORT")
destroy() { tf destroy -auto-approve "${vars[@]}" >"$WORK/destroy.log" 2>&1 || { cat "$WORK/destroy.log" >&2; return 1; }; }

echo "testacc-aws: $("$TERRAFORM" version | head -1), function $FUNCTION${ENDPOINT:+ at $ENDPOINT}"
step "apply: $NUM invocations at 128 and 256 MB"
if ! tf apply -auto-approve "${vars[@]}" >"$WORK/apply.log" 2>&1; then
  cat "$WORK/apply.log" >&2
  destroy || true
  fail "apply failed"
fi
trap 'destroy || true; rm -rf "$WORK"' EXIT

optimal=$(tf output -raw optimal_power)
results=$(tf output -json results)
echo "function: $(tf output -raw function_arn)"
echo "optimal_power: $optimal MB"
echo "results: $results"
case $optimal in 128 | 256) ;; *) fail "optimal_power is '$optimal', want 128 or 256" ;; esac
[ "$(jq length <<<"$results")" = 2 ] || fail "want 2 results"
[ "$(jq -c '[.[].power]' <<<"$results")" = '[128,256]' ] || fail "results are not for 128 and 256 MB"
[ "$(jq "[.[] | select(.failed or .invocations < $NUM)] | length" <<<"$results")" = 0 ] ||
  fail "a memory size failed or has fewer than $NUM invocations"
if [ -n "$REPORT" ]; then
  stored=$(tf output -raw report_optimal_power)
  [ "$stored" = "$optimal" ] || fail "the stored report says $stored MB, the run $optimal MB"
  echo "report at $REPORT: optimal_power $stored MB"
fi

step "plan: nothing to change"
set +e
tf plan -detailed-exitcode "${vars[@]}" >"$WORK/plan.log" 2>&1
code=$?
set -e
[ $code -eq 0 ] || { cat "$WORK/plan.log" >&2; fail "a second plan wants changes (exit $code)"; }

step "destroy"
destroy || fail "destroy failed"
trap 'rm -rf "$WORK"' EXIT

echo
echo "testacc-aws: passed in $((SECONDS - start))s"
