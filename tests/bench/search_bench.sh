#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# search_bench.sh — the search service over HTTP on a seeded index, beside the nginx
# ceiling measured in the same run:
#   GET /v1/search?q=<common term>    terms in a large share of the posts (Zipf head),
#                                      English, Korean with particles, mixed
#   GET /v1/search?q=<rare term>       a handful of matching posts
#   GET /v1/search (filtered, new)     common term within one community, newest first
#   GET /v1/search/suggest?q=...       prefixes, choseong (ㅋㅁㄴㅌ), unfinished syllables
# The index is seeded before anything is measured by search_seed (tests/plugins/search/
# search_seed.cpp): BENCH_POSTS generated posts (mixed Korean and English), 20
# communities and 2000 users, each one an event payload run through the real indexer
# (Indexer::prepare + Indexer::apply: the shared text analysis and the projection's SQL),
# batched into larger transactions. Run by hand (not part of ctest); knobs as in lib.sh,
# plus BENCH_POSTS (100000), BENCH_SEED_JOBS (1), BENCH_LATENCY_CONNECTIONS (2). The
# default concurrency here is 8 connections (BENCH_CONNECTIONS): every search is real
# database work, so beyond a few connections per core latency is queueing (connections ÷
# throughput); the searches run once more at BENCH_LATENCY_CONNECTIONS for the latency
# of a lightly loaded node.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# lib.sh builds communityd, auth and users; this needs content, search and the seeder too.
if [[ -z ${BENCH_BIN_DIR:-} ]]; then
    top=$(cd "$here/../.." && pwd)
    [[ -f $top/build-release/build.ninja ]] || cmake --preset release -S "$top" >&2
    (cd "$top" && cmake --build --preset release --target content search search_seed) >&2
fi
export BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-8}
# shellcheck source=tests/bench/lib.sh
source "$here/lib.sh"

command -v curl >/dev/null || die "curl not found"
[[ -x $bin/search_seed ]] || die "$bin/search_seed not built"
posts=${BENCH_POSTS:-100000}
sql() { psql "${pg[@]}" -d community -qXAt -v ON_ERROR_STOP=1 -c "$1"; }
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
lua_paths() { # name path... -> a wrk script that cycles through the paths
    local name=$1 p list=""
    shift
    for p in "$@"; do list+="\"$p\","; done
    cat >"$work/$name.lua" <<LUA
local paths = { ${list%,} }
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
    echo "$work/$name.lua"
}
search_path() { echo "/v1/search?q=$(enc "$1")${2:-}"; }
suggest_path() { echo "/v1/search/suggest?q=$(enc "$1")"; }

# ---- seed ---------------------------------------------------------------------------------
log "seeding $posts posts through the indexer"
start=$(date +%s.%N)
"$bin/search_seed" --conninfo "host=$pg_sock port=$pg_port user=community dbname=community" \
    --posts "$posts" --jobs "${BENCH_SEED_JOBS:-1}" >&2
log "seeded in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s:" \
    "$(sql "SELECT count(*) FROM search.documents") documents," \
    "$(sql "SELECT count(*) FROM search.suggestions") suggestion keys," \
    "index $(sql "SELECT pg_size_pretty(pg_relation_size('search.documents_tsv'))")," \
    "table $(sql "SELECT pg_size_pretty(pg_total_relation_size('search.documents'))")"

# Where an uncached search spends its time: the capped count and the ranked window of the
# service's statements (searchservice.cpp) for a head term and a rare term, in the database
# alone (BENCH_EXPLAIN=0 skips).
explain() { # label tsquery-text
    local q="search.make_query('$2', '[]')" plan
    plan=$(sql "EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM (SELECT 1 FROM search.documents d
        WHERE d.searchable AND d.tsv @@ $q LIMIT 1001) x")
    log "explain $1 count: $(grep -o 'Execution Time: .*' <<<"$plan"), $(grep -m1 -o 'Buffers: .*' <<<"$plan")"
    plan=$(sql "EXPLAIN (ANALYZE, BUFFERS) WITH c AS ((SELECT d.kind, d.ref_id, d.created_at,
        ts_rank_cd('{0.1,0.2,0.4,1}'::float4[], d.tsv, $q, 1) AS rank FROM search.documents d
        WHERE d.searchable AND d.tsv @@ $q ORDER BY d.created_at DESC, d.ref_id DESC LIMIT 400)
        UNION (SELECT d.kind, d.ref_id, d.created_at, ts_rank_cd('{0.1,0.2,0.4,1}'::float4[], d.tsv, $q, 1)
        FROM search.documents d WHERE d.searchable AND d.tsv @@ $q ORDER BY d.score DESC, d.created_at DESC LIMIT 100))
        SELECT * FROM c ORDER BY rank DESC LIMIT 21")
    log "explain $1 ranked window: $(grep -o 'Execution Time: .*' <<<"$plan"), $(grep -m1 -o 'Buffers: .*' <<<"$plan")"
}
if [[ ${BENCH_EXPLAIN:-1} != 0 ]]; then
    explain "common (community)" community
    explain "rare (zephyrine)" zephyrine
fi

