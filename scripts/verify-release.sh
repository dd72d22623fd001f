#!/usr/bin/env bash
# Checks a GoReleaser dist/ directory against what the Terraform Registry requires:
#   - one zip per expected OS/arch, named terraform-provider-awspowertuning_<version>_<os>_<arch>.zip,
#     each holding exactly one binary terraform-provider-awspowertuning_v<version>[.exe];
#   - every binary built for its OS/arch, with CGO off and -trimpath (from the Go build information,
#     which any platform's binary has), stripped (-s), with the version and commit set by -X;
#   - the binary for this machine runs and answers `-version` with that version;
#   - <name>_<version>_manifest.json identical to terraform-registry-manifest.json, protocol 6;
#   - <name>_<version>_SHA256SUMS listing exactly the zips and the manifest, and `sha256sum -c` passing;
#   - when <…>_SHA256SUMS.sig exists (a signed build), `gpg --verify` accepting it (skipped, and
#     said, when the signer's public key is not in the keyring).
#
# Usage: scripts/verify-release.sh [DIST]   (default: dist). Version: from DIST/metadata.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIST=$(cd "${1:-dist}" && pwd)
NAME=terraform-provider-awspowertuning

# The registry's platforms, as .goreleaser.yml builds them: {freebsd,windows,linux,darwin} ×
# {amd64,386,arm,arm64}, less darwin/386, windows/arm, and darwin/arm (Go has no such port).
PLATFORMS=(
  darwin_amd64 darwin_arm64
  freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
  linux_386 linux_amd64 linux_arm linux_arm64
  windows_386 windows_amd64 windows_arm64
)

fail=0
ok() { printf '  ok    %s\n' "$*"; }
bad() { printf '  FAIL  %s\n' "$*" >&2; fail=1; }

[ -f "$DIST/metadata.json" ] || { echo "verify-release: no $DIST/metadata.json (run goreleaser first)" >&2; exit 1; }
VERSION=$(jq -r .version "$DIST/metadata.json")
COMMIT=$(jq -r .commit "$DIST/metadata.json")
if [ -z "$VERSION" ] || [ "$VERSION" = null ]; then
  echo "verify-release: no version in metadata.json" >&2
  exit 1
fi
echo "verify-release: $NAME $VERSION (commit $COMMIT) in $DIST"

# 1. Exactly the expected archives.
expected=()
for p in "${PLATFORMS[@]}"; do expected+=("${NAME}_${VERSION}_${p}.zip"); done
mapfile -t found < <(find "$DIST" -maxdepth 1 -name '*.zip' -printf '%f\n' | sort)
mapfile -t want < <(printf '%s\n' "${expected[@]}" | sort)
if [ "${found[*]}" = "${want[*]}" ]; then
  ok "${#found[@]} archives, one per platform: ${PLATFORMS[*]}"
else
  bad "archives differ from the expected ${#want[@]}:"
  diff <(printf '%s\n' "${want[@]}") <(printf '%s\n' "${found[@]}") >&2 || true
fi

