#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# analytics_bench.sh — batched event ingestion (POST /v1/analytics/events, 500 events per
# request) beside PostgreSQL's own COPY and multi-row INSERT ceilings on the same cluster,
# then the 30-day reports (active users with WAU/MAU, retention cohorts) over a generated
# set of BENCH_EVENTS raw events (rollups built by the plugin's rebuild). Run by hand.
# Environment knobs (plus lib.sh's):
#   BENCH_INGEST_CONNECTIONS (8) BENCH_BATCH (500) BENCH_EVENTS (10000000; 0 = ingestion only)
#   BENCH_USERS (200000) BENCH_REBUILD (sql: rollups built in SQL; http: POST /v1/analytics/rebuild)
set -euo pipefail
ingest_connections=${BENCH_INGEST_CONNECTIONS:-8}
batch=${BENCH_BATCH:-500}
events=${BENCH_EVENTS:-10000000}
users=${BENCH_USERS:-200000}
export BENCH_DAEMON_ARGS="${BENCH_DAEMON_ARGS:-} --set plugins.analytics.eventsPerSecond=1000000 --set plugins.analytics.eventsBurst=10000000 --set plugins.analytics.maxBatchEvents=$batch --set plugins.analytics.maxBodyBytes=4194304 --set plugins.analytics.liveIntervalMs=0 --set plugins.analytics.reportZones=UTC,Europe/Berlin"
if [[ -z ${BENCH_BIN_DIR:-} ]]; then
    root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    [[ -f $root_dir/build-release/build.ninja ]] || cmake --preset release -S "$root_dir" >&2
    (cd "$root_dir" && cmake --build --preset release --target communityd auth users analytics) >&2
    export BENCH_BIN_DIR=$root_dir/build-release/bin
fi
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
db=(psql "${pg[@]}" -d community -qXtA)

# ---- ingestion: wrk posts batches with ids unique per request -------------------------
cat >"$work/ingest.lua" <<LUA
local n = 0
local batch = $batch
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
    n = n + 1
    local parts = {}
    for i = 1, batch do
        parts[i] = string.format('{"type":"page_view","id":"w%d-%d","props":{"path":"/c/%d"}}', n, i, i % 50)
    end
    return wrk.format(nil, nil, nil, '{"events":[' .. table.concat(parts, ",") .. ']}')
end
LUA
# One wrk thread is one sender (one address): ids are unique per thread and request.
connections_saved=$connections
connections=$ingest_connections
run_wrk ingest "$cd_url/v1/analytics/events" -s "$work/ingest.lua"
connections=$connections_saved
ingested=$("${db[@]}" -c "SELECT count(*) FROM analytics.events")
log "ingested rows stored: $ingested"

# ---- PostgreSQL ceilings on the same cluster: COPY and 500-row INSERTs ----------------
"${db[@]}" -c "DROP TABLE IF EXISTS public.bench_copy; CREATE UNLOGGED TABLE public.bench_copy (LIKE analytics.events INCLUDING DEFAULTS)" >/dev/null
"${db[@]}" -c "ALTER TABLE public.bench_copy SET LOGGED" >/dev/null
awk -v n=1000000 'BEGIN { for (i = 0; i < n; i++) printf "2026-12-01 10:00:00+00\tpage_view\tclient\t/c/%d\tc:x:%d\n", i % 50, i }' >"$work/copy.tsv"
t0=$(date +%s.%N)
"${db[@]}" -c "\\copy public.bench_copy (occurred_at, type, source, dim, key) FROM '$work/copy.tsv'"
t1=$(date +%s.%N)
copy_rate=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 1000000 / (b - a) }')
cat >"$work/insert.sql" <<SQL
INSERT INTO public.bench_copy (occurred_at, type, source, dim, key)
SELECT now(), 'page_view', 'client', '/c/' || (g % 50), md5(random()::text) FROM generate_series(1, $batch) g;
SQL
pgbench "${pg[@]}" -n -f "$work/insert.sql" -c "$ingest_connections" -j 1 -T "${duration%s}" community >"$work/pgbench-insert.txt" 2>&1
insert_rate=$(awk -v b="$batch" '/^tps = / { printf "%.0f", $3 * b; exit }' "$work/pgbench-insert.txt")
"${db[@]}" -c "DROP TABLE public.bench_copy" >/dev/null

# ---- reports over BENCH_EVENTS generated events in the last 30 days (0: skip) ------------
active_rows=0
rebuild_s=-
zones_s=-
counter_rows=-
if (( events > 0 )); then
log "generating $events raw events over 30 days for $users users"
"${db[@]}" -c "TRUNCATE analytics.events, analytics.seen" >/dev/null
# The plugin keeps partitions only as far back as client times reach: make the 30 days'.
"${db[@]}" -c "DO \$\$ DECLARE d date; BEGIN
  FOR d IN SELECT generate_series(current_date - 31, current_date, interval '1 day')::date LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS analytics.events_%s PARTITION OF analytics.events FOR VALUES FROM (%L) TO (%L)',
                   to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
  END LOOP; END \$\$" >/dev/null
