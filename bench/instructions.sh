#!/usr/bin/env bash
# Instructions a Go benchmark's loop executes per op, counted by callgrind.
# On a shared machine wall and CPU time move by a third with the load; the
# instruction count does not (two runs agree within ~0.2 %), so a change's
# effect on the work done is measured here and its effect on time with
# `go test -bench` and bench/run.sh.
#
#   bash bench/instructions.sh ./differ CompareCorpus
#   bash bench/instructions.sh ./extractor Extract
#
# The benchmark runs for 1 op and for 6 (go test runs one op before the
# six), with the collector off (GOGC=off: garbage collection is charged by
# allocation, which -benchmem counts), one P, and no asynchronous
# preemption (whose signals callgrind cannot follow). It prints
# (Ir(1 + 6 ops) − Ir(1 op)) / 6: set-up outside the loop cancels out; work
# the loop does outside its timer (BenchmarkExtract builds a profile per
# op) is counted.
set -euo pipefail
pkg=${1:?usage: bench/instructions.sh PACKAGE-DIR BENCHMARK}
bench=${2:?usage: bench/instructions.sh PACKAGE-DIR BENCHMARK}
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "instructions: valgrind missing (apt-get install valgrind)" >&2; exit 2; }
out=$PWD/bench/out
mkdir -p "$out"
go test -c -o "$out/instructions.test" "$pkg"

# count OPS: the instructions callgrind collects for -test.benchtime OPS.
count() {
  (cd "$pkg" && GODEBUG=asyncpreemptoff=1 GOGC=off GOMAXPROCS=1 \
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$1" \
    "$out/instructions.test" -test.run '^$' -test.bench "^Benchmark${bench}\$" -test.cpu 1 -test.benchtime "$1" \
    2>&1 >/dev/null) | awk '/Collected/ { print $4 }'
}
one=$(count 1x)
seven=$(count 6x)
if [ -z "$one" ] || [ -z "$seven" ]; then
  echo "instructions: callgrind reported no count (see $out/callgrind.*)" >&2
  exit 1
fi
echo "Benchmark${bench} ($pkg): $(( (seven - one) / 6 )) instructions/op"
