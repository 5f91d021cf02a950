#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# content_bench.sh — the content service over HTTP on a seeded database, beside the nginx
# and pgbench ceilings measured in the same run:
#   GET /v1/communities/{slug}/posts   a feed page of 25 (hot), anonymous and signed in
#   GET /v1/feed                       the home feed page of 25 (signed in)
#   GET /v1/posts/{id}?limit=20        a post page with 20 comments (spread over 200 posts),
#                                      anonymous (micro-cached, ADR 0007) and signed in
#   POST /v1/posts/{id}/comments       a comment with its event (spread over 1000 posts), with
#                                      64 and with 16 connections
# The database is seeded by SQL (content/seed.sql: BENCH_POSTS posts, BENCH_COMMENTS
# comments in trees of four levels, BENCH_COMMUNITIES communities, every counter
# consistent) before anything is measured. A route that is not there yet (405/404) is
# reported as such and skipped. Run by hand (not part of ctest); knobs as in lib.sh, plus
# BENCH_POSTS (10000), BENCH_COMMENTS (100000), BENCH_COMMUNITIES (20), BENCH_AUTHORS (2000).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# lib.sh builds communityd, auth and users; these routes need the content plugin as well.
if [[ -z ${BENCH_BIN_DIR:-} ]]; then
    top=$(cd "$here/../.." && pwd)
    [[ -f $top/build-release/build.ninja ]] || cmake --preset release -S "$top" >&2
    (cd "$top" && cmake --build --preset release --target content) >&2
fi
# shellcheck source=tests/bench/lib.sh
source "$here/lib.sh"

command -v curl >/dev/null || die "curl not found"
posts=${BENCH_POSTS:-10000}
comments=${BENCH_COMMENTS:-100000}
communities=${BENCH_COMMUNITIES:-20}
authors=${BENCH_AUTHORS:-2000}
pw='bench-password-9f3k2'
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
sql() { psql "${pg[@]}" -d community -qXAt -v ON_ERROR_STOP=1 -c "$1"; }
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
lua_list() { local IFS=,; echo "{ $* }"; }

# ---- accounts and data -------------------------------------------------------------------
for name in benchreader benchwriter; do
    curl -sf -X POST "$cd_url/v1/auth/register" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$name\",\"email\":\"$name@bench.example\",\"password\":\"$pw\"}" >/dev/null \
        || die "registering $name failed"
done
login() {
    curl -sf -X POST "$cd_url/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"login\":\"$1\",\"password\":\"$pw\"}" | json_field accessToken
}
reader=$(login benchreader)
writer=$(login benchwriter)
[[ -n $reader && -n $writer ]] || die "login failed"

log "seeding $communities communities, $posts posts, $comments comments"
start=$(date +%s.%N)
psql "${pg[@]}" -d community -qX -v ON_ERROR_STOP=1 -v communities="$communities" -v authors="$authors" \
    -v posts="$posts" -v comments="$comments" -f "$here/content/seed.sql" >/dev/null
log "seeded in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

# The reader (and the writer, for the comment route's author copy) as the daemon knows them.
curl -sf "$cd_url/v1/communities/bench-1/join" -X POST -H "Authorization: Bearer $reader" >/dev/null \
    || die "joining bench-1 failed"
reader_id=$(sql "SELECT user_id FROM content.authors WHERE username = 'benchreader'")
# The home feed's reader joined five communities (by SQL: bench-1 went through the route).
sql "INSERT INTO content.members (community_id, user_id)
     SELECT id, $reader_id FROM content.communities WHERE slug IN ('bench-2','bench-3','bench-5','bench-8')
     ON CONFLICT DO NOTHING" >/dev/null

# The busiest community: most posts.
slug=$(sql "SELECT slug FROM content.communities ORDER BY post_count DESC LIMIT 1")
feed_url="$cd_url/v1/communities/$slug/posts"
[[ $(status_of "$feed_url") == 200 ]] || die "GET $feed_url failed: $(curl -s "$feed_url" | head -c 300)"
log "feed: $slug ($(sql "SELECT post_count FROM content.communities WHERE slug = '$slug'") posts), page of 25 = $(curl -s "$feed_url" | wc -c) bytes"

