#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# run.sh [communityd args...]
#   Installs dependencies, builds the `release` preset (build-release/) and runs
#   communityd on 127.0.0.1:8080 with its data (embedded PostgreSQL, operator token) in
#   $COMMUNITY_DATA_DIR (default <repo>/data). Extra arguments go to communityd.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

"$root/packaging/install-deps.sh"
cmake --preset release
cmake --build --preset release

data_dir=${COMMUNITY_DATA_DIR:-$root/data}
# As root, the embedded PostgreSQL runs as the unprivileged `postgres` user, which must be
# able to reach the data directory. A checkout under /root (mode 0700) is not reachable:
# then keep the data in /var/lib/community instead.
if [[ -z ${COMMUNITY_DATA_DIR:-} && $EUID -eq 0 ]] && id postgres >/dev/null 2>&1 \
    && ! runuser -u postgres -- test -x "$root"; then
    data_dir=/var/lib/community
    echo "run.sh: $root is not reachable for the postgres user; data goes to $data_dir"
fi
mkdir -p "$data_dir"
bin=$root/build-release/bin
cat <<MSG

communityd is starting (data in $data_dir). From another terminal:
  $bin/communityctl --token-file $data_dir/operator.token status
  $bin/communityctl --token-file $data_dir/operator.token plugins list
  $bin/communityctl --token-file $data_dir/operator.token migrate status

MSG
exec "$bin/communityd" --data-dir "$data_dir" --listen 127.0.0.1:8080 "$@"
