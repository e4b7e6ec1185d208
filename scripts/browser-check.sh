#!/usr/bin/env bash
# Real-browser check of the HTML report: renders the report of the bundled
# fixture history and loads it in headless Chromium from a file:// URL:
#
#   - at 1280 px: a screenshot; no console error, the script finishes, the
#     timelines and their bars are there;
#   - with a filter in the URL hash (a reload of a shared link) by the OLD
#     name "Azure Active Directory Connect": the rows shown are exactly the
#     changes of the service under its new name;
#   - at 414 px (a phone): a screenshot, and no two year labels of any axis
#     overlap, measured from the element boxes in the DOM (a copy of the
#     report with a measuring script appended).
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
# shellcheck disable=SC2054 # --window-size takes a comma
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --enable-logging=stderr --v=0 --window-size=1280,1800
  --virtual-time-budget=3000)

"$chrome" "${flags[@]}" --dump-dom "$url" >"$out/dom.html" 2>"$out/console.log" || true
"$chrome" "${flags[@]}" --screenshot="$out/report.png" "$url" >/dev/null 2>>"$out/console.log" || true
"$chrome" "${flags[@]}" --dump-dom "$url#f?service=azure+active+directory+connect" >"$out/dom-filtered.html" 2>>"$out/console.log" || true

# The measuring copy: year-label boxes of every axis, at the window's width.
measure='<script>window.addEventListener("load", function () {
  var overlaps = 0, labels = 0;
  document.querySelectorAll(".axis").forEach(function (axis) {
    var boxes = [];
    axis.querySelectorAll("span").forEach(function (s) {
      var r = s.getBoundingClientRect();
      if (r.width > 0 && getComputedStyle(s).display !== "none") boxes.push(r);
    });
    labels += boxes.length;
    boxes.sort(function (a, b) { return a.left - b.left; });
    for (var i = 1; i < boxes.length; i++) if (boxes[i].left < boxes[i - 1].right) overlaps++;
  });
  document.body.dataset.labels = labels;
  document.body.dataset.overlaps = overlaps;
  document.body.dataset.width = window.innerWidth;
});</script>'
awk -v m="$measure" '{ i = index($0, "</body>"); if (i) print substr($0, 1, i - 1) m substr($0, i); else print }' "$out/report.html" >"$out/measure.html"
murl="file://$(cd "$out" && pwd)/measure.html"
# Headless Chromium keeps windows at least 500 px wide: the phone is a
# 414 px frame (its own viewport, so the report's media queries apply),
# whose measures the frame page copies out.
cat >"$out/phone.html" <<'HTML'
<!DOCTYPE html><html><body style="margin:0">
<iframe id="phone" src="measure.html" style="width:414px;height:1200px;border:0"></iframe>
<script>document.getElementById("phone").addEventListener("load", function () {
  var d = this.contentDocument.body.dataset;
  document.body.dataset.labels = d.labels; document.body.dataset.overlaps = d.overlaps; document.body.dataset.width = d.width;
});</script></body></html>
HTML
purl="file://$(cd "$out" && pwd)/phone.html"
phone=("${flags[@]/--window-size=1280,1800/--window-size=500,1200}" --allow-file-access-from-files)
"$chrome" "${flags[@]}" --dump-dom "$murl" >"$out/dom-desktop-measure.html" 2>>"$out/console.log" || true
"$chrome" "${phone[@]}" --dump-dom "$purl" >"$out/dom-mobile.html" 2>>"$out/console.log" || true
"$chrome" "${phone[@]}" --screenshot="$out/report-mobile.png" "$purl" >/dev/null 2>>"$out/console.log" || true

fail=0
if grep -E ':CONSOLE[:(]|Uncaught' "$out/console.log" >"$out/errors.txt"; then
  echo "browser-check: console errors:" >&2; cat "$out/errors.txt" >&2; fail=1
fi
grep -q 'data-ready="1"' "$out/dom.html" || { echo "browser-check: the report's script did not finish" >&2; fail=1; }
grep -q 'class="timeline"' "$out/dom.html" || { echo "browser-check: no timeline in the rendered page" >&2; fail=1; }
grep -q 'class="bar ' "$out/dom.html" || { echo "browser-check: no period bars in the rendered page" >&2; fail=1; }
[ -s "$out/report.png" ] || { echo "browser-check: no screenshot" >&2; fail=1; }
[ -s "$out/report-mobile.png" ] || { echo "browser-check: no mobile screenshot" >&2; fail=1; }

# The old name finds the service, and only it, from the URL hash alone.
shown=$(grep -o 'data-shown="[0-9]*"' "$out/dom-filtered.html" | grep -o '[0-9]*' || echo 0)
visible=$(grep '<tr id="change-' "$out/dom-filtered.html" | grep -v 'hidden=""' || true)
if [ "${shown:-0}" -lt 1 ] || ! grep -q 'data-service="Microsoft Entra Connect"' <<<"$visible" ||
  grep -v 'data-names="[^"]*azure active directory connect' <<<"$visible" | grep -q .; then
  echo "browser-check: the filter by the old name \"Azure Active Directory Connect\" from the URL hash showed ${shown:-0} row(s): want Microsoft Entra Connect's, and only rows of services once so named" >&2
  fail=1
fi
echo "browser-check: the old name in the URL hash shows ${shown:-0} row(s), Microsoft Entra Connect among them"

# No overlapping year labels, on a desktop and on a phone.
for f in dom-desktop-measure dom-mobile; do
  labels=$(grep -o 'data-labels="[0-9]*"' "$out/$f.html" | grep -o '[0-9]*' || true)
  overlaps=$(grep -o 'data-overlaps="[0-9]*"' "$out/$f.html" | grep -o '[0-9]*' || true)
  width=$(grep -o 'data-width="[0-9]*"' "$out/$f.html" | grep -o '[0-9]*' || true)
  if [ -z "$labels" ] || [ "$labels" -lt 1 ] || [ "$overlaps" != 0 ]; then
    echo "browser-check: $f: ${labels:-no} year labels measured, ${overlaps:-?} overlapping (window ${width:-?} px)" >&2
    fail=1
  fi
  echo "browser-check: $f: window ${width:-?} px, $labels year labels, none overlapping"
done
if [ "$fail" = 0 ]; then
  echo "browser-check: ok — no console errors, the old name finds the service from the URL hash, no overlapping labels; screenshots $out/report.png and $out/report-mobile.png"
fi
exit $fail
