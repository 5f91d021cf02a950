#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# test.sh [--preset default|asan|release] [ctest args...]
#   Installs dependencies, configures and builds the preset, then runs
#   `ctest --test-dir <binaryDir> --output-on-failure -j2` (plus any extra ctest
#   arguments). The preset may also come from $COMMUNITY_PRESET. Then, for the whole
#   suite (no extra ctest arguments), the fuzz smoke run: `tests/fuzz/run.sh --smoke`
#   (its own clang build in build-fuzz, ~5 s per target); COMMUNITY_FUZZ_SMOKE=0 skips it.
#   Exit code is ctest's, or the smoke run's when ctest passed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

preset=${COMMUNITY_PRESET:-default}
ctest_args=()
while (($# > 0)); do
    case $1 in
        --preset) [[ $# -ge 2 ]] || { echo "test.sh: --preset needs a name" >&2; exit 2; }
                  preset=$2; shift ;;
        --preset=*) preset=${1#--preset=} ;;
        -h | --help) sed -n '4,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) ctest_args+=("$1") ;;
    esac
    shift
done

whole_suite=$(( ${#ctest_args[@]} == 0 ))
# binaryDir of each configure preset in CMakePresets.json.
case $preset in
    default) build_dir=build ;;
    release) build_dir=build-release ;;
    asan)
        build_dir=build-asan
        # Same selection as the asan test preset: the slow suites are not worth 3x.
        ((${#ctest_args[@]} > 0)) || ctest_args=(-L 'unit|db|http')
        ;;
    *) echo "test.sh: unknown preset '$preset' (default, release, asan)" >&2; exit 2 ;;
esac

"$root/packaging/install-deps.sh"
cmake --preset "$preset"
cmake --build --preset "$preset"
status=0
ctest --test-dir "$root/$build_dir" --output-on-failure -j2 "${ctest_args[@]}" || status=$?
# The fuzz smoke run is not a ctest test: it builds its own tree with clang (tests/fuzz).
if ((whole_suite)) && [[ ${COMMUNITY_FUZZ_SMOKE:-1} != 0 ]]; then
    fuzz_status=0
    "$root/tests/fuzz/run.sh" --smoke || fuzz_status=$?
    ((status != 0)) || status=$fuzz_status
fi
exit "$status"
