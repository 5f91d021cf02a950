#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# check_layout.sh SOURCE_DIR
#   Fails (exit 1, one line per offence) when the dependency rules of DESIGN.md and
#   docs/adr/0008-plugin-sdk.md are broken:
#   - a plugin includes a header of another plugin, or a host header (community/host/);
#   - contracts include anything but contracts, shared (result.h, principal.h) and Qt;
#   - shared includes core or contracts;
#   - a plugin's CMakeLists links another plugin's *_core library;
#   - a test's CMakeLists adds another test folder of tests/plugins to its include path.
set -euo pipefail
root=${1:?usage: check_layout.sh SOURCE_DIR}
cd "$root"
bad=0
offence() { echo "layout: $*"; bad=1; }

plugins=$(ls backend/plugins)
for p in $plugins; do
    # Headers this plugin owns (any folder of it).
    mapfile -t own < <(find "backend/plugins/$p" -name '*.h' -printf '%f\n' | sort -u)
    while IFS=: read -r file line inc; do
        name=${inc##*/}
        [[ $inc == community/host/* ]] && offence "$file:$line includes host header $inc"
        [[ $inc == community/* ]] && continue
        if ! grep -qx -- "$name" <<<"$(printf '%s\n' "${own[@]}")"; then
            for q in $plugins; do
                [[ $q == "$p" ]] && continue
                if find "backend/plugins/$q" -name "$name" | grep -q .; then
                    offence "$file:$line includes $inc, a header of plugin $q"
                fi
            done
        fi
    done < <(grep -rnoE '#include "[^"]+"' "backend/plugins/$p" --include='*.cpp' --include='*.h' |
             sed -E 's/:#include "([^"]+)"$/:\1/')
    for q in $plugins; do
        [[ $q == "$p" ]] && continue
        if grep -rqE "\b${q}_core\b" "backend/plugins/$p" --include=CMakeLists.txt; then
            offence "backend/plugins/$p links ${q}_core"
        fi
    done
done

while IFS=: read -r file line inc; do
    case $inc in
        community/contracts/* | community/result.h | community/principal.h) ;;
        *) offence "$file:$line: contracts include $inc (only contracts and shared)" ;;
    esac
done < <(grep -rnoE '#include "[^"]+"' backend/contracts | sed -E 's/:#include "([^"]+)"$/:\1/')

while IFS=: read -r file line inc; do
    [[ -e shared/include/$inc || -e $(dirname "$file")/$inc ]] ||
        offence "$file:$line: shared includes $inc (shared sits below core and contracts)"
done < <(grep -rnoE '#include "community/[^"]+"' shared | sed -E 's/:#include "([^"]+)"$/:\1/')

while IFS= read -r f; do
    dir=$(dirname "$f")
    while IFS= read -r ref; do
        [[ $ref == "$dir"* ]] || offence "$f: include path reaches into $ref"
    done < <(grep -oE '\$\{CMAKE_SOURCE_DIR\}/tests/plugins/[a-z/]+' "$f" | sed 's#${CMAKE_SOURCE_DIR}/##')
done < <(find tests -name CMakeLists.txt)

((bad == 0)) && echo "layout: ok (${plugins//$'\n'/ })"
exit $bad