common=(community 커뮤니티 회원 "search 검색" "데이터의" "community server")
rare=(zephyrine 무지개송어 "bridge 선물" "ocean 편지를")
suggest=(커뮤 ㅋㅁㄴㅌ 커뮤닡 comm serv 회원 ㅎㅇ brid)
for q in "${common[@]}" "${rare[@]}"; do
    r=$(curl -s "$cd_url$(search_path "$q")")
    total=$(sed -n 's/.*"total":\([0-9]*\).*/\1/p' <<<"$r")
    exact=$(sed -n 's/.*"totalExact":\([a-z]*\).*/\1/p' <<<"$r")
    [[ -n $total ]] || die "search '$q' failed: $(head -c 300 <<<"$r")"
    log "q=$q: total $total (exact: $exact)"
done

paths=()
for q in "${common[@]}"; do paths+=("$(search_path "$q")"); done
common_lua=$(lua_paths common "${paths[@]}")
paths=()
for q in "${rare[@]}"; do paths+=("$(search_path "$q")"); done
rare_lua=$(lua_paths rare "${paths[@]}")
paths=()
for q in "${common[@]}"; do paths+=("$(search_path "$q" "&community=bench-2&sort=new")"); done
filtered_lua=$(lua_paths filtered "${paths[@]}")
paths=()
for q in "${suggest[@]}"; do paths+=("$(suggest_path "$q")"); done
suggest_lua=$(lua_paths suggest "${paths[@]}")

# A second communityd on the same seeded database with the result cache off
# (plugins.search.resultCacheMb=0, ADR 0016): the cost of a miss, measured in this run
# right after the cached figures (BENCH_UNCACHED=0 skips it).
uncached_pid=
if [[ ${BENCH_UNCACHED:-1} != 0 ]]; then
    "$bin/communityd" --data-dir "$work/data-uncached" --listen 127.0.0.1:0 "${limits[@]}" \
        --set "database.url=postgresql://community@/community?host=$pg_sock&port=$pg_port" \
        --set plugins.search.resultCacheMb=0 >"$work/communityd-uncached.log" 2>&1 &
    uncached_pid=$!
    cleanup_both() { local rc=$?; kill -TERM "$uncached_pid" 2>/dev/null; wait "$uncached_pid" 2>/dev/null; (exit "$rc"); cleanup; }
    trap cleanup_both EXIT
    uncached_url=
    for _ in $(seq 600); do
        uncached_url=$(sed -n 's/^communityd listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/communityd-uncached.log" | head -n1)
        [[ -n $uncached_url ]] && break
        kill -0 "$uncached_pid" 2>/dev/null || { tail -n 40 "$work/communityd-uncached.log" >&2; die "uncached communityd exited"; }
        sleep 0.1
    done
    [[ -n $uncached_url ]] || die "uncached communityd did not start"
    log "communityd with the result cache off at $uncached_url"
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_wrk nginx "http://127.0.0.1:$ng_port/healthz"
run_wrk common "$cd_url/v1/search" -s "$common_lua"
run_wrk rare "$cd_url/v1/search" -s "$rare_lua"
run_wrk filtered "$cd_url/v1/search" -s "$filtered_lua"
run_wrk suggest "$cd_url/v1/search/suggest" -s "$suggest_lua"
if [[ -n $uncached_pid ]]; then
    run_wrk common_off "$uncached_url/v1/search" -s "$common_lua"
    run_wrk rare_off "$uncached_url/v1/search" -s "$rare_lua"
    run_wrk filtered_off "$uncached_url/v1/search" -s "$filtered_lua"
    run_wrk suggest_off "$uncached_url/v1/search/suggest" -s "$suggest_lua"
fi
saved=$connections
connections=${BENCH_LATENCY_CONNECTIONS:-2}
run_wrk common_low "$cd_url/v1/search" -s "$common_lua"
run_wrk rare_low "$cd_url/v1/search" -s "$rare_lua"
run_wrk filtered_low "$cd_url/v1/search" -s "$filtered_lua"
run_wrk suggest_low "$cd_url/v1/search/suggest" -s "$suggest_lua"
low=$connections
connections=$saved

machine_report
row "nginx (static 200)" nginx
row "search: common terms" common
row "search: rare terms" rare
row "search: common, community, new" filtered
row "suggest" suggest
if [[ -n $uncached_pid ]]; then
    row "search: common, cache off" common_off
    row "search: rare, cache off" rare_off
    row "search: community+new, cache off" filtered_off
    row "suggest, cache off" suggest_off
fi
row "search: common terms (c=$low)" common_low
row "search: rare terms (c=$low)" rare_low
row "search: common, community, new (c=$low)" filtered_low
row "suggest (c=$low)" suggest_low
echo
echo "load average (1, 5, 15 min): $load_before before measuring, $(cut -d' ' -f1-3 /proc/loadavg) after"
echo "result cache: on in the first daemon (${BENCH_DAEMON_ARGS:-default config}), off in the \"cache off\" rows"
echo "index: $posts posts ($(sql "SELECT count(*) FROM search.documents WHERE searchable") documents), target p99 < 50 ms"
echo "common: ${common[*]}"
echo "rare:   ${rare[*]}"
echo "suggest: ${suggest[*]}"