# Post pages: 200 posts with at least 20 comments.
mapfile -t page_ids < <(sql "SELECT id FROM content.posts WHERE state = 'visible' AND comment_count >= 20
                             ORDER BY comment_count, id LIMIT 200")
[[ ${#page_ids[@]} -gt 0 ]] || die "no post with 20 comments after seeding"
cat >"$work/postpage.lua" <<LUA
local ids = $(lua_list "${page_ids[@]}")
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", "/v1/posts/" .. ids[i % #ids + 1] .. "?limit=20")
end
LUA

# Comments: 1000 unlocked visible posts.
mapfile -t comment_ids < <(sql "SELECT id FROM content.posts WHERE state = 'visible' AND NOT locked
                                ORDER BY id LIMIT 1000")
cat >"$work/comment.lua" <<LUA
local ids = $(lua_list "${comment_ids[@]}")
local i = 0
local headers = { ["Authorization"] = "Bearer $writer", ["Content-Type"] = "application/json" }
request = function()
    i = i + 1
    local body = '{"body":"Benchmark comment ' .. i .. ': a reply of a realistic size with a little **markdown**, '
        .. 'a [link](https://example.org/' .. i .. ') and a few more words to read."}'
    return wrk.format("POST", "/v1/posts/" .. ids[i % #ids + 1] .. "/comments", headers, body)
end
LUA

# ---- measurements --------------------------------------------------------------------------
# Where a signed-in page comes from (X-Cache: shared = the cached page with the reader's
# own values written in; none = the full personal query).
cache_of() { curl -s -D - -o /dev/null "$@" | tr -d '\r' | sed -n 's/^[Xx]-[Cc]ache: //p' | head -n1; }
curl -s -o /dev/null "$feed_url"
log "signed-in feed answered from: $(cache_of "$feed_url" -H "Authorization: Bearer $reader")"
run_wrk nginx "http://127.0.0.1:$ng_port/healthz"
run_wrk feed_anon "$feed_url"
run_wrk feed_user "$feed_url" -H "Authorization: Bearer $reader"
run_wrk home "$cd_url/v1/feed" -H "Authorization: Bearer $reader"

page_status=$(status_of "$cd_url/v1/posts/${page_ids[0]}?limit=20")
if [[ $page_status == 200 ]]; then
    run_wrk postpage "$cd_url/v1/posts/${page_ids[0]}" -s "$work/postpage.lua"
    run_wrk postpage_user "$cd_url/v1/posts/${page_ids[0]}" -s "$work/postpage.lua" -H "Authorization: Bearer $reader"
else
    log "GET /v1/posts/{id}: HTTP $page_status, not measured"
fi
comment_status=$(status_of -X POST "$cd_url/v1/posts/${comment_ids[0]}/comments" -H "Authorization: Bearer $writer" \
    -H 'Content-Type: application/json' -d '{"body":"first benchmark comment"}')
if [[ $comment_status == 201 ]]; then
    before=$(sql "SELECT count(*) FROM content.comments")
    run_wrk comment "$cd_url/v1/posts/${comment_ids[0]}/comments" -s "$work/comment.lua"
    # The same with 16 writers at once (a busy forum's write concurrency; 64 queue behind
    # the fsync-bound commits and measure the queue).
    connections=16 run_wrk comment16 "$cd_url/v1/posts/${comment_ids[0]}/comments" -s "$work/comment.lua"
    log "comments written during the comment runs: $(( $(sql "SELECT count(*) FROM content.comments") - before ))"
else
    log "POST /v1/posts/{id}/comments: HTTP $comment_status, not measured"
fi
run_pgbench

machine_report
row "nginx (static 200)" nginx
row "pgbench -S (tps)" pgbench
row "GET community feed (anonymous)" feed_anon
row "GET community feed (signed in)" feed_user
row "GET /v1/feed (home, signed in)" home
row "GET post page/20 (anonymous)" postpage
row "GET post page/20 (signed in)" postpage_user
row "POST /v1/posts/{id}/comments" comment
row "POST comment, 16 connections" comment16
echo
echo "data:    $communities communities, $posts posts, $comments comments; feed of $slug, 25 posts, sort=hot"
echo "community feed (anonymous) / nginx:    $(ratio "${rps[feed_anon]:-0}" "${rps[nginx]:-0}")"
echo "community feed (anonymous) / pgbench:  $(ratio "${rps[feed_anon]:-0}" "${rps[pgbench]:-0}")"
echo "community feed (signed in) / pgbench:  $(ratio "${rps[feed_user]:-0}" "${rps[pgbench]:-0}")"
echo "post page (anonymous) / pgbench:       $(ratio "${rps[postpage]:-0}" "${rps[pgbench]:-0}")"
echo "post page (signed in) / pgbench:       $(ratio "${rps[postpage_user]:-0}" "${rps[pgbench]:-0}")"
echo "comment / pgbench:                     $(ratio "${rps[comment]:-0}" "${rps[pgbench]:-0}")"
