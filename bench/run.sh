#!/usr/bin/env bash
# Benchmark residiff against native git doing the same work, on generated
# docs-like repositories (bench/gen). For each size it times, in one run and
# on the same repository, wall time, CPU time (user + system) and peak RSS
# (/usr/bin/time):
#
#   native    the single walk: git log --first-parent --raw --format=%H
#             with the page pathspecs, piped to one git cat-file --batch of
#             every changed version of the tracked pages (the reference)
#   native2   the same in two walks (git rev-list, then git log): shown as a
#             second column, never the ratio's reference
#   changelog residiff changelog --format json (walk, read, extract, diff, render)
#   walk      residiff's walk alone (history's BenchmarkWalk, one pass): the
#             work native git does, without extraction and diff
#   noop      residiff run with nothing new since the last run
#   incr      residiff run with one new page commit and all report files
#             on (the last run's report model is extended, not rebuilt)
#   naive     go-git Log with a PathFilter (5,000-commit size only)
#
# and checks that residiff finds exactly the revision set native git finds;
# a mismatch fails the script.
#
#   bash bench/run.sh            # 5,000 and 50,000 commits
#   bash bench/run.sh 5000       # one size
#   bash bench/run.sh 200000     # the large size (generated once, kept)
#   bash bench/run.sh media:50000  # with screenshots: ~3 GB, for the first run
#   BENCH_NAIVE=0 bash bench/run.sh   # without the (slow) naive go-git Log
#   BENCH_FIRST=0 bash bench/run.sh   # without the first runs over HTTP
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 50000)
out=bench/out
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }

go build -o "$out/residiff" ./cmd/residiff
go build -o "$out/naive" ./bench/naive
go build -o "$out/serve" ./bench/serve
go test -c -o "$out/history.test" ./history

# The pathspecs of residiff's default pages, for native git.
pathspecs=()
for root in docs articles/active-directory articles/active-directory-b2c; do
  pathspecs+=(":(glob)$root/**/*data-storage-*.md" ":(glob)$root/**/data-residency.md" ":(glob)$root/**/*data-residency*.md")
done

# measure NAME CMD...: runs CMD under /usr/bin/time, records its wall
# time, CPU time (user + system, children included) and peak RSS.
declare -A wall cpu usr sys rss
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$out/time.$name" "$@"
  read -r "wall[$name]" "usr[$name]" "sys[$name]" "rss[$name]" < "$out/time.$name"
  cpu[$name]=$(awk -v u="${usr[$name]}" -v s="${sys[$name]}" 'BEGIN { printf "%.2f", u + s }')
}

# cell NAME: "wall s, CPU s CPU" for a table.
cell() { printf '%s s, %s s CPU' "${wall[$1]}" "${cpu[$1]}"; }

# native: one pass over the history gives both the revisions (commit lines)
# and the page blobs to read (raw lines), as residiff's walk does.
native() {
  local repo=$1
  git -C "$repo" log --first-parent --diff-merges=first-parent --raw --no-abbrev --format=%H main -- "${pathspecs[@]}" |
    awk -v revs="$out/native.revs" '/^[0-9a-f]+$/ && length($0) == 40 {print > revs; next} /^:/ && $4 !~ /^0+$/ {print $4}' |
    git -C "$repo" cat-file --batch > /dev/null
}

