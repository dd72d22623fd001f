#!/usr/bin/env bash
# Installs the pinned tools this project needs into ./bin, from the Go module proxy only.
# Re-running is a no-op for binaries already present.
#
#   scripts/tools.sh               the tools `make test` needs: Terraform, OpenTofu, tfplugindocs,
#                                  golangci-lint
#   scripts/tools.sh NAME...       only the named ones, among those and:
#     goreleaser                   GoReleaser, for `make release-snapshot`
#     actionlint                   the GitHub Actions workflow linter
#     cli:terraform@vX.Y.Z         an extra CLI for `make testacc-matrix`, as bin/cli/terraform-X.Y.Z
#     cli:tofu@vX.Y.Z              (any release the Go module proxy serves)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$PWD/bin"
mkdir -p "$BIN"

TERRAFORM_VERSION=v1.16.0
TERRAFORM_BUILD=release # bump to rebuild cached binaries when the way they are built changes
OPENTOFU_VERSION=v1.11.0
OPENTOFU_BUILD=release  # likewise
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

# module_dir MODULE@VERSION: the module's source, downloaded through the proxy; empty,
# with the proxy's answer on stderr, when it is not served.
module_dir() {
  local json
  json=$(go mod download -json "$1" 2>&1) || true
  case $json in
    *'"Dir": "'*) sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json" ;;
    *) log "$1 is not served by the Go module proxy:"; sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/  \1/p' <<<"$json" | sed 's/\\[nt]/ /g' >&2 ;;
  esac
}

# build_failed WHAT LOG: go's output without its download lines, and exits.
build_failed() {
  grep -v '^go: downloading ' "$2" | tail -n 40 >&2
  log "building $1 failed (go build's last lines above); nothing was installed"
  exit 1
}

# edit FILE SED-SCRIPT: sed in place, with any sed (BSD sed's -i wants an argument).
edit() { sed -e "$2" "$1" >"$1.edit" && mv "$1.edit" "$1"; }

# terraform_buildable DIR: Terraform's go.mod (from 1.9 or so on) requires the remote-state
# backends and internal/legacy as nested modules, replaced by directories its module zip does
# not carry, so neither `go install` nor `go build` can resolve them. Drops those modules from
# go.mod and the backends built from them from internal/backend/init/init.go (Terraform keeps
# local, remote, http, inmem and cloud; the acceptance tests use local state only). Also
# renames the godebug setting tlskyber (Terraform 1.11 and older), which Go 1.24 renamed
# tlsmlkem and Go 1.26 no longer knows.
terraform_buildable() {
  local dir=$1 init=$1/internal/backend/init/init.go mod alias
  edit "$dir/go.mod" 's/^\([[:space:]]*\(godebug \)\{0,1\}\)tlskyber=/\1tlsmlkem=/'
  for mod in $(sed -n 's#^replace \(github\.com/hashicorp/terraform/[^ ]*\) => \./.*#\1#p' "$dir/go.mod"); do
    edit "$dir/go.mod" "\#^[[:space:]]*\(replace \)\{0,1\}$mod #d"
    [ -f "$init" ] || continue
    alias=$(sed -n "s#^[[:space:]]*\([A-Za-z0-9_]*\) \"$mod\"\$#\1#p" "$init")
    if [ -n "$alias" ]; then edit "$init" "\#\"$mod\"\$#d; /[^A-Za-z0-9_]$alias\./d"; fi
  done
}

# build_terraform VERSION OUT: any Terraform release the proxy serves, built in a writable copy
# of its module without the nested modules (see terraform_buildable).
build_terraform() (
  version=$1 out=$2
  dir=$(module_dir "github.com/hashicorp/terraform@$version")
  [ -n "$dir" ] || exit 1
  work=$(mktemp -d "${TMPDIR:-/tmp}/awspowertuning-terraform.XXXXXX")
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  cp -R "$dir/." "$work/src"
  chmod -R u+w "$work/src"
  terraform_buildable "$work/src"
  if ! (cd "$work/src" && GOFLAGS=-mod=mod go build -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$work/terraform" .) >"$work/build.log" 2>&1; then
    build_failed "terraform $version" "$work/build.log"
  fi
  mkdir -p "$(dirname "$out")"
  mv "$work/terraform" "$out"
)

# build_tofu VERSION OUT: OpenTofu does not `go install` (replace directives); build in its module.
build_tofu() (
  version=$1 out=$2
  dir=$(module_dir "github.com/opentofu/opentofu@$version")
  [ -n "$dir" ] || exit 1
  work=$(mktemp -d "${TMPDIR:-/tmp}/awspowertuning-tofu.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  if ! (cd "$dir" && GOFLAGS=-mod=mod go build -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$work/tofu" ./cmd/tofu) >"$work/build.log" 2>&1; then
    build_failed "tofu $version" "$work/build.log"
  fi
  mkdir -p "$(dirname "$out")"
  mv "$work/tofu" "$out"
)

# stale_cli PATH VERSION: removes PATH when it is a CLI of another version (a ./bin from
# before a version bump), so that it is installed again.
stale_cli() {
  local out
  [ -x "$1" ] || return 0
  out=$(CHECKPOINT_DISABLE=1 "$1" version 2>/dev/null) || true
  case ${out%%$'\n'*} in
    *" $2") ;;
    *) log "replacing $1 (${out%%$'\n'*}) with $2"; rm -f "$1" ;;
  esac
}

# The pinned Terraform, always (`make test` runs the acceptance tests through it); targets
# that only need some Terraform CLI (demo, generate) build it only when none is on PATH.
tool_terraform() {
  stale_cli "$BIN/terraform" "$TERRAFORM_VERSION"
  if ! from_cache terraform "$TERRAFORM_VERSION-$TERRAFORM_BUILD"; then
    log "building terraform $TERRAFORM_VERSION from the Go module proxy (a few minutes, once per machine)"
    build_terraform "$TERRAFORM_VERSION" "$BIN/terraform"
    to_cache terraform "$TERRAFORM_VERSION-$TERRAFORM_BUILD"
  fi
}

tool_tofu() {
  stale_cli "$BIN/tofu" "$OPENTOFU_VERSION"
  if ! from_cache tofu "$OPENTOFU_VERSION-$OPENTOFU_BUILD"; then
    log "building tofu $OPENTOFU_VERSION from the Go module proxy (a few minutes, once per machine)"
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
    terraform) key=$version-$TERRAFORM_BUILD ;;
    tofu) key=$version-$OPENTOFU_BUILD ;;
    *) log "unknown CLI '$kind' (terraform or tofu)"; return 2 ;;
  esac
  from_cache "$kind" "$key" "$dest" && return 0
  log "building $kind $version into bin/cli from the Go module proxy (a few minutes, once per machine)"
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
