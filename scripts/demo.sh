#!/usr/bin/env bash
# A real tuning run, offline: builds the provider and the lambdasim emulator,
# starts lambdasim with a CPU-bound sample function, applies
# examples/quickstart through a dev_overrides CLI config (no init, no
# registry), prints the optimal memory size and a per-size table, writes the
# HTML report and prints its path, invokes the awspowertuning_tune action
# with Terraform 1.14 or later to show its progress lines, then destroys the
# run and stops the emulator.
#
# Environment: TERRAFORM (default: terraform on PATH, else ./bin/terraform);
# DEMO_REPORT, where to write the HTML report (default: bin/demo-report.html).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

TERRAFORM=${TERRAFORM:-$(command -v terraform || echo "$ROOT/bin/terraform")}
DEMO_REPORT=${DEMO_REPORT:-$ROOT/bin/demo-report.html}
if [ ! -x "$(command -v "$TERRAFORM" || true)" ]; then
  echo "demo: no Terraform CLI ($TERRAFORM); run 'make tools' first" >&2
  exit 1
fi

WORK=$(mktemp -d)
SIM_PID=
cleanup() {
  if [ -n "$SIM_PID" ]; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

step "Building the provider and lambdasim"
# One go build compiles both binaries' shared packages once, in parallel.
mkdir -p "$WORK/bin"
go build -o "$WORK/bin/" . ./cmd/lambdasim
mv "$WORK/bin/lambdasim" "$WORK/lambdasim"

# A function whose work shrinks with memory up to one vCPU (1769 MB), with a
# little I/O that does not, a cold start and 5% noise.
cat >"$WORK/lambdasim.json" <<'EOF'
{
  "functions": [
    {
      "name": "sample-cpu-bound",
      "runtime": "python3.13",
      "memory_size": 128,
      "timeout": 30,
      "environment": {
        "SIM_CPU_MS": "400",
        "SIM_IO_MS": "20",
        "SIM_INIT_MS": "250",
        "SIM_NOISE": "0.05"
      }
    }
  ]
}
EOF

step "Starting lambdasim"
# Updates take 100 ms to settle, like a (fast) real Lambda; invocations answer
# at once but report realistic durations.
"$WORK/lambdasim" -addr 127.0.0.1:0 -config "$WORK/lambdasim.json" -update-delay 100ms \
  >"$WORK/lambdasim.out" 2>"$WORK/lambdasim.err" &
SIM_PID=$!
ENDPOINT=
for _ in $(seq 1 100); do
  ENDPOINT=$(sed -n 's/^lambdasim listening on \(http:[^ ]*\)$/\1/p' "$WORK/lambdasim.out")
  [ -n "$ENDPOINT" ] && break
  if ! kill -0 "$SIM_PID" 2>/dev/null; then
    cat "$WORK/lambdasim.err" >&2
    echo "demo: lambdasim did not start" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$ENDPOINT" ]; then
  echo "demo: lambdasim printed no URL" >&2
  exit 1
fi
cat "$WORK/lambdasim.out"

. scripts/dev-overrides.sh # from the repository root, where the script runs
use_dev_overrides "$WORK"
# State stays in the temporary directory, not in examples/.
mkdir -p "$WORK/quickstart"
cp examples/quickstart/*.tf "$WORK/quickstart/"
tf() { "$TERRAFORM" -chdir="$WORK/quickstart" "$@"; }

step "terraform apply (tuning sample-cpu-bound at 6 memory sizes, 20 invocations each)"
start=$(date +%s)
tf apply -auto-approve -input=false -no-color -var "endpoint=$ENDPOINT" >"$WORK/apply.log" 2>&1 || {
  cat "$WORK/apply.log" >&2
  exit 1
}
echo "applied in $(($(date +%s) - start)) s"

step "Result"
echo "optimal memory size: $(tf output -raw optimal_power) MB (balanced strategy)"
echo
tf output -raw results_table
echo
echo
echo "$(tf output -raw compared_with_today)"
echo "chart: $(tf output -raw visualization_url)"
mkdir -p "$(dirname "$DEMO_REPORT")"
tf output -raw report_html >"$DEMO_REPORT"
echo "HTML report: $DEMO_REPORT"

# Terraform runs actions from 1.14 on: show the action's progress lines then.
if "$TERRAFORM" version | head -1 | grep -Eq '^Terraform v(1\.(1[4-9]|[2-9][0-9])|[2-9])'; then
  step "terraform apply -invoke (the awspowertuning_tune action, printing its progress as it runs)"
  mkdir -p "$WORK/action"
  sed -n '/^terraform {/,/^resource /p' examples/quickstart/main.tf | sed '$d' >"$WORK/action/main.tf"
  cat >>"$WORK/action/main.tf" <<'EOF'
action "awspowertuning_tune" "sample" {
  config {
    lambda_arn   = var.function_name
    num          = 20
    power_values = [128, 256, 512, 1024, 1769, 3008]
  }
}
EOF
  "$TERRAFORM" -chdir="$WORK/action" apply -auto-approve -input=false -no-color -var "endpoint=$ENDPOINT" \
    -invoke=action.awspowertuning_tune.sample 2>&1 | tee "$WORK/action.log" | while IFS= read -r line; do
    case $line in Action*) echo "${line#Action action.awspowertuning_tune.sample (triggered by CLI): }" ;; esac
  done
  grep -q '^Apply complete' "$WORK/action.log" || { cat "$WORK/action.log" >&2; exit 1; }
else
  echo
  echo "($("$TERRAFORM" version | head -1) runs no actions: with Terraform 1.14 or later, 'make demo TERRAFORM=/path/to/terraform' also shows the awspowertuning_tune action's progress lines.)"
fi

step "terraform destroy (forgets the run; the function keeps its memory size)"
tf destroy -auto-approve -input=false -no-color -var "endpoint=$ENDPOINT" >"$WORK/destroy.log" 2>&1 || {
  cat "$WORK/destroy.log" >&2
  exit 1
}
echo "destroyed"
