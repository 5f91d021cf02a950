#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# console-screenshots.sh [BUILD_DIR] [OUT_DIR]
#   Starts communityd on a throw-away data directory (embedded PostgreSQL), fills it with
#   `communityctl demo seed`, then renders every screen of community-console under Xvfb
#   into OUT_DIR (default docs/console) as PNG: review-queue, users, audit-log, dashboard, chaos,
#   migrations, user-record, settings
#   (English) and the same with a -ko suffix (Korean). BUILD_DIR defaults to build/.
#   Needs xvfb-run (Debian xvfb). Leaves nothing running and removes the data directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
out=${2:-$root/docs/console}
bin=$build/bin
port=${CONSOLE_SHOT_PORT:-18765}
server=http://127.0.0.1:$port

command -v xvfb-run >/dev/null || { echo "console-screenshots: xvfb-run missing (apt-get install xvfb)" >&2; exit 1; }
data=$(mktemp -d /tmp/console-shots.XXXXXX)
chmod 755 "$data"   # the embedded PostgreSQL runs as `postgres` when we are root
daemon_pid=
traffic_pid=
cleanup() {
    [[ -n $traffic_pid ]] && kill "$traffic_pid" 2>/dev/null || true
    if [[ -n $daemon_pid ]]; then
        kill "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf "$data"
}
trap cleanup EXIT

# Demo registrations and the console come from one address: lift the per-address caps.
sets=(--set http.maxConnectionsPerIp=0)
for cls in auth write default; do
    for kind in perIp perPrincipal; do
        sets+=(--set "gateway.rateLimits.$cls.$kind.rate=1000000" --set "gateway.rateLimits.$cls.$kind.burst=1000000")
    done
done
sets+=(--set chaos.enabled=true)   # the chaos screen shows two faults
"$bin/communityd" --data-dir "$data" --listen "127.0.0.1:$port" --plugin-dir "$build/plugins" "${sets[@]}" \
    >"$data/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 120); do
    curl -fsS "$server/readyz" >/dev/null 2>&1 && break
    sleep 0.5
done
curl -fsS "$server/readyz" >/dev/null || { echo "communityd did not become ready:" >&2; tail -20 "$data/daemon.log" >&2; exit 1; }

ctl=("$bin/communityctl" --server "$server" --token-file "$data/operator.token")
"${ctl[@]}" demo seed
# Some audit rows and a resolved item for the audit log screen.
# The reports reach the queue through the event bus: wait for the off-topic one.
item=
for _ in $(seq 1 40); do
    item=$("${ctl[@]}" -o json queue list | python3 -c '
import json, sys
print(next((i["id"] for i in json.load(sys.stdin)["items"] if "off-topic" in i["reasons"]), ""))')
    [[ -n $item ]] && break
    sleep 0.25
done
[[ -n $item ]] || { echo "console-screenshots: the demo reports did not reach the queue" >&2; exit 1; }
"${ctl[@]}" queue act "$item" --action dismiss --reason "Reviewed: no rule was broken." --yes >/dev/null
"${ctl[@]}" users set-role demo_haneul moderator --yes >/dev/null
"${ctl[@]}" users suspend demo_tom --reason "Insulting other learners." --yes >/dev/null
# Runtime settings for the settings screen: one live, one waiting for a restart.
"${ctl[@]}" settings set plugins.admin.claimMinutes 15 --reason "Longer claims while the team is small." --yes >/dev/null
"${ctl[@]}" settings set http.idleTimeoutMs 45000 --reason "Slow mobile clients." --yes >/dev/null
# Two faults for the chaos screen, on paths the dashboard's traffic does not use.
"${ctl[@]}" chaos inject http.abort --route '/v1/chat/*' --status 503 --percent 10 --ttl 900 >/dev/null
"${ctl[@]}" chaos inject outbound.latency --route smtp --delay-ms 1500 --jitter-ms 300 --ttl 900 >/dev/null

# Traffic for the dashboard while the console runs: reads, searches and a few 404s.
(
    while sleep 0.05; do
        curl -s -o /dev/null "$server/v1/posts?limit=20"
        curl -s -o /dev/null "$server/v1/communities"
        curl -s -o /dev/null "$server/v1/users/search?q=demo"
        curl -s -o /dev/null "$server/v1/posts/999999"
    done
) &
traffic_pid=$!
mkdir -p "$out"
shots=$(mktemp -d)
for lang in en ko; do
    XDG_CONFIG_HOME=$shots/config xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$bin/community-console" --lang "$lang" --screenshots "$shots/$lang" --server "$server" \
        --token-file "$data/operator.token"
    for f in "$shots/$lang"/*.png; do
        name=$(basename "$f" .png)
        [[ $lang == en ]] && cp "$f" "$out/$name.png" || cp "$f" "$out/$name-ko.png"
    done
done
rm -rf "$shots"
ls -1 "$out"
