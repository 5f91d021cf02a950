#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# realtime_bench.sh — the realtime hub's fan-out against a Node `ws` server doing the same
# fan-out with nothing else (tests/bench/realtime/ws-ceiling.mjs), in the same run, with the
# same client (tests/bench/realtime/fanout.mjs, npm `ws` from tests/tools). For each server:
#   1. BENCH_WS_CONNS (10000) sockets subscribed to one topic: RSS per idle socket, then
#      BENCH_WS_MESSAGES (60) frames at BENCH_WS_RATE (20)/s: deliveries/s, p50/p99 latency;
#   2. 1,000 sockets, BENCH_WS_MESSAGES frames at BENCH_WS_LATENCY_RATE (50)/s: latency;
#   3. communityd only: comment created -> reply notification on the post author's socket at
#      BENCH_NOTIFY_RATE (200) comments/s for BENCH_NOTIFY_SECONDS (20) s (notify-latency.mjs).
# communityd is measured twice: frames published outside a transaction (publishEphemeral:
# straight to the hub) and in one (outbox + bus broadcast: the path of every durable frame).
# Latency = from the publisher's clock before its HTTP POST to the frame's arrival.
# BENCH_NOTIFY_ONLY=1 runs part 3 alone (no Node server, no fan-out phases);
# BENCH_PERF=FILE also records `perf record -g` of communityd for 10 s in the middle of part 3.
# Run by hand (not in ctest); see README.md "Realtime fan-out". Other knobs as lib.sh.
set -euo pipefail
# 10k sockets on each side: the soft limit up to the hard one (each process has its own).
ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < ${BENCH_WS_CONNS:-10000} + 1000 )); then
    echo "bench: open files limited to $(ulimit -n); lower BENCH_WS_CONNS" >&2
    exit 1
fi
# Cheap password hashing: the bench registers 40 accounts and measures no login.
BENCH_DAEMON_ARGS="${BENCH_DAEMON_ARGS:-} --set plugins.auth.passwordHash.opsLimit=1 --set plugins.auth.passwordHash.memLimitBytes=8192 --set realtime.maxConnectionsPerIp=0 --set realtime.maxConnectionsPerUser=0 --set http.maxConnections=30000 --set realtime.sendQueueBytes=4194304 --set log.access=off"
if [[ -z ${BENCH_BIN_DIR:-} ]]; then # lib.sh builds the core plugins; the comment path needs two more
    bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    [[ -f $bench_root/build-release/build.ninja ]] || cmake --preset release -S "$bench_root" >&2
    (cd "$bench_root" && cmake --build --preset release --target content notifications) >&2
fi
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

conns=${BENCH_WS_CONNS:-10000}
messages=${BENCH_WS_MESSAGES:-60}
fan_rate=${BENCH_WS_RATE:-20}
lat_rate=${BENCH_WS_LATENCY_RATE:-50}
tools=$root/tests/tools
[[ -d $tools/node_modules/ws ]] || (cd "$tools" && npm ci --no-audit --no-fund >&2)
export WS_MODULE=$tools/node_modules/ws
token=$(cat "$work/data/operator.token")
here=$root/tests/bench/realtime

notify() {
    log "comment -> notification: ${BENCH_NOTIFY_RATE:-200} comments/s for ${BENCH_NOTIFY_SECONDS:-20} s"
    if [[ -n ${BENCH_PERF:-} ]]; then # after the accounts are made (~5 s), for 10 s of the run
        (sleep 12 && perf record -g -p "$daemon_pid" -o "$BENCH_PERF" -- sleep 10 >/dev/null 2>&1) &
    fi
    result[notify]=$(HTTP_URL=$cd_url WS_URL=${cd_url/http:/ws:}/v1/ws RATE=${BENCH_NOTIFY_RATE:-200} \
        NOTIFY_SECONDS=${BENCH_NOTIFY_SECONDS:-20} node "$here/notify-latency.mjs")
    log "  ${result[notify]}"
}
declare -A result
if [[ ${BENCH_NOTIFY_ONLY:-0} == 1 ]]; then
    notify
    machine_report
    echo "comment -> reply notification on the author's socket: ${result[notify]}"
    exit 0
fi

node "$here/ws-ceiling.mjs" >"$work/ceiling.out" 2>&1 &
ceiling_pid=$!
for _ in $(seq 50); do grep -q '^listening' "$work/ceiling.out" && break; sleep 0.1; done
ceiling_port=$(awk '/^listening/ { print $2 }' "$work/ceiling.out")
[[ -n $ceiling_port ]] || die "ws-ceiling did not start: $(cat "$work/ceiling.out")"
trap 'kill "$ceiling_pid" 2>/dev/null || true; cleanup' EXIT

fanout() { # name server(cd|node) conns rate ephemeral
    local name=$1 server=$2 n=$3 r=$4 eph=$5 ws_url publish pid
    if [[ $server == cd ]]; then
        ws_url=${cd_url/http:/ws:}/v1/ws publish=$cd_url/v1/system/realtime/publish pid=$daemon_pid
    else
        ws_url=ws://127.0.0.1:$ceiling_port/v1/ws publish=http://127.0.0.1:$ceiling_port/publish pid=$ceiling_pid
    fi
    log "fan-out $name: $n sockets, $messages frames at $r/s"
    result[$name]=$(WS_URL=$ws_url PUBLISH_URL=$publish TOKEN=$token SERVER_PID=$pid CONNS=$n RATE=$r \
        MESSAGES=$messages EPHEMERAL=$eph TOPIC=admin:bench node "$here/fanout.mjs")
    log "  ${result[$name]}"
}

fanout node-10k node "$conns" "$fan_rate" 0
fanout cd-direct-10k cd "$conns" "$fan_rate" 1
fanout cd-bus-10k cd "$conns" "$fan_rate" 0
fanout node-1k node 1000 "$lat_rate" 0
fanout cd-direct-1k cd 1000 "$lat_rate" 1
fanout cd-bus-1k cd 1000 "$lat_rate" 0

notify

field() { node -e 'const o = JSON.parse(process.argv[1]); console.log(o[process.argv[2]])' "$1" "$2"; }
machine_report
printf '%-34s %9s %12s %9s %9s %6s %10s\n' server sockets deliveries/s p50_ms p99_ms lost KB/socket
for name in node-10k cd-direct-10k cd-bus-10k node-1k cd-direct-1k cd-bus-1k; do
    r=${result[$name]}
    printf '%-34s %9s %12s %9s %9s %6s %10s\n' "$name" "$(field "$r" conns)" "$(field "$r" deliveriesPerSec)" \
        "$(field "$r" p50)" "$(field "$r" p99)" "$(field "$r" lost)" "$(field "$r" rssPerConnKB)"
done
echo
echo "deliveries/s communityd (direct) / node ws, 10k sockets: $(ratio "$(field "${result[cd-direct-10k]}" deliveriesPerSec)" "$(field "${result[node-10k]}" deliveriesPerSec)")"
echo "deliveries/s communityd (bus) / node ws, 10k sockets:    $(ratio "$(field "${result[cd-bus-10k]}" deliveriesPerSec)" "$(field "${result[node-10k]}" deliveriesPerSec)")"
echo
echo "comment -> reply notification on the author's socket: ${result[notify]}"
