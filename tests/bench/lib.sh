#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# lib.sh — shared by the benchmarks: builds/locates communityd, starts it with its
# embedded PostgreSQL, starts nginx (1 worker, static 200, access log on) as the HTTP
# ceiling, and provides run_wrk / run_pgbench which fill rps[], p50[], p99[].
# Sourced, not run. Environment knobs:
#   BENCH_DURATION (10s) BENCH_CONNECTIONS (64) BENCH_WARMUP (2s, 0 = none)
#   BENCH_SCALE (10, pgbench -i -s) BENCH_DAEMON_ARGS (extra communityd flags)
#   BENCH_BIN_DIR (default build-release/bin, built first; when set, used as it is)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-64}
warmup=${BENCH_WARMUP:-2s}
scale=${BENCH_SCALE:-10}
bin=${BENCH_BIN_DIR:-$root/build-release/bin}

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

for tool in wrk nginx pgbench psql awk sort; do
    command -v "$tool" >/dev/null || die "$tool not found; run packaging/install-deps.sh --bench"
done

if [[ -z ${BENCH_BIN_DIR:-} ]]; then
    [[ -f $root/build-release/build.ninja ]] || cmake --preset release -S "$root" >&2
    (cd "$root" && cmake --build --preset release --target communityd auth users) >&2
fi
[[ -x $bin/communityd ]] || die "$bin/communityd not built"

# Short path: the embedded PostgreSQL's unix socket lives under the data dir.
work=$(mktemp -d /tmp/cbench.XXXXXX)
chmod 755 "$work" # the embedded cluster may run as "postgres" when we are root
daemon_pid=
nginx_pid=

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -QUIT "$nginx_pid" 2>/dev/null || true
        wait "$nginx_pid" 2>/dev/null || true
    fi
    if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -TERM "$daemon_pid" 2>/dev/null || true
        for _ in $(seq 300); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    # The daemon stops its cluster on SIGTERM; if it could not, do it here.
    local pidfile
    pidfile=$(find "$work" -name postmaster.pid 2>/dev/null | head -n1 || true)
    if [[ -n $pidfile ]]; then
        local pgpid
        pgpid=$(head -n1 "$pidfile" 2>/dev/null || true)
        if [[ -n $pgpid ]]; then kill -INT "$pgpid" 2>/dev/null || true; fi
        for _ in $(seq 100); do [[ -z $pgpid ]] || kill -0 "$pgpid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 40000))
        if port_free "$p"; then echo "$p"; return; fi
    done
    die "no free port found"
}

# ---- communityd: embedded PostgreSQL, default config (full middleware chain) ----------
log "starting communityd (embedded PostgreSQL in $work/data)"
# The benchmark measures throughput, not the limiter's refusals: the rate-limit classes
# stay on (the check runs per request) with limits far above what one client can send.
limits=()
for cls in default auth write; do
    for subj in perIp perPrincipal; do
        limits+=(--set "gateway.rateLimits.$cls.$subj.rate=1000000000" --set "gateway.rateLimits.$cls.$subj.burst=1000000000")
    done
done
# All load comes from one address (wrk on loopback): no per-address connection cap, so
# BENCH_CONNECTIONS above http.maxConnectionsPerIp (256) still measures throughput.
limits+=(--set "http.maxConnectionsPerIp=0")
"$bin/communityd" --data-dir "$work/data" --listen 127.0.0.1:0 "${limits[@]}" ${BENCH_DAEMON_ARGS:-} >"$work/communityd.log" 2>&1 &
daemon_pid=$!
cd_url=
for _ in $(seq 1200); do
    cd_url=$(sed -n 's/^communityd listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/communityd.log" | head -n1)
    [[ -n $cd_url ]] && break
    kill -0 "$daemon_pid" 2>/dev/null || { tail -n 40 "$work/communityd.log" >&2; die "communityd exited"; }
    sleep 0.1
done
[[ -n $cd_url ]] || { tail -n 40 "$work/communityd.log" >&2; die "communityd did not start in 120 s"; }
log "communityd at $cd_url"

# pgbench talks to the same cluster: postmaster.pid has its port (line 4) and socket dir (line 5).
pidfile=$(find "$work/data" -name postmaster.pid | head -n1)
[[ -n $pidfile ]] || die "embedded PostgreSQL's postmaster.pid not found under $work/data"
pg_port=$(sed -n 4p "$pidfile")
pg_sock=$(sed -n 5p "$pidfile")
pg=(-h "$pg_sock" -p "$pg_port" -U community)
export PGOPTIONS='-c client_min_messages=warning'
log "embedded PostgreSQL at $pg_sock port $pg_port"

# ---- nginx: 1 worker, static 200 with the same body as /healthz, access log on --------
ng=$work/nginx
mkdir -p "$ng/logs"
ng_port=$(free_port)
body='{"status":"ok"}' # the /healthz body
cat >"$ng/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $ng/nginx.pid;
error_log $ng/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log $ng/logs/access.log;
    client_body_temp_path $ng/body;
    proxy_temp_path $ng/proxy;
    fastcgi_temp_path $ng/fastcgi;
    uwsgi_temp_path $ng/uwsgi;
    scgi_temp_path $ng/scgi;
    server {
        listen 127.0.0.1:$ng_port;
        location / {
            default_type application/json;
            return 200 '$body';
        }
    }
}
CONF
nginx -p "$ng" -c "$ng/nginx.conf" -e "$ng/logs/error.log" &
nginx_pid=$!
for _ in $(seq 50); do port_free "$ng_port" || break; sleep 0.1; done
port_free "$ng_port" && die "nginx did not start: $(cat "$ng/logs/error.log")"
log "nginx at http://127.0.0.1:$ng_port"

