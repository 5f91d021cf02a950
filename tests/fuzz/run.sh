#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# run.sh [--smoke] [--runs N] [--time S] [--target NAME]... [--no-build]
#   Configures and builds the `fuzz` preset (clang-14, libFuzzer, ASan + UBSan; only the
#   fuzz targets), then runs each target one after the other:
#     default    -runs=10000000 per target
#     --runs N   -runs=N per target
#     --time S   at most S seconds per target (with --runs: whichever comes first)
#     --smoke    about 5 s per target (CI; a crash or a sanitizer report fails it)
#     --target   only these targets (body, markdown, query, analysis, http, multipart); repeatable
#   Each target grows its corpus in build-fuzz/corpus/<name> from the seeds in
#   tests/fuzz/corpus/<name>, so that consecutive runs continue where the last stopped.
#   Crash inputs land in build-fuzz/crashes/, logs in build-fuzz/logs/. Prints one line
#   per target (executions, seconds, exec/s, cov, ft); exit status 1 if any target failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/tests/fuzz
build=$root/build-fuzz
all_targets=(body markdown query analysis http multipart)

runs=10000000
time_limit=
smoke=0
build_first=1
targets=()
while (($# > 0)); do
    case $1 in
        --smoke) smoke=1 ;;
        --runs) runs=${2:?--runs needs a number}; shift ;;
        --time) time_limit=${2:?--time needs seconds}; shift ;;
        --target) targets+=("${2:?--target needs a name}"); shift ;;
        --no-build) build_first=0 ;;
        -h | --help) sed -n '4,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
((${#targets[@]} > 0)) || targets=("${all_targets[@]}")

cd "$root"
if ((build_first)); then
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz
fi

# Largest input per target: a request body, a post, a query, a document, a request stream.
declare -A max_len=([body]=2048 [markdown]=4096 [query]=512 [analysis]=1024 [http]=2048)

# malloc_context_size=0: recording each allocation's stack took two thirds of fuzz_analysis's
# time under perf (half of it even at 4 frames); the fault's own stack is still printed, and a
# saved crash input is replayed with ASAN_OPTIONS=malloc_context_size=30 for the allocation's.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1:malloc_context_size=0:quarantine_size_mb=32}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$here/ubsan.supp}
export QT_NO_GLIB=1 QT_QPA_PLATFORM=offscreen

mkdir -p "$build/logs" "$build/crashes"
status=0
printf '%-9s %12s %9s %9s %7s %7s  %s\n' target executions seconds exec/s cov ft result
for t in "${targets[@]}"; do
    bin=$build/bin/fuzz_$t
    [[ -x $bin ]] || { echo "run.sh: no $bin (unknown target '$t'?)" >&2; exit 2; }
    corpus=$build/corpus/$t
    mkdir -p "$corpus"
    args=(-max_len="${max_len[$t]:-4096}" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1
          -artifact_prefix="$build/crashes/$t-")
    [[ -f $here/dict/$t.dict ]] && args+=(-dict="$here/dict/$t.dict")
    if ((smoke)); then
        args+=(-max_total_time=5)
    else
        args+=(-runs="$runs")
        [[ -n $time_limit ]] && args+=(-max_total_time="$time_limit")
    fi
    log=$build/logs/$t.log
    start=$(date +%s.%N)
    result=ok
    "$bin" "${args[@]}" "$corpus" "$here/corpus/$t" >"$log" 2>&1 || { result="FAILED (see $log)"; status=1; }
    end=$(date +%s.%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
    printf '%-9s %12s %9s %9s %7s %7s  %s\n' "$t" "${execs:--}" "$secs" "${eps:--}" "${cov:--}" "${ft:--}" "$result"
    if [[ $result != ok ]]; then
        grep -E 'ERROR: |runtime error|contract broken|Qt fatal|Test unit written' "$log" | head -5 | sed 's/^/    /'
    fi
done
exit "$status"
