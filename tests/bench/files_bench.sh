#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# files_bench.sh — the files plugin (issue 13, ADR 0011/0031) beside ceilings measured in
# the same run on the same files:
#   downloads   GET /v1/files/{id}/content (signed URL, no session) of a 1 MiB and a
#               100 MiB attachment, and a 64 KiB Range of the 100 MiB one, beside nginx
#               (1 worker, sendfile on, access log on) serving the same files: req/s, MB/s
#   uploads     BENCH_UPLOADS (20) concurrent streamed PUTs of distinct 100 MiB files (curl
#               -T, read from disk): MB/s, and the daemon's RSS growth (VmRSS sampled every
#               20 ms, and VmHWM, from /proc/<pid>/status)
#   thumbnails  the first GET of thumb.jpg for BENCH_IMAGES (24) stored photos, 2 at a time,
#               beside Debian's vipsthumbnail making the same 256 px JPEG (Q85, stripped)
#               from the same stored blobs, 2 at a time: thumbnails per second
# Run by hand (not part of ctest), holding the build lock so nothing else runs; knobs as
# in lib.sh plus BENCH_UPLOADS, BENCH_IMAGES, BENCH_DL_CONNECTIONS (16; 4 for 100 MiB),
# BENCH_PERF=1 (perf record -g on the daemon during its download runs; top symbols printed).
# Needs packaging/install-deps.sh --bench (wrk, nginx-light, libvips-tools) and curl.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ -z ${BENCH_BIN_DIR:-} ]]; then
    top=$(cd "$here/../.." && pwd)
    [[ -f $top/build-release/build.ninja ]] || cmake --preset release -S "$top" >&2
    (cd "$top" && cmake --build --preset release --target files) >&2
fi
uploads=${BENCH_UPLOADS:-20}
images=${BENCH_IMAGES:-24}
dl_connections=${BENCH_DL_CONNECTIONS:-16}
# 100 MiB attachments (the default limit is exactly that), a quota the run cannot reach,
# cheap password hashing for the bench account.
files_args=" --set plugins.files.quotaBytes=1000000000000 --set plugins.files.purposes.attachment.maxBytes=104857600"
files_args+=" --set plugins.auth.passwordHash.opsLimit=1 --set plugins.auth.passwordHash.memLimitBytes=8192"
export BENCH_DAEMON_ARGS="${BENCH_DAEMON_ARGS:-}$files_args"
# shellcheck source=tests/bench/lib.sh
source "$here/lib.sh"

for tool in curl vipsthumbnail vips base64; do
    command -v "$tool" >/dev/null || die "$tool not found; run packaging/install-deps.sh --bench"
done
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
kib_of() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }

# A second nginx serving the same files as the daemon (lib.sh's answers a fixed 200).
fng=$work/nginx-files
mkdir -p "$fng/logs" "$fng/root"
fng_port=$(free_port)
cat >"$fng/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $fng/nginx.pid;
error_log $fng/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log $fng/logs/access.log;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $fng/body;
    proxy_temp_path $fng/proxy;
    fastcgi_temp_path $fng/fastcgi;
    uwsgi_temp_path $fng/uwsgi;
    scgi_temp_path $fng/scgi;
    server {
        listen 127.0.0.1:$fng_port;
        root $fng/root;
        default_type text/plain;
        add_header X-Content-Type-Options nosniff;
    }
}
CONF
nginx -p "$fng" -c "$fng/nginx.conf" -e "$fng/logs/error.log" &
fng_pid=$!
files_cleanup() {
    if kill -0 "$fng_pid" 2>/dev/null; then
        kill -QUIT "$fng_pid" 2>/dev/null || true
        wait "$fng_pid" 2>/dev/null || true
    fi
}
trap 'rc=$?; files_cleanup; (exit $rc); cleanup' EXIT
for _ in $(seq 50); do port_free "$fng_port" || break; sleep 0.1; done
port_free "$fng_port" && die "nginx (files) did not start: $(cat "$fng/logs/error.log")"

# ---- account and files ---------------------------------------------------------------------
pw='bench-password-9f3k2'
curl -sf -X POST "$cd_url/v1/auth/register" -H 'Content-Type: application/json' \
    -d "{\"username\":\"benchfiles\",\"email\":\"benchfiles@bench.example\",\"password\":\"$pw\"}" >/dev/null \
    || die "registering benchfiles failed"
token=$(curl -sf -X POST "$cd_url/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"login\":\"benchfiles\",\"password\":\"$pw\"}" | json_field accessToken)
[[ -n $token ]] || die "login failed"
auth=(-H "Authorization: Bearer $token")

