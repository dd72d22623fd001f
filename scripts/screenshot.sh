#!/usr/bin/env bash
# Renders an HTML file to a PNG with headless Chromium from Debian's packages:
#   scripts/screenshot.sh report.html out.png [WIDTHxHEIGHT]
# Installs chromium with apt-get when it is missing (as root, or with sudo).
# The flags keep Chromium off the network: this machine has none, and without
# them it tries (background updates, QUIC, sync) and waits.
set -euo pipefail

html=${1:?usage: screenshot.sh page.html out.png [WIDTHxHEIGHT]}
png=${2:?usage: screenshot.sh page.html out.png [WIDTHxHEIGHT]}
size=${3:-1200x900}

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
  echo "screenshot: installing chromium (Debian package)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
  CHROMIUM=$(command -v chromium)
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
abs_html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
abs_png=$(cd "$(dirname "$png")" && pwd)/$(basename "$png")

"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$abs_png" --window-size="${size/x/,}" "file://$abs_html" >/dev/null 2>&1
test -s "$abs_png"
echo "$abs_png"
