#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# pgfixture.sh start DIR   throwaway PostgreSQL cluster in DIR: user "community", trust auth,
#                          unix socket in DIR only (no TCP), port 5432, fast unsafe settings.
# pgfixture.sh stop DIR    stops it and deletes DIR.
# Works as root (runs PostgreSQL as the "postgres" user) and as a normal user.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2
[[ $dir == /* ]] || dir="$PWD/$dir"

find_bindir() {
    if [[ -n ${PG_BINDIR:-} && -x $PG_BINDIR/pg_ctl ]]; then echo "$PG_BINDIR"; return; fi
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
    if [[ -n $d && -x $d/pg_ctl ]]; then echo "$d"; return; fi
    if command -v pg_config >/dev/null && [[ -x $(pg_config --bindir)/pg_ctl ]]; then
        pg_config --bindir; return
    fi
    if command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"; return; fi
    echo "pgfixture: PostgreSQL server binaries not found (searched \$PG_BINDIR," \
         "/usr/lib/postgresql/*/bin, pg_config --bindir, PATH)" >&2
    exit 1
}

bindir=$(find_bindir)

as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

stop_cluster() {
    local data
    for data in "$dir/data" "$dir"; do  # "$dir" itself: clusters from older layouts
        if [[ -f $data/PG_VERSION ]] && as_pg "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1; then
            as_pg "$bindir/pg_ctl" stop -D "$data" -m immediate -w -t 30 >/dev/null || true
        fi
    done
}

case $cmd in
start)
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        echo "pgfixture: running as root but there is no 'postgres' user to run PostgreSQL" >&2
        exit 1
    fi
    stop_cluster
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
    fi
    as_pg "$bindir/initdb" -D "$dir/data" -U community --auth=trust -E UTF8 --locale=C \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    if ! as_pg "$bindir/pg_ctl" start -D "$dir/data" -w -t 60 -l "$dir/postgres.log" \
        -o "-k $dir -c listen_addresses='' -p 5432 -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_connections=200 -c unix_socket_permissions=0777" \
        >/dev/null; then
        cat "$dir/postgres.log" >&2 || true
        exit 1
    fi
    for _ in $(seq 1 100); do
        if "$bindir/pg_isready" -q -h "$dir" -p 5432; then
            echo "pgfixture: PostgreSQL ready at host=$dir port=5432"
            exit 0
        fi
        sleep 0.1
    done
    echo "pgfixture: PostgreSQL did not become ready" >&2
    cat "$dir/postgres.log" >&2 || true
    exit 1
    ;;
stop)
    stop_cluster
    rm -rf "$dir"
    ;;
*)
    usage
    ;;
esac
