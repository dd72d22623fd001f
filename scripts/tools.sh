#!/usr/bin/env bash
# Installs the pinned tools this project needs into ./bin, from the Go module proxy only.
# Re-running is a no-op for binaries already present. `tools.sh terraform`
# installs only Terraform (when none is on PATH): all that `make demo` needs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/bin"
mkdir -p "$BIN"

TERRAFORM_VERSION=v1.5.7
OPENTOFU_VERSION=v1.10.10
OPENTOFU_BUILD=release  # bump to rebuild cached binaries when build flags change
TFPLUGINDOCS_VERSION=v0.25.0
GOLANGCI_LINT_VERSION=v2.15.0

log() { echo "tools: $*" >&2; }

# Built tools are kept per version in a machine-wide cache, so a fresh clone
# on a machine that built them once only copies them.
CACHE="${AWSPOWERTUNING_TOOLS_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/awspowertuning-tools}"
mkdir -p "$CACHE"

# from_cache NAME VERSION: copy a cached build into ./bin; fails when absent.
from_cache() {
  [ -x "$BIN/$1" ] && return 0
  [ -x "$CACHE/$1-$2" ] || return 1
  cp "$CACHE/$1-$2" "$BIN/$1"
}
# to_cache NAME VERSION: remember a fresh build.
to_cache() { cp "$BIN/$1" "$CACHE/$1-$2.tmp" && mv "$CACHE/$1-$2.tmp" "$CACHE/$1-$2"; }

# Terraform: use the one on PATH when there is one, else build the last MPL release.
if ! command -v terraform >/dev/null 2>&1 && ! from_cache terraform "$TERRAFORM_VERSION"; then
  log "building terraform $TERRAFORM_VERSION (no terraform on PATH)"
  GOBIN="$BIN" GOFLAGS=-mod=mod go install "github.com/hashicorp/terraform@$TERRAFORM_VERSION"
  to_cache terraform "$TERRAFORM_VERSION"
fi
if [ "${1:-}" = terraform ]; then
  exit 0
fi

if ! from_cache tofu "$OPENTOFU_VERSION-$OPENTOFU_BUILD"; then
  log "building tofu $OPENTOFU_VERSION"
  dir=$(go mod download -json "github.com/opentofu/opentofu@$OPENTOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  (cd "$dir" && GOFLAGS=-mod=mod go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$BIN/tofu" ./cmd/tofu)
  to_cache tofu "$OPENTOFU_VERSION-$OPENTOFU_BUILD"
fi

if ! from_cache tfplugindocs "$TFPLUGINDOCS_VERSION"; then
  log "building tfplugindocs $TFPLUGINDOCS_VERSION"
  GOBIN="$BIN" go install "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@$TFPLUGINDOCS_VERSION"
  to_cache tfplugindocs "$TFPLUGINDOCS_VERSION"
fi

if ! from_cache golangci-lint "$GOLANGCI_LINT_VERSION"; then
  log "building golangci-lint $GOLANGCI_LINT_VERSION"
  GOBIN="$BIN" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
  to_cache golangci-lint "$GOLANGCI_LINT_VERSION"
fi