# ---- measurements ----------------------------------------------------------------------
declare -A rps p50 p99

to_ms() { # wrk latency ("512.00us", "2.10ms", "1.02s") -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}

run_wrk() { # name url [extra wrk args, e.g. -s script.lua]
    local name=$1 url=$2 out
    shift 2
    if [[ $warmup != 0 ]]; then wrk -t1 -c"$connections" -d"$warmup" "$@" "$url" >/dev/null; fi
    log "wrk $name: $url $*"
    out=$(wrk -t1 -c"$connections" -d"$duration" --latency "$@" "$url")
    printf '%s\n' "$out" >"$work/wrk-$name.txt"
    rps[$name]=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    p50[$name]=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    p99[$name]=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        log "warning: $name: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ')"
    fi
}

run_pgbench() {
    log "pgbench: init scale $scale in database pgbench_scratch"
    psql "${pg[@]}" -d postgres -qXc 'DROP DATABASE IF EXISTS pgbench_scratch' >/dev/null
    psql "${pg[@]}" -d postgres -qXc 'CREATE DATABASE pgbench_scratch' >/dev/null
    pgbench "${pg[@]}" -i -q -s "$scale" pgbench_scratch >"$work/pgbench-init.txt" 2>&1
    if [[ $warmup != 0 ]]; then
        pgbench "${pg[@]}" -S -c "$connections" -j 1 -T "${warmup%s}" pgbench_scratch >/dev/null 2>&1
    fi
    log "pgbench -S -c $connections -j 1 -T ${duration%s}"
    (cd "$work" && pgbench "${pg[@]}" -S -c "$connections" -j 1 -T "${duration%s}" \
        --log --log-prefix="$work/pgbench_log" pgbench_scratch) >"$work/pgbench.txt" 2>&1
    rps[pgbench]=$(awk '/^tps = / { printf "%.2f", $3; exit }' "$work/pgbench.txt")
    # Per-transaction log: column 3 is the latency in microseconds.
    local sorted=$work/pgbench-latency.txt
    cat "$work"/pgbench_log* | awk '{ print $3 }' | sort -n >"$sorted"
    local n
    n=$(wc -l <"$sorted")
    p50[pgbench]=$(awk -v k="$(( (n + 1) / 2 ))" 'NR == k { printf "%.3f", $1 / 1000; exit }' "$sorted")
    p99[pgbench]=$(awk -v k="$(( (n * 99 + 99) / 100 ))" 'NR == k { printf "%.3f", $1 / 1000; exit }' "$sorted")
    psql "${pg[@]}" -d postgres -qXc 'DROP DATABASE pgbench_scratch' >/dev/null
}


machine_report() {
    local cpu
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    echo
    echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}; $(uname -sr)"
    echo "load:    wrk -t1 -c$connections -d$duration --latency; pgbench -S -c $connections -j 1 -T ${duration%s} (scale $scale)"
    echo "note:    nginx 1 worker with access log on (communityd logs too); all on loopback, same box"
    echo
    printf '%-34s %12s %10s %10s\n' target 'req/s' 'p50 ms' 'p99 ms'
}
row() { printf '%-34s %12s %10s %10s\n' "$1" "${rps[$2]:--}" "${p50[$2]:--}" "${p99[$2]:--}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
