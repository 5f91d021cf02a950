#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# chat_bench.sh — chat on the realtime hub, beside PostgreSQL's insert ceiling measured in
# the same run on the same cluster:
#   setup    BENCH_CHAT_USERS (1000) accounts, BENCH_CHAT_ROOMS (1000) groups of
#            BENCH_CHAT_MEMBERS (10), one WebSocket per account subscribed to its rooms
#            (tests/tools/chat-load.mjs, npm ws)
#   rate     BENCH_CHAT_RATE (500) messages/s, open loop: send -> receive p50/p99 over
#            every delivery (all members of the room, the sender included)
#   max      BENCH_CHAT_CONCURRENCY (64) senders, closed loop: persisted messages/s and
#            deliveries/s
#   history  GET /v1/chat/rooms/{id}/messages?limit=50 (wrk, one member's 10 rooms)
#   pgbench  the insert ceiling: one INSERT of a message-sized row per transaction
#            (synchronous commit, like a send), BENCH_CONNECTIONS clients
# Targets (issue 12, this 2-core machine): >= 2,000 messages/s persisted and delivered,
# send -> receive p99 < 50 ms at 500 messages/s, history page p99 < 10 ms.
# Run by hand (not part of ctest); knobs as in lib.sh (BENCH_BIN_DIR=build/bin uses the
# default RelWithDebInfo build as it is), plus the BENCH_CHAT_* above and BENCH_DURATION.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

if [[ -z ${BENCH_BIN_DIR:-} ]]; then
    [[ -f $top/build-release/build.ninja ]] || cmake --preset release -S "$top" >&2
    (cd "$top" && cmake --build --preset release --target chat content files search) >&2
fi
command -v node >/dev/null || { echo "bench: node not found" >&2; exit 1; }
[[ -d $top/tests/tools/node_modules/ws ]] || { echo "bench: run npm ci in tests/tools" >&2; exit 1; }

# The benchmark measures chat, not its abuse limits: per-sender/per-room buckets and the
# flood check far above the load; one address opens every socket; cheap password hashing
# for the setup's registrations only.
chat_args=""
for s in plugins.chat.userMessagesPerSecond=100000 plugins.chat.userBurst=1000000 \
         plugins.chat.roomMessagesPerSecond=1000000 plugins.chat.roomBurst=1000000 \
         plugins.chat.floodWindowSeconds=0 realtime.maxConnectionsPerIp=0 \
         plugins.auth.passwordHash.opsLimit=1 plugins.auth.passwordHash.memLimitBytes=8192; do
    chat_args+=" --set $s"
done
export BENCH_DAEMON_ARGS="${BENCH_DAEMON_ARGS:-}$chat_args"
# shellcheck source=tests/bench/lib.sh
source "$here/lib.sh"

secs=${duration%s}
users=${BENCH_CHAT_USERS:-1000}
rooms=${BENCH_CHAT_ROOMS:-1000}
members=${BENCH_CHAT_MEMBERS:-10}
rate=${BENCH_CHAT_RATE:-500}
concurrency=${BENCH_CHAT_CONCURRENCY:-64}
sql() { psql "${pg[@]}" -d community -qXAt -v ON_ERROR_STOP=1 -c "$1"; }

# ---- chat: setup, the 500/s latency run, the throughput run --------------------------------
log "chat load: $users accounts, $rooms rooms x $members, rate $rate/s then $concurrency senders, ${secs}s each"
BASE=$cd_url USERS=$users ROOMS=$rooms MEMBERS=$members RATE=$rate SECONDS=$secs CONCURRENCY=$concurrency \
    OUT="$work/history.json" node "$top/tests/tools/chat-load.mjs" >"$work/chat-load.json"
cat "$work/chat-load.json" >&2
field() { node -e "const l=require('fs').readFileSync(process.argv[1],'utf8').trim().split('\n').map(JSON.parse);
  const p=l.find(x=>x.phase===process.argv[2]); const v=process.argv[3].split('.').reduce((o,k)=>o?.[k],p);
  console.log(v==null?'-':typeof v==='number'?+v.toFixed(2):v)" "$work/chat-load.json" "$1" "$2"; }
stored=$(sql "SELECT count(*) FROM chat.messages")

# ---- history pages -------------------------------------------------------------------------
token=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$work/history.json')).token)")
room_list=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$work/history.json')).rooms.map(r=>'\"'+r+'\"').join(','))")
cat >"$work/history.lua" <<LUA
local rooms = { $room_list }
local n = 0
request = function()
    n = n + 1
    return wrk.format("GET", "/v1/chat/rooms/" .. rooms[(n % #rooms) + 1] .. "/messages?limit=50",
                      { ["Authorization"] = "Bearer $token" })
end
LUA
page_items=$(curl -s -H "Authorization: Bearer $token" "$cd_url/v1/chat/rooms/$(node -e "console.log(JSON.parse(require('fs').readFileSync('$work/history.json')).rooms[0])")/messages?limit=50" \
             | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).items.length))")