"${db[@]}" -c "INSERT INTO analytics.events (occurred_at, type, source, user_id, dim, key)
  SELECT date_trunc('day', now()) - interval '29 days' + (g % 2592000) * interval '1 second',
         CASE WHEN g % 10 = 0 THEN 'session_start' ELSE 'page_view' END, 'client',
         1 + (hashint4(g) & 2147483647) % $users, '/c/' || (g % 50), 'c:gen:' || g
  FROM generate_series(1, $events) g" >/dev/null
"${db[@]}" -c "INSERT INTO analytics.accounts (user_id, signed_up_at)
  SELECT u, date_trunc('day', now()) - interval '29 days' + (u % 2592000) * interval '1 second'
  FROM generate_series(1, $users) u ON CONFLICT DO NOTHING" >/dev/null
token=$(cat "$work/data/operator.token")
t0=$(date +%s.%N)
if [[ ${BENCH_REBUILD:-sql} == http ]]; then
    log "rebuilding rollups from the raw events (POST /v1/analytics/rebuild)"
    curl -sf -X POST -H "Authorization: Bearer $token" "$cd_url/v1/analytics/rebuild" >"$work/rebuild.json"
else
    # The same rollups in set-based SQL (the HTTP rebuild feeds 10M events through the
    # daemon's per-batch code in one transaction: over 8 minutes on the shared box).
    log "building rollups from the raw events in SQL"
    "${db[@]}" -c "TRUNCATE analytics.hourly, analytics.daily, analytics.active_hours, analytics.accounts" >/dev/null
    "${db[@]}" -c "INSERT INTO analytics.hourly (hour, metric, dim, value)
      SELECT date_trunc('hour', occurred_at), m, d, count(*) FROM analytics.events,
        LATERAL (VALUES (type, ''), (CASE WHEN type = 'page_view' THEN 'page_view:path' END, dim)) AS x(m, d)
      WHERE m IS NOT NULL GROUP BY 1, 2, 3" >/dev/null
    "${db[@]}" -c "INSERT INTO analytics.daily (day, metric, dim, value)
      SELECT (hour AT TIME ZONE 'UTC')::date, metric, dim, sum(value) FROM analytics.hourly GROUP BY 1, 2, 3" >/dev/null
    "${db[@]}" -c "INSERT INTO analytics.active_hours (hour, user_id)
      SELECT DISTINCT date_trunc('hour', occurred_at), user_id FROM analytics.events WHERE user_id IS NOT NULL" >/dev/null
fi
t1=$(date +%s.%N)
rebuild_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
# The rebuild empties accounts (they are facts); put the generated signups back, and
# recount the report zones' cohorts with them (what replaying the signups would do).
"${db[@]}" -c "INSERT INTO analytics.accounts (user_id, signed_up_at)
  SELECT u, date_trunc('day', now()) - interval '29 days' + (u % 2592000) * interval '1 second'
  FROM generate_series(1, $users) u ON CONFLICT DO NOTHING" >/dev/null
t0=$(date +%s.%N)
"${db[@]}" -c "SELECT count(analytics.rebuild_zone(zone)) FROM analytics.report_zones" >/dev/null
t1=$(date +%s.%N)
zones_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
counter_rows=$("${db[@]}" -c "SELECT (SELECT count(*) FROM analytics.active_gaps) || ' gap rows, '
  || (SELECT count(*) FROM analytics.cohort_gaps) || ' cohort rows, ' || (SELECT count(*) FROM analytics.active_days) || ' user-days'")
"${db[@]}" -c "ANALYZE analytics.hourly; ANALYZE analytics.active_hours; ANALYZE analytics.accounts; ANALYZE analytics.active_gaps; ANALYZE analytics.cohort_gaps; ANALYZE analytics.signup_days" >/dev/null
active_rows=$("${db[@]}" -c "SELECT count(*) FROM analytics.active_hours")
to=$(date -u +%F)
from=$(date -u -d '29 days ago' +%F)
auth=(-H "Authorization: Bearer $token")
warmup_saved=$warmup
warmup=0
connections_saved=$connections
connections=1
run_wrk active "$cd_url/v1/analytics/reports/active-users?from=$from&to=$to&tz=Europe/Berlin" "${auth[@]}"
run_wrk retention "$cd_url/v1/analytics/reports/retention?from=$from&to=$to&tz=Europe/Berlin" "${auth[@]}"
run_wrk activity "$cd_url/v1/analytics/reports/activity?from=$from&to=$to" "${auth[@]}"
connections=$connections_saved
warmup=$warmup_saved
fi

machine_report
row "ingest, $batch events/request" ingest
row "report active-users 30 d (c1)" active
row "report retention 30 d (c1)" retention
row "report activity 30 d UTC (c1)" activity
echo
ev_rate=$(awk -v r="${rps[ingest]:-0}" -v b="$batch" 'BEGIN { printf "%.0f", r * b }')
echo "ingested events/s:                $ev_rate (target >= 50000)"
echo "PostgreSQL COPY rows/s (1M rows):  $copy_rate"
echo "PostgreSQL $batch-row INSERT rows/s: $insert_rate (pgbench -c $ingest_connections)"
echo "ingest / COPY:                    $(ratio "$ev_rate" "$copy_rate")"
echo "ingest / INSERT:                  $(ratio "$ev_rate" "$insert_rate")"
echo "generated events: $events, users: $users, active_hours rows: $active_rows, rebuild: ${rebuild_s} s"
echo "report zones UTC + Europe/Berlin recounted with the signups: ${zones_s} s ($counter_rows)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
