#!/usr/bin/env bash
# Runs the acceptance suite (make testacc-one) through every Terraform and OpenTofu CLI
# it finds, one after the other, and prints a table of each CLI's version, outcome, test
# counts and duration.
#
# Environment:
#   MATRIX_BUILD  tools.sh specs to build first besides bin/terraform and bin/tofu, e.g.
#                 "cli:terraform@v1.14.5 cli:tofu@v1.10.10" (into bin/cli, through the tool
#                 cache); empty: build nothing
#   CLIS          "path …": only these CLIs; otherwise terraform and tofu on PATH, bin/terraform,
#                 bin/tofu and bin/cli/*, one per distinct version
#   TESTARGS      passed to go test (e.g. -run '^TestAccRun_basic$')
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# shellcheck disable=SC2086 # MATRIX_BUILD is a list
if [ -n "${MATRIX_BUILD:-}" ]; then
  echo "testacc-matrix: building bin/terraform, bin/tofu and $MATRIX_BUILD (cached after the first time)"
  bash scripts/tools.sh terraform tofu $MATRIX_BUILD
fi

candidates=()
if [ -n "${CLIS:-}" ]; then
  read -r -a candidates <<<"$CLIS"
else
  for name in terraform tofu; do
    if p=$(command -v "$name"); then candidates+=("$p"); fi
  done
  candidates+=("$ROOT/bin/terraform" "$ROOT/bin/tofu")
  for p in "$ROOT"/bin/cli/*; do candidates+=("$p"); done
fi

# One entry per distinct CLI and version; an explicit CLIS entry that does not run is an error.
clis=() versions=() seen=" "
for c in "${candidates[@]}"; do
  p=$(command -v "$c" 2>/dev/null) || p=
  if [ -z "$p" ] || [ ! -x "$p" ]; then
    if [ -n "${CLIS:-}" ]; then echo "testacc-matrix: no CLI at $c" >&2; exit 2; fi
    continue
  fi
  p=$(readlink -f "$p")
  # The whole output, then its first line: `| head -1` could end the CLI with SIGPIPE.
  out=$("$p" version 2>/dev/null) || out=
  v=${out%%$'\n'*}
  case $v in
    "Terraform v"* | "OpenTofu v"*) ;;
    *) echo "testacc-matrix: $p is not a Terraform or OpenTofu CLI ('$v')" >&2; [ -n "${CLIS:-}" ] && exit 2; continue ;;
  esac
  key=${v// /_}
  case $seen in *" $key "*) echo "testacc-matrix: $p is $v again; skipped"; continue ;; esac
  seen+="$key "
  clis+=("$p")
  versions+=("$v")
done

if [ ${#clis[@]} -eq 0 ]; then
  echo "testacc-matrix: no Terraform or OpenTofu CLI found; run 'make tools' or set CLIS" >&2
  exit 1
fi

# Terraform first, then OpenTofu, each oldest first.
order=$(for i in "${!clis[@]}"; do echo "${versions[$i]} $i"; done | sort -k1,1r -k2,2V | cut -d' ' -f3)
sorted_clis=() sorted_versions=()
for i in $order; do sorted_clis+=("${clis[$i]}"); sorted_versions+=("${versions[$i]}"); done
clis=("${sorted_clis[@]}") versions=("${sorted_versions[@]}")

echo "testacc-matrix: ${#clis[@]} CLIs:"
for i in "${!clis[@]}"; do printf '  %-20s %s\n' "${versions[$i]}" "${clis[$i]}"; done

LOGS=$(mktemp -d)
results=() failed=0
for i in "${!clis[@]}"; do
  cli=${clis[$i]} v=${versions[$i]}
  log="$LOGS/$i.log"
  echo
  echo "testacc-matrix: [$((i + 1))/${#clis[@]}] $v ($cli)"
  start=$SECONDS
  if make --no-print-directory testacc-one CLI="$cli" TESTARGS="${TESTARGS:-}" 2>&1 | tee "$log"; then
    outcome=PASS
  else
    outcome=FAIL
    failed=$((failed + 1))
  fi
  passed=$(grep -c '^--- PASS: TestAcc' "$log" || true)
  fails=$(grep -c '^--- FAIL: TestAcc' "$log" || true)
  skipped=$(grep -c '^--- SKIP: TestAcc' "$log" || true)
  took=$((SECONDS - start))
  results+=("$(printf '%-20s  %-4s  %6d  %6d  %7d  %3dm%02ds  %s' \
    "$v" "$outcome" "$passed" "$fails" "$skipped" $((took / 60)) $((took % 60)) "$cli")")
done

echo
echo "testacc-matrix: results"
printf '  %-20s  %-4s  %6s  %6s  %7s  %7s  %s\n' CLI RESULT PASSED FAILED SKIPPED TIME PATH
printf '  %s\n' "${results[@]}"
rm -rf "$LOGS"
if [ "$failed" -gt 0 ]; then
  echo "testacc-matrix: $failed of ${#clis[@]} CLIs failed" >&2
  exit 1
fi
echo "testacc-matrix: all ${#clis[@]} CLIs passed"