run_wrk history "$cd_url/v1/chat/rooms" -s "$work/history.lua"

# ---- the insert ceiling ----------------------------------------------------------------------
log "pgbench insert ceiling: -c $connections -j 1 -T $secs"
psql "${pg[@]}" -d postgres -qXc 'DROP DATABASE IF EXISTS pgbench_scratch' >/dev/null
psql "${pg[@]}" -d postgres -qXc 'CREATE DATABASE pgbench_scratch' >/dev/null
psql "${pg[@]}" -d pgbench_scratch -qXc "CREATE TABLE msgs (id bigserial PRIMARY KEY, room_id bigint NOT NULL,
    seq bigint NOT NULL, sender_id bigint NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())" >/dev/null
cat >"$work/insert.sql" <<'SQL'
\set room random(1, 1000)
INSERT INTO msgs (room_id, seq, sender_id, body) VALUES (:room, :client_id, 1, 'bench message 123456 in room 1000');
SQL
(cd "$work" && pgbench "${pg[@]}" -n -f "$work/insert.sql" -c "$connections" -j 1 -T "$secs" --log \
    --log-prefix="$work/pgins_log" pgbench_scratch) >"$work/pgbench-insert.txt" 2>&1
rps[pginsert]=$(awk '/^tps = / { printf "%.2f", $3; exit }' "$work/pgbench-insert.txt")
cat "$work"/pgins_log* | awk '{ print $3 }' | sort -n >"$work/pgins-lat.txt"
n=$(wc -l <"$work/pgins-lat.txt")
p50[pginsert]=$(awk -v k="$(( (n + 1) / 2 ))" 'NR == k { printf "%.3f", $1 / 1000; exit }' "$work/pgins-lat.txt")
p99[pginsert]=$(awk -v k="$(( (n * 99 + 99) / 100 ))" 'NR == k { printf "%.3f", $1 / 1000; exit }' "$work/pgins-lat.txt")
psql "${pg[@]}" -d postgres -qXc 'DROP DATABASE pgbench_scratch' >/dev/null

# ---- report ------------------------------------------------------------------------------------
machine_report
echo "chat:    $users accounts with one WebSocket each, $rooms rooms x $members members; node chat-load.mjs on the same box"
echo
printf '%-44s %12s %10s %10s\n' 'chat' 'per second' 'p50 ms' 'p99 ms'
printf '%-44s %12s %10s %10s\n' "send at $rate/s: persisted" "$(field rate persistedPerSecond)" - -
printf '%-44s %12s %10s %10s\n' "send at $rate/s: delivered (send -> receive)" "$(field rate deliveriesPerSecond)" \
    "$(field rate latencyMs.p50)" "$(field rate latencyMs.p99)"
printf '%-44s %12s %10s %10s\n' "$concurrency senders: persisted" "$(field max persistedPerSecond)" - -
printf '%-44s %12s %10s %10s\n' "$concurrency senders: delivered (send -> receive)" "$(field max deliveriesPerSecond)" \
    "$(field max latencyMs.p50)" "$(field max latencyMs.p99)"
printf '%-44s %12s %10s %10s\n' "history page (limit 50, ~$page_items items)" "${rps[history]}" "${p50[history]}" "${p99[history]}"
printf '%-44s %12s %10s %10s\n' "pgbench INSERT ceiling (-c $connections)" "${rps[pginsert]}" "${p50[pginsert]}" "${p99[pginsert]}"
echo
echo "deliveries expected (rate, max): $(field rate expectedDeliveries), $(field max expectedDeliveries); errors: $(field rate errors) $(field max errors)"
echo "messages stored: $stored; persisted/ceiling: $(ratio "$(field max persistedPerSecond)" "${rps[pginsert]}")"
