#!/usr/bin/env bash
# Builds every release archive locally, exactly as a tagged release would (.goreleaser.yml),
# but as a snapshot version and without publishing, then checks the result with
# scripts/verify-release.sh. Offline: GoReleaser is built from the Go module proxy into
# ./bin (scripts/tools.sh goreleaser), the modules are downloaded first, and GoReleaser
# itself runs with GOPROXY=off.
#
# Environment:
#   RELEASE_SIGN=1   also run the signing step, with a throwaway GPG key made for this run
#                    (the real key only ever lives in the release workflow's secrets)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
start=$SECONDS
step() { printf '\n==> %s\n' "$*"; }

step "GoReleaser"
bash scripts/tools.sh goreleaser
GORELEASER="$ROOT/bin/goreleaser"
"$GORELEASER" --version 2>/dev/null | grep -m1 -i 'gitversion' || true
"$GORELEASER" check

step "Go modules"
# Everything the build and the before-hook (go mod tidy -diff) read, so that GoReleaser
# itself needs no network.
go mod download
go mod tidy -diff

skip=publish
if [ "${RELEASE_SIGN:-}" = 1 ]; then
  step "A throwaway signing key"
  GNUPGHOME=$(mktemp -d)
  export GNUPGHOME
  trap 'gpgconf --kill all 2>/dev/null || true; rm -rf "$GNUPGHOME"' EXIT
  gpg --batch --quiet --passphrase '' --quick-gen-key "awspowertuning snapshot <snapshot@invalid>" ed25519 sign 1d
  GPG_FINGERPRINT=$(gpg --batch --list-secret-keys --with-colons | awk -F: '$1 == "fpr" {print $10; exit}')
  export GPG_FINGERPRINT
  echo "signing with $GPG_FINGERPRINT"
else
  skip=sign,publish
fi

# GoReleaser reads the commit, its date and the tags from git, but in a clone without a
# remote it gives up on all of them ("none") even for a snapshot: name the repository
# for this process only, through git's environment (nothing is fetched or pushed).
if ! git remote | grep -q .; then
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url \
    GIT_CONFIG_VALUE_0=https://github.com/awspowertuning/terraform-provider-awspowertuning.git
fi

step "goreleaser release --snapshot --clean --skip=$skip"
build_start=$SECONDS
GOPROXY=off GOFLAGS=-mod=readonly "$GORELEASER" release --snapshot --clean --skip="$skip"
build_time=$((SECONDS - build_start))

# The manifest is checksummed by GoReleaser but only uploaded (release.extra_files) by a real
# release; put it where the upload would, next to SHA256SUMS.
version=$(jq -r .version dist/metadata.json)
cp terraform-registry-manifest.json "dist/terraform-provider-awspowertuning_${version}_manifest.json"

step "Checking dist/"
bash scripts/verify-release.sh dist

echo
echo "release-snapshot: $(find dist -maxdepth 1 -name '*.zip' | wc -l) archives in dist/ ($(du -ch dist/*.zip | tail -1 | cut -f1) of zips); goreleaser ${build_time}s, total $((SECONDS - start))s"
