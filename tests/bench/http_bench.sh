#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# http_bench.sh — communityd's HTTP layer and DB round trip against nginx and pgbench on
# this machine. Run by hand (not part of ctest); see README.md. Environment knobs:
#   BENCH_DURATION (10s) BENCH_CONNECTIONS (64) BENCH_WARMUP (2s, 0 = none)
#   BENCH_SCALE (10, pgbench -i -s)
#   BENCH_BIN_DIR (default build-release/bin, built first; when set, used as it is)
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run_wrk nginx "http://127.0.0.1:$ng_port/healthz"
run_wrk healthz "$cd_url/healthz"
run_wrk time "$cd_url/v1/system/time"
run_pgbench

machine_report
row "nginx (static 200)" nginx
row "communityd /healthz" healthz
row "communityd /v1/system/time" time
row "pgbench -S (tps)" pgbench
echo
echo "communityd /healthz / nginx:         $(ratio "${rps[healthz]:-0}" "${rps[nginx]:-0}")"
echo "/v1/system/time / pgbench -S tps:    $(ratio "${rps[time]:-0}" "${rps[pgbench]:-0}")"