# native2: the same work in two walks (rev-list, then log).
native2() {
  local repo=$1
  git -C "$repo" rev-list --first-parent main -- "${pathspecs[@]}" > "$out/native2.revs"
  git -C "$repo" log --first-parent --diff-merges=first-parent --raw --no-abbrev --format= main -- "${pathspecs[@]}" |
    awk '$4 !~ /^0+$/ {print $4}' | git -C "$repo" cat-file --batch > /dev/null
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

printf '\n| commits | native git (one walk) | native git (two walks) | residiff changelog | ratio to one walk, wall | ratio to one walk, CPU | residiff user + sys | residiff walk only | walk only, CPU ratio | peak RSS | no-op run | one new commit, reports on | naive go-git Log |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
summary=()
for spec in "${sizes[@]}"; do
  # "media:N" is the N-commit repository with screenshots (1–5 images of
  # 50–500 KB every 14 commits: gigabytes, as real docs repositories are).
  n=${spec#media:}; label=$n; genflags=()
  if [ "$spec" != "$n" ]; then label=media-$n; genflags=(-media-every 14 -no-gc); fi
  repo=$out/docs-$label.git
  [ -d "$repo" ] || go run ./bench/gen -commits "$n" "${genflags[@]}" -out "$repo" >&2
  git -C "$repo" rev-list --first-parent main -- "${pathspecs[@]}" >/dev/null # warm the page cache

  measure "native-$label" bash -c "$(declare -p pathspecs out); $(declare -f native); native $repo"
  measure "native2-$label" bash -c "$(declare -p pathspecs out); $(declare -f native2); native2 $repo"
  measure "changelog-$label" bash -c "'$out/residiff' changelog --repo '$repo' --format json --quiet > '$out/changelog-$label.json'"
  measure "walk-$label" env RESIDIFF_BENCH_REPO="$repo" "$out/history.test" -test.run '^$' -test.bench Walk -test.benchtime 1x > /dev/null

  # Correctness: the same revision set as native git.
  grep -o '"commit": "[0-9a-f]*"' "$out/changelog-$label.json" | cut -d'"' -f4 | sort -u > "$out/residiff.revs"
  sort -u "$out/native.revs" > "$out/native.sorted"
  if ! cmp -s "$out/residiff.revs" "$out/native.sorted"; then
    echo "bench: residiff and native git disagree on $label commits:" >&2
    diff "$out/residiff.revs" "$out/native.sorted" | head -20 >&2
    exit 1
  fi

  # The scheduled no-op: state present, nothing new.
  state=$out/state-$label
  rm -rf "$state"; mkdir -p "$state"
  printf 'repositories: [{path: %s, branch: main}]\nstate: state.json\n' "$(cd "$repo" && pwd)" > "$state/residiff.yaml"
  "$out/residiff" run --config "$state/residiff.yaml" --quiet > /dev/null
  measure "noop-$label" bash -c "'$out/residiff' run --config '$state/residiff.yaml' --quiet > /dev/null"

  # One new page commit with every report file on: the run extends the
  # report model the last run kept instead of walking the history again.
  incr=$out/incr-$label
  rm -rf "$incr"; mkdir -p "$incr"
  git clone -q "$repo" "$incr/repo"
  printf 'repositories: [{path: %s, branch: main}]\nstate: state.json\noutputs: {json: out/changelog.json, markdown: out/CHANGELOG.md, html: out/report.html, atom: out/feed.atom}\n' \
    "$(cd "$incr/repo" && pwd)" > "$incr/residiff.yaml"
  "$out/residiff" run --config "$incr/residiff.yaml" --quiet > /dev/null 2>&1
  page=$(git -C "$incr/repo" ls-files -- "${pathspecs[@]}" | head -1)
  echo "One more sentence." >> "$incr/repo/$page"
  git -C "$incr/repo" -c user.name=bench -c user.email=bench@localhost commit -qam "one more"
  measure "incr-$label" bash -c "'$out/residiff' run --config '$incr/residiff.yaml' --quiet > /dev/null 2>&1"
  rm -rf "$incr"

  naive="—"
  if [ "$n" -le 5000 ] && [ "${BENCH_NAIVE:-1}" != 0 ]; then
    measure "naive-$label" bash -c "'$out/naive' -repo '$repo' > '$out/naive.revs' 2>/dev/null"
    naive="$(cell "naive-$label") ($(ratio "${wall[naive-$label]}" "${wall[native-$label]}")×)"
  fi
  c=changelog-$label
  printf '| %s | %s | %s | %s | %s× | %s× | %s + %s s | %s | %s× | %s MB | %s | %s | %s |\n' "$label" "$(cell "native-$label")" "$(cell "native2-$label")" "$(cell "$c")" \
    "$(ratio "${wall[$c]}" "${wall[native-$label]}")" "$(ratio "${cpu[$c]}" "${cpu[native-$label]}")" "${usr[$c]}" "${sys[$c]}" \
    "$(cell "walk-$label")" "$(ratio "${cpu[walk-$label]}" "${cpu[native-$label]}")" \
    "$((${rss[$c]} / 1024))" "$(cell "noop-$label")" "$(cell "incr-$label")" "$naive"
  summary+=("$label:${wall[changelog-$label]}")
done

if [ ${#summary[@]} -ge 2 ]; then
  a=${summary[0]#*:}; b=${summary[-1]#*:}
  echo
  echo "growth ${summary[0]%%:*} → ${summary[-1]%%:*} commits: $(ratio "$b" "$a")× the time"
fi
# The extraction throughput, as a table row.
extraction() {
  echo
  echo "| extraction, one core (go test ./extractor -bench 'Extract\$' -cpu 1) | versions/s |"
  echo "|---|---:|"
  go test ./extractor -run '^$' -bench 'Extract$' -benchtime 2s -cpu 1 |
    awk '/^BenchmarkExtract/ { for (i = 2; i <= NF; i++) if ($i == "versions/s") printf "| %s | %.0f |\n", $1, $(i-1) }'
}
if [ "${BENCH_FIRST:-1}" = 0 ]; then
  extraction
  exit 0
fi
# First run over smart HTTP (git http-backend on loopback): native full and
# blob-less clones against residiff's first changelog from the URL (clone,
# walk, page-version fetch, extract, diff, render), with and without the
# server offering partial clone. residiff's output must match the local run.
printf '\n| commits | native clone | native blob-less clone | residiff first run, blob-less | residiff first run, full clone | blob-less ratio to native blob-less, wall | same, CPU |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|\n'
rm -f "$out/serve.url"
"$out/serve" -root "$out" > "$out/serve.url" &
serve_pid=$!
unset_partial() {
  for r in "$out"/docs-*.git; do
    git -C "$r" config --unset uploadpack.allowFilter || true
    git -C "$r" config --unset uploadpack.allowAnySHA1InWant || true
  done
}
trap 'kill $serve_pid 2>/dev/null || true; unset_partial' EXIT
for _ in $(seq 100); do [ -s "$out/serve.url" ] && break; sleep 0.2; done
base=$(head -1 "$out/serve.url")
[ -n "$base" ] || { echo "bench: bench/serve did not start" >&2; exit 2; }
size() { du -sm "$1" | cut -f1; }
for spec in "${sizes[@]}"; do
  # "media:N" is the N-commit repository with screenshots (1–5 images of
  # 50–500 KB every 14 commits: gigabytes, as real docs repositories are).
  n=${spec#media:}; label=$n; genflags=()
  if [ "$spec" != "$n" ]; then label=media-$n; genflags=(-media-every 14 -no-gc); fi
  repo=$out/docs-$label.git
  first=$out/first-$label
  rm -rf "$first"; mkdir -p "$first"
  git -C "$repo" config uploadpack.allowFilter true
  git -C "$repo" config uploadpack.allowAnySHA1InWant true
  measure "clone-$label" git clone -q --bare "$base/docs-$label.git" "$first/native.git"
  measure "bclone-$label" git clone -q --bare --filter=blob:none "$base/docs-$label.git" "$first/native-blobless.git"
  measure "rfirst-$label" bash -c "'$out/residiff' changelog --repo '$base/docs-$label.git' --cache-dir '$first/residiff' --format json --quiet > '$first/blobless.json' 2>/dev/null"
  if ! compgen -G "$first/residiff/*/residiff-partial" > /dev/null; then
    echo "bench: residiff's first run did not make a blob-less clone" >&2
    exit 1
  fi
  git -C "$repo" config --unset uploadpack.allowFilter
  measure "rfull-$label" bash -c "'$out/residiff' changelog --repo '$base/docs-$label.git' --cache-dir '$first/residiff-full' --format json --quiet > '$first/full.json' 2>/dev/null"
  git -C "$repo" config --unset uploadpack.allowAnySHA1InWant
  # The same changelog as the local walk, but for the repository it names.
  for f in blobless full; do
    if ! diff <(grep -v '"repository"' "$first/$f.json") <(grep -v '"repository"' "$out/changelog-$label.json") > /dev/null; then
      echo "bench: the first run from $base ($f) differs from the local changelog at $label commits" >&2
      exit 1
    fi
  done
  printf '| %s | %s, %s MB | %s, %s MB | %s, %s MB, %s MB RSS | %s, %s MB, %s MB RSS | %s× | %s× |\n' "$label" \
    "$(cell "clone-$label")" "$(size "$first/native.git")" "$(cell "bclone-$label")" "$(size "$first/native-blobless.git")" \
    "$(cell "rfirst-$label")" "$(size "$first/residiff")" "$((${rss[rfirst-$label]} / 1024))" \
    "$(cell "rfull-$label")" "$(size "$first/residiff-full")" "$((${rss[rfull-$label]} / 1024))" \
    "$(ratio "${wall[rfirst-$label]}" "${wall[bclone-$label]}")" "$(ratio "${cpu[rfirst-$label]}" "${cpu[bclone-$label]}")"
  rm -rf "$first"
done

extraction
