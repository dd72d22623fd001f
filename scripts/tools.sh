#!/usr/bin/env bash
# Installs the pinned tools this project needs into ./bin, from the Go module proxy only.
# Re-running is a no-op for binaries already present.
#
#   scripts/tools.sh               the tools `make test` needs: a Terraform CLI (when none is
#                                  on PATH), OpenTofu, tfplugindocs, golangci-lint
#   scripts/tools.sh NAME...       only the named ones, among those and:
#     goreleaser                   GoReleaser, for `make release-snapshot`
#     actionlint                   the GitHub Actions workflow linter
#     cli:terraform@vX.Y.Z         an extra CLI for `make testacc-matrix`, as bin/cli/terraform-X.Y.Z
#     cli:tofu@vX.Y.Z              (Terraform: only v1.5.7 and older build from the proxy)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/bin"
mkdir -p "$BIN"

TERRAFORM_VERSION=v1.5.7
OPENTOFU_VERSION=v1.10.10
OPENTOFU_BUILD=release  # bump to rebuild cached binaries when build flags change
TFPLUGINDOCS_VERSION=v0.25.0
GOLANGCI_LINT_VERSION=v2.15.0
GORELEASER_VERSION=v2.15.1
ACTIONLINT_VERSION=v1.7.12

log() { echo "tools: $*" >&2; }

# Built tools are kept per version in a machine-wide cache, so a fresh clone
# on a machine that built them once only copies them.
CACHE="${AWSPOWERTUNING_TOOLS_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/awspowertuning-tools}"
mkdir -p "$CACHE"

# from_cache NAME VERSION [DEST]: copy the cached build NAME-VERSION to DEST (default
# ./bin/NAME), unless DEST is there already; fails when neither is.
from_cache() {
  local dest=${3:-$BIN/$1}
  [ -x "$dest" ] && return 0
  [ -x "$CACHE/$1-$2" ] || return 1
  mkdir -p "$(dirname "$dest")"
  cp "$CACHE/$1-$2" "$dest"
}
# to_cache NAME VERSION [SRC]: remember a fresh build (default ./bin/NAME) as NAME-VERSION.
to_cache() {
  local tmp
  tmp=$(mktemp "$CACHE/.$1-$2.XXXXXX")
  cp "${3:-$BIN/$1}" "$tmp" && chmod 0755 "$tmp" && mv "$tmp" "$CACHE/$1-$2"
}

# module_dir MODULE@VERSION: the module's source, downloaded through the proxy.
module_dir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }

# build_terraform VERSION OUT: Terraform releases up to v1.5.7 (the last MPL one) `go install`.
build_terraform() {
  local tmp
  tmp=$(mktemp -d)
  GOBIN="$tmp" GOFLAGS=-mod=mod go install "github.com/hashicorp/terraform@$1"
  mkdir -p "$(dirname "$2")"
  mv "$tmp/terraform" "$2"
  rmdir "$tmp"
}

# build_tofu VERSION OUT: OpenTofu does not `go install` (replace directives); build in its module.
build_tofu() {
  local dir
  dir=$(module_dir "github.com/opentofu/opentofu@$1")
  [ -n "$dir" ] || { log "github.com/opentofu/opentofu@$1 is not served"; return 1; }
  (cd "$dir" && GOFLAGS=-mod=mod go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$2" ./cmd/tofu)
}

tool_terraform() {
  # Use the one on PATH when there is one, else build the last MPL release.
  if ! command -v terraform >/dev/null 2>&1 && ! from_cache terraform "$TERRAFORM_VERSION"; then
    log "building terraform $TERRAFORM_VERSION (no terraform on PATH)"
    build_terraform "$TERRAFORM_VERSION" "$BIN/terraform"
    to_cache terraform "$TERRAFORM_VERSION"
  fi
}

tool_tofu() {
  if ! from_cache tofu "$OPENTOFU_VERSION-$OPENTOFU_BUILD"; then
    log "building tofu $OPENTOFU_VERSION"
    build_tofu "$OPENTOFU_VERSION" "$BIN/tofu"
    to_cache tofu "$OPENTOFU_VERSION-$OPENTOFU_BUILD"
  fi
}

# go_tool NAME VERSION PACKAGE: `go install PACKAGE@VERSION` into ./bin, through the cache.
go_tool() {
  if ! from_cache "$1" "$2"; then
    log "building $1 $2"
    GOBIN="$BIN" go install "$3@$2"
    to_cache "$1" "$2"
  fi
}

# tool_cli KIND VERSION: bin/cli/KIND-X.Y.Z for the acceptance matrix, cached like
# bin/terraform and bin/tofu (so a version built for one is copied for the other).
tool_cli() {
  local kind=$1 version=$2 key
  local dest="$BIN/cli/$kind-${version#v}"
  case $kind in
    terraform) key=$version ;;
    tofu) key=$version-$OPENTOFU_BUILD ;;
    *) log "unknown CLI '$kind' (terraform or tofu)"; return 2 ;;
  esac
  from_cache "$kind" "$key" "$dest" && return 0
  log "building $kind $version into bin/cli"
  "build_$kind" "$version" "$dest"
  to_cache "$kind" "$key" "$dest"
}

install() {
  case $1 in
    terraform) tool_terraform ;;
    tofu) tool_tofu ;;
    tfplugindocs) go_tool tfplugindocs "$TFPLUGINDOCS_VERSION" github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs ;;
    golangci-lint) go_tool golangci-lint "$GOLANGCI_LINT_VERSION" github.com/golangci/golangci-lint/v2/cmd/golangci-lint ;;
    goreleaser) go_tool goreleaser "$GORELEASER_VERSION" github.com/goreleaser/goreleaser/v2 ;;
    actionlint) go_tool actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint ;;
    cli:*@v*) local spec=${1#cli:}; tool_cli "${spec%@*}" "${spec#*@}" ;;
    *) log "unknown tool '$1'"; return 2 ;;
  esac
}

if [ $# -eq 0 ]; then
  set -- terraform tofu tfplugindocs golangci-lint
fi
for tool in "$@"; do
  install "$tool"
done
