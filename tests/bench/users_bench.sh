#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# users_bench.sh — the auth and users services over HTTP, beside the nginx ceiling in the
# same run: logins per second (each one Argon2id verification with the shipped
# parameters), GET /v1/users/{name}, and follow/unfollow as an authenticated user.
# Run by hand (not part of ctest); knobs as in lib.sh, plus BENCH_LOGIN_CONNECTIONS (8).
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v curl >/dev/null || die "curl not found"
pw='bench-password-9f3k2'
json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

log "registering 50 accounts"
for i in $(seq 1 50); do
    curl -sf -X POST "$cd_url/v1/auth/register" -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench$i\",\"email\":\"bench$i@bench.example\",\"password\":\"$pw\"}" >/dev/null \
        || die "registering bench$i failed"
done
token=$(curl -sf -X POST "$cd_url/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"login\":\"bench1\",\"password\":\"$pw\"}" | json_field accessToken)
[[ -n $token ]] || die "login failed"

cat >"$work/login.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"login":"bench2","password":"$pw"}'
wrk.headers["Content-Type"] = "application/json"
LUA
cat >"$work/follow.lua" <<LUA
-- Alternates follow and unfollow over 49 other accounts.
local i = 0
request = function()
    i = i + 1
    local target = "bench" .. (i % 49 + 2)
    local method = (math.floor(i / 49) % 2 == 0) and "PUT" or "DELETE"
    return wrk.format(method, "/v1/users/" .. target .. "/follow", { ["Authorization"] = "Bearer $token" })
end
LUA

run_wrk nginx "http://127.0.0.1:$ng_port/healthz"
run_wrk profile "$cd_url/v1/users/bench7"
run_wrk follow "$cd_url/v1/users/bench2/follow" -s "$work/follow.lua"
saved=$connections
connections=${BENCH_LOGIN_CONNECTIONS:-8}
run_wrk login "$cd_url/v1/auth/login" -s "$work/login.lua"
connections=$saved

machine_report
row "nginx (static 200)" nginx
row "GET /v1/users/{name}" profile
row "PUT|DELETE .../follow" follow
row "POST /v1/auth/login (c=${BENCH_LOGIN_CONNECTIONS:-8})" login
echo
echo "GET /v1/users/{name} / nginx:        $(ratio "${rps[profile]:-0}" "${rps[nginx]:-0}")"
echo "follow/unfollow / nginx:             $(ratio "${rps[follow]:-0}" "${rps[nginx]:-0}")"
echo "logins/s = Argon2id verifications/s with the shipped parameters (see docs/auth.md)"