# 2. Each archive's binary: name, platform, build settings, version.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
HOST="$(go env GOHOSTOS)_$(go env GOHOSTARCH)"
for p in "${PLATFORMS[@]}"; do
  zip="$DIST/${NAME}_${VERSION}_${p}.zip"
  [ -f "$zip" ] || continue
  os=${p%_*} arch=${p#*_}
  bin="${NAME}_v${VERSION}"
  [ "$os" = windows ] && bin+=.exe
  mkdir -p "$WORK/$p"
  unzip -q "$zip" -d "$WORK/$p"
  binaries=$(find "$WORK/$p" -maxdepth 1 -name "${NAME}*" -printf '%f\n' | sort)
  if [ "$binaries" != "$bin" ]; then
    bad "$p: the zip holds '${binaries//$'\n'/ }', want $bin"
    continue
  fi
  # Go records GOOS, GOARCH, CGO_ENABLED and -trimpath in every binary (but not -ldflags
  # when -trimpath is on): the -X values are found as strings, -s as a missing symbol table.
  info=$(go version -m "$WORK/$p/$bin")
  problems=()
  grep -qx $'\tbuild\tGOOS='"$os" <<<"$info" || problems+=("GOOS=$os")
  grep -qx $'\tbuild\tGOARCH='"$arch" <<<"$info" || problems+=("GOARCH=$arch")
  grep -qx $'\tbuild\tCGO_ENABLED=0' <<<"$info" || problems+=("CGO_ENABLED=0")
  grep -qx $'\tbuild\t-trimpath=true' <<<"$info" || problems+=("-trimpath")
  grep -qaF -- "$VERSION" "$WORK/$p/$bin" || problems+=("-X main.version=$VERSION")
  grep -qaF -- "$COMMIT" "$WORK/$p/$bin" || problems+=("-X main.commit=$COMMIT")
  # (Mach-O binaries keep their dynamic imports, type U, even when stripped.)
  if go tool nm "$WORK/$p/$bin" 2>/dev/null | awk '$(NF-1) != "U"' | grep -q .; then
    problems+=("-s (it has a symbol table)")
  fi
  if [ ${#problems[@]} -gt 0 ]; then
    bad "$p: $bin lacks: ${problems[*]}"
    continue
  fi
  if [ "$p" = "$HOST" ]; then
    answer=$("$WORK/$p/$bin" -version 2>&1) || true
    if [ "$answer" = "$NAME $VERSION (commit $COMMIT)" ]; then
      ok "$p: $bin runs here and answers: $answer"
    else
      bad "$p: '$bin -version' answered '$answer', want '$NAME $VERSION (commit $COMMIT)'"
    fi
  else
    ok "$p: $bin built for $os/$arch, CGO_ENABLED=0, -trimpath, stripped, version and commit set"
  fi
done

# 3. The registry manifest.
manifest="${NAME}_${VERSION}_manifest.json"
if [ ! -f "$DIST/$manifest" ]; then
  bad "no $manifest"
elif ! cmp -s "$DIST/$manifest" "$ROOT/terraform-registry-manifest.json"; then
  bad "$manifest differs from terraform-registry-manifest.json"
elif [ "$(jq -c '.metadata.protocol_versions' "$DIST/$manifest")" != '["6.0"]' ]; then
  bad "$manifest: protocol_versions is $(jq -c '.metadata.protocol_versions' "$DIST/$manifest"), want [\"6.0\"]"
else
  ok "$manifest: protocol_versions [\"6.0\"]"
fi

# 4. Checksums: exactly the zips and the manifest, all matching.
sums="${NAME}_${VERSION}_SHA256SUMS"
if [ ! -f "$DIST/$sums" ]; then
  bad "no $sums"
else
  listed=$(awk '{print $2}' "$DIST/$sums" | sort)
  wanted=$(printf '%s\n' "${expected[@]}" "$manifest" | sort)
  if [ "$listed" != "$wanted" ]; then
    bad "$sums lists other files than the archives and the manifest:"
    diff <(echo "$wanted") <(echo "$listed") >&2 || true
  elif out=$(cd "$DIST" && sha256sum --strict -c "$sums" 2>&1); then
    ok "$sums: $(grep -c ': OK$' <<<"$out") files match (sha256sum -c)"
  else
    bad "$sums: sha256sum -c failed:"
    echo "$out" >&2
  fi
fi

# 5. The signature, when this build was signed (release-snapshot's throwaway key is in its
# GNUPGHOME only while it runs; elsewhere import the public key first).
if [ -f "$DIST/$sums.sig" ]; then
  status=$(gpg --batch --status-fd 1 --verify "$DIST/$sums.sig" "$DIST/$sums" 2>"$WORK/gpg.out" || true)
  if grep -q '^\[GNUPG:\] GOODSIG ' <<<"$status" && grep -q '^\[GNUPG:\] VALIDSIG ' <<<"$status"; then
    ok "$sums.sig: good signature by $(awk '$2 == "VALIDSIG" {print $3; exit}' <<<"$status")"
  elif grep -q '^\[GNUPG:\] NO_PUBKEY ' <<<"$status"; then
    printf '  skip  %s: signed by %s, whose public key is not in this keyring\n' "$sums.sig" \
      "$(awk '$2 == "NO_PUBKEY" {print $3; exit}' <<<"$status")"
  else
    bad "$sums.sig: gpg --verify failed"
    cat "$WORK/gpg.out" >&2
  fi
fi

if [ $fail -ne 0 ]; then
  echo "verify-release: FAILED" >&2
  exit 1
fi
echo "verify-release: all checks passed"