# Text (base64 lines) so that the attachment allowlist takes it; the same bytes for nginx.
make_text() { head -c $(($2 * 3 / 4)) /dev/urandom | base64 -w 76 >"$1"; truncate -s "$2" "$1"; }
make_text "$fng/root/1m.txt" $((1024 * 1024))
make_text "$fng/root/100m.txt" $((100 * 1024 * 1024))

upload() { # file name -> file id
    curl -sf "${auth[@]}" -T "$1" "$cd_url/v1/files/uploads/$2?purpose=attachment" | json_field id
}
signed() { # id -> signed content path
    curl -sf "${auth[@]}" -H 'Content-Type: application/json' -d '{"expiresIn":86400}' \
        "$cd_url/v1/files/$1/signed-url" | json_field url
}
id1=$(upload "$fng/root/1m.txt" 1m.txt)
id100=$(upload "$fng/root/100m.txt" 100m.txt)
[[ -n $id1 && -n $id100 ]] || die "uploading the download files failed"
url1=$(signed "$id1")
url100=$(signed "$id100")
cmp <(curl -sf "$cd_url$url100") "$fng/root/100m.txt" || die "the daemon's 100 MiB download differs from the file"
cmp <(curl -sf "http://127.0.0.1:$fng_port/100m.txt") "$fng/root/100m.txt" || die "nginx's 100 MiB download differs"
range_ok=$(curl -s -o /dev/null -w '%{http_code}' -H 'Range: bytes=1048576-1114111' "$cd_url$url100")
[[ $range_ok == 206 ]] || die "Range request answered $range_ok"

# ---- downloads ---------------------------------------------------------------------------------
declare -A mbps
transfer_mbps() { # wrk output file -> MB/s (MiB/s, from wrk's Transfer/sec)
    awk '/^Transfer\/sec:/ { v = $2; u = v; sub(/^[0-9.]+/, "", u); n = v + 0
        if (u == "GB") n *= 1024; else if (u == "KB") n /= 1024; else if (u == "B") n /= 1048576
        printf "%.0f", n }' "$1"
}
dl() { # name url connections [wrk args]
    local name=$1 url=$2 c=$3 perf_pid=
    shift 3
    local saved=$connections
    connections=$c
    # BENCH_PERF=1: a call-graph profile of the daemon while wrk measures it.
    if [[ -n ${BENCH_PERF:-} && $name == cd-* ]]; then
        perf record -q -F 499 -g -p "$daemon_pid" -o "$work/perf-$name.data" -- sleep "$(( ${warmup%s} + ${duration%s} ))" \
            >/dev/null 2>&1 &
        perf_pid=$!
    fi
    run_wrk "$name" "$url" "$@"
    connections=$saved
    mbps[$name]=$(transfer_mbps "$work/wrk-$name.txt")
    if [[ -n $perf_pid ]]; then
        wait "$perf_pid" || true
        perf report -q --stdio --no-children --sort dso,symbol -g none -i "$work/perf-$name.data" 2>/dev/null \
            | grep -v '^$' | head -n 25 >"$work/perf-$name.txt" || true
    fi
}
dl nginx-1m "http://127.0.0.1:$fng_port/1m.txt" "$dl_connections"
dl cd-1m "$cd_url$url1" "$dl_connections"
dl nginx-100m "http://127.0.0.1:$fng_port/100m.txt" 4
dl cd-100m "$cd_url$url100" 4
dl nginx-range "http://127.0.0.1:$fng_port/100m.txt" "$dl_connections" -H 'Range: bytes=1048576-1114111'
dl cd-range "$cd_url$url100" "$dl_connections" -H 'Range: bytes=1048576-1114111'

# ---- concurrent uploads ------------------------------------------------------------------------
log "making $uploads distinct 100 MiB files"
mkdir -p "$work/up"
for i in $(seq "$uploads"); do
    { printf 'upload %d of the files benchmark\n' "$i"; head -c $((100 * 1024 * 1024 - 64)) "$fng/root/100m.txt"; } >"$work/up/$i.txt"
done
sync
rss_before=$(kib_of "$daemon_pid" VmRSS)
hwm_before=$(kib_of "$daemon_pid" VmHWM)
peak=$rss_before
log "uploading $uploads x 100 MiB at once (RSS before: $rss_before KiB)"
start=$(now)
pids=()
for i in $(seq "$uploads"); do
    curl -sf -o "$work/up/$i.json" "${auth[@]}" -T "$work/up/$i.txt" "$cd_url/v1/files/uploads/u$i.txt?purpose=attachment" &
    pids+=($!)
