#!/usr/bin/env bash
# Generates docs/ from the provider schema, examples/ and templates/ with
# tfplugindocs, offline and reproducibly: the provider is built into a
# temporary directory, Terraform reads its schema through a dev_overrides CLI
# config (no init, no registry), and tfplugindocs renders from that schema.
#
# Environment: TERRAFORM (default: ./bin/terraform, the pinned release),
# TFPLUGINDOCS (default: ./bin/tfplugindocs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

TERRAFORM=${TERRAFORM:-$ROOT/bin/terraform}
TFPLUGINDOCS=${TFPLUGINDOCS:-$ROOT/bin/tfplugindocs}
for tool in "$TERRAFORM" "$TFPLUGINDOCS"; do
  if [ ! -x "$(command -v "$tool" || true)" ]; then
    echo "generate-docs: $tool not found; run 'make tools' first" >&2
    exit 1
  fi
done

# Terraform reports action schemas from 1.14 on: an older CLI would drop the
# action pages without a word.
if ! "$TERRAFORM" version 2>/dev/null | head -1 | grep -Eq '^Terraform v(1\.(1[4-9]|[2-9][0-9])|[2-9])'; then
  echo "generate-docs: $TERRAFORM is older than Terraform 1.14, which the action pages need; run 'make generate', which uses ./bin/terraform" >&2
  exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "generate-docs: building the provider" >&2
go build -o "$WORK/bin/terraform-provider-awspowertuning" .

cat >"$WORK/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "awspowertuning/awspowertuning" = "$WORK/bin"
  }
  direct {}
}
EOF

mkdir -p "$WORK/config"
cat >"$WORK/config/main.tf" <<'EOF'
terraform {
  required_providers {
    awspowertuning = {
      source = "awspowertuning/awspowertuning"
    }
  }
}
EOF

export TF_CLI_CONFIG_FILE="$WORK/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
echo "generate-docs: reading the schema with $("$TERRAFORM" version | head -1)" >&2
(cd "$WORK/config" && "$TERRAFORM" providers schema -json >"$WORK/schema.raw.json")

# tfplugindocs looks the schema up by the short provider name (or under the
# hashicorp namespace), not by our registry address.
sed 's#"registry.terraform.io/awspowertuning/awspowertuning":#"awspowertuning":#' \
  "$WORK/schema.raw.json" >"$WORK/schema.json"
if ! grep -q '"awspowertuning":' "$WORK/schema.json"; then
  echo "generate-docs: the schema has no registry.terraform.io/awspowertuning/awspowertuning provider" >&2
  exit 1
fi

echo "generate-docs: rendering docs/" >&2
rm -rf docs
"$TFPLUGINDOCS" generate \
  --provider-dir "$ROOT" \
  --provider-name awspowertuning \
  --providers-schema "$WORK/schema.json" \
  --examples-dir examples \
  --website-source-dir templates \
  --rendered-website-dir docs \
  --website-temp-dir "$WORK/tfplugindocs"
