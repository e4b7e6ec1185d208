#!/usr/bin/env bash
# Real-browser check of the HTML report: renders the report of the bundled
# fixture history, loads it in headless Chromium from a file:// URL, takes a
# screenshot and fails when the page logs a console error, its script does
# not finish, or the timeline is missing.
#
#   apt-get install -y chromium      # once (Debian package)
#   bash scripts/browser-check.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "browser-check: no Chromium found (apt-get install -y chromium)" >&2
  exit 2
fi

go run ./cmd/residiff report --repo fixtures/upstream.git --out "$out/report.html"
url="file://$(cd "$out" && pwd)/report.html"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --enable-logging=stderr --v=0 --window-size=1280,1800
  --virtual-time-budget=3000)

"$chrome" "${flags[@]}" --dump-dom "$url" >"$out/dom.html" 2>"$out/console.log" || true
"$chrome" "${flags[@]}" --screenshot="$out/report.png" "$url" >/dev/null 2>>"$out/console.log" || true

fail=0
if grep -E ':CONSOLE[:(]|Uncaught' "$out/console.log" >"$out/errors.txt"; then
  echo "browser-check: console errors:" >&2; cat "$out/errors.txt" >&2; fail=1
fi
grep -q 'data-ready="1"' "$out/dom.html" || { echo "browser-check: the report's script did not finish" >&2; fail=1; }
grep -q 'class="timeline"' "$out/dom.html" || { echo "browser-check: no timeline in the rendered page" >&2; fail=1; }
grep -q 'class="bar ' "$out/dom.html" || { echo "browser-check: no period bars in the rendered page" >&2; fail=1; }
[ -s "$out/report.png" ] || { echo "browser-check: no screenshot" >&2; fail=1; }
if [ "$fail" = 0 ]; then
  echo "browser-check: ok — rendered without console errors; screenshot $out/report.png"
fi
exit $fail