done
running=1
while ((running)); do
    running=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && running=1 && break; done
    r=$(kib_of "$daemon_pid" VmRSS)
    ((r > peak)) && peak=$r
    sleep 0.02
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
up_seconds=$(since "$start")
hwm_after=$(kib_of "$daemon_pid" VmHWM)
stored=$(grep -l '"id"' "$work"/up/*.json | wc -l)
((failed == 0 && stored == uploads)) || log "warning: $failed upload(s) failed, $stored stored"
up_mbps=$(awk -v n="$stored" -v s="$up_seconds" 'BEGIN { printf "%.0f", n * 100 / s }')
rm -f "$work"/up/*.txt

# ---- thumbnails --------------------------------------------------------------------------------
log "making and uploading $images photos (2400x1600 JPEG)"
mkdir -p "$work/img" "$work/vt"
thumb_ids=()
blobs=
for i in $(seq "$images"); do
    # Noise: a photo-sized JPEG (about 2.4 MB) that does not compress to nothing.
    vips gaussnoise "$work/img/n$i.v" 2400 1600 --mean $((60 + i * 5)) --sigma 40
    vips cast "$work/img/n$i.v" "$work/img/c$i.v" uchar
    vips bandjoin "$work/img/c$i.v $work/img/c$i.v $work/img/c$i.v" "$work/img/p$i.jpg[Q=90]"
    rm -f "$work/img/n$i.v" "$work/img/c$i.v"
    answer=$(curl -sf "${auth[@]}" -T "$work/img/p$i.jpg" "$cd_url/v1/files/uploads/p$i.jpg?purpose=post_image")
    id=$(json_field id <<<"$answer")
    sha=$(json_field sha256 <<<"$answer")
    [[ -n $id && -n $sha ]] || die "uploading photo $i failed: $answer"
    thumb_ids+=("$id")
    # The stored (re-encoded, stripped) blob: what the daemon's thumbnail is made from.
    blobs+="$work/data/files/blobs/${sha:0:2}/${sha:2:2}/$sha"$'\n'
done
start=$(now)
printf '%s\n' "${thumb_ids[@]}" | xargs -P2 -I{} curl -sf -o /dev/null "$cd_url/v1/files/{}/variants/thumb.jpg"
cd_thumb_s=$(since "$start")
start=$(now)
printf '%s' "$blobs" | xargs -P2 -I{} vipsthumbnail {} -s 256 -o "$work/vt/%s.jpg[Q=85,strip]"
vt_thumb_s=$(since "$start")
vt_count=$(find "$work/vt" -name '*.jpg' | wc -l)
cd_tps=$(awk -v n="$images" -v s="$cd_thumb_s" 'BEGIN { printf "%.1f", n / s }')
vt_tps=$(awk -v n="$vt_count" -v s="$vt_thumb_s" 'BEGIN { printf "%.1f", n / s }')

# ---- report ------------------------------------------------------------------------------------
machine_report
echo "files:   download wrk -t1 -c$dl_connections (100 MiB: -c4) -d$duration; range = bytes 1048576-1114111 (64 KiB) of the 100 MiB file"
echo
printf '%-34s %12s %10s %10s %10s\n' target 'req/s' 'MiB/s' 'p50 ms' 'p99 ms'
for n in nginx-1m cd-1m nginx-100m cd-100m nginx-range cd-range; do
    printf '%-34s %12s %10s %10s %10s\n' "$n" "${rps[$n]:--}" "${mbps[$n]:--}" "${p50[$n]:--}" "${p99[$n]:--}"
done
echo
echo "1 MiB download / nginx (req/s):     $(ratio "${rps[cd-1m]:-0}" "${rps[nginx-1m]:-0}")"
echo "100 MiB download / nginx (MiB/s):   $(ratio "${mbps[cd-100m]:-0}" "${mbps[nginx-100m]:-0}")"
echo "64 KiB range / nginx (req/s):       $(ratio "${rps[cd-range]:-0}" "${rps[nginx-range]:-0}")"
echo
echo "$uploads concurrent 100 MiB uploads: $stored stored in ${up_seconds} s = $up_mbps MiB/s"
echo "daemon RSS: before $(mb $((rss_before * 1024))) MiB, peak sampled $(mb $((peak * 1024))) MiB (growth $(mb $(((peak - rss_before) * 1024))) MiB);" \
     "VmHWM $(mb $((hwm_before * 1024))) -> $(mb $((hwm_after * 1024))) MiB"
echo
echo "thumbnails (256 px JPEG) of $images 2400x1600 photos, 2 at a time:"
echo "  communityd first GET thumb.jpg:   $cd_thumb_s s = $cd_tps /s"
echo "  vipsthumbnail (same blobs):       $vt_thumb_s s = $vt_tps /s ($vt_count made)"
echo "  communityd / vipsthumbnail:       $(ratio "$cd_tps" "$vt_tps")"
for f in "$work"/perf-cd-*.txt; do
    [[ -f $f ]] || continue
    echo
    echo "perf (daemon, self time, top 25) during ${f##*/perf-}:"
    cat "$f"
done
