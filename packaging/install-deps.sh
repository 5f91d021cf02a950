#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# install-deps.sh [--bench] [--check]
#   Installs the Debian 12 packages needed to build, run and test the platform (nodejs and
#   npm only when there is no `node`), then the test suite's pinned Node tools (`npm ci` in
#   tests/tools, when node_modules is older than package-lock.json); with --bench also the
#   packages of tests/bench (wrk, nginx). Only missing packages are installed (dpkg-query);
#   apt-get update runs only when something is missing. --check lists what is missing and
#   exits 1 if anything is, without installing.
# Idempotent; works from any directory; needs root (or sudo) only when installing packages.
set -euo pipefail

BUILD_PACKAGES=(
    build-essential cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev
    libhttp-parser-dev libpqxx-dev libpq-dev prometheus-cpp-dev libcli11-dev libsodium-dev
    libexpected-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libicu-dev
    # files plugin (ADR 0011): content sniffing, images; exiftool checks stripped metadata in tests
    libmagic-dev libvips-dev libimage-exiftool-perl
    # files scanning hook (ADR 0031): tests start a private clamd (own signature file, no freshclam)
    clamav-daemon
    # admin: watched-word regular expressions run on RE2 (linear time; ADR 0012).
    libre2-dev
    # community-console (ADR 0013): Qt Charts for the live dashboard, Qt Linguist
    # (lupdate/lrelease, the CMake LinguistTools package) for the Korean and English UI
    # text, Xvfb to render the screenshots in docs/console.
    # (qt6-charts-dev does not pull in libqt6opengl6-dev, which its CMake package needs.)
    qt6-charts-dev libqt6opengl6-dev qt6-l10n-tools qt6-tools-dev xvfb xauth
    # a Hangul font: without one the Korean UI and Korean posts render as boxes
    fonts-nanum
    # notifications (ADR 0014): SMTP through libcurl; tests send to a real aiosmtpd on loopback.
    # files (ADR 0030): the S3 store signs with libcurl's AWS SigV4 (same package); its tests
    # use npm s3rver (tests/tools/package.json), and the curl command puts a stray object;
    # tst_filesmultipart sends real forms with curl -F (ADR 0029).
    curl
    # openssl (the command): the TLS tests make throwaway CAs (ADR 0028).
    libcurl4-openssl-dev python3-aiosmtpd openssl
    postgresql postgresql-contrib
    # tests/fuzz (libFuzzer, ASan, UBSan): the sanitizer and fuzzer runtimes are a package
    # of their own (libclang_rt.fuzzer-x86_64.a is in libclang-rt-14-dev, not clang-14).
    clang-14 libclang-rt-14-dev
)
# libvips-tools: vipsthumbnail, the ceiling of tests/bench/files_bench.sh's thumbnails.
BENCH_PACKAGES=(wrk nginx-light postgresql-contrib libvips-tools)
# Node runs the OpenAPI linter of the tests (@redocly/cli 1.x: Node >= 18.17, Debian 12 has
# 18.19); a node installed otherwise (nvm, NodeSource) is used as it is.
NODE_PACKAGES=(nodejs npm)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    sed -n '4,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

missing_packages() {
    local pkg
    for pkg in "$@"; do
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true) != installed ]]; then
            printf '%s\n' "$pkg"
        fi
    done
}

install_packages() {
    local -a wanted=("$@") missing
    mapfile -t missing < <(missing_packages "${wanted[@]}" | sort -u)
    if ((${#missing[@]} == 0)); then
        echo "install-deps: all ${#wanted[@]} packages already installed"
        return 0
    fi
    if ((check_only)); then
        echo "install-deps: missing: ${missing[*]}"
        return 1
    fi

    local -a sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || {
            echo "install-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
            return 1
        }
        sudo=(sudo)
    fi

    echo "install-deps: installing ${missing[*]}"
    # Keep package scripts from starting services we do not use (the distribution's
    # PostgreSQL cluster, nginx on port 80). Only when no policy is installed already;
    # removed again on exit.
    local policy=/usr/sbin/policy-rc.d
    if [[ ! -e $policy ]]; then
        "${sudo[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
        # shellcheck disable=SC2064 # expand now: the array is local
        trap "${sudo[*]} rm -f $policy" EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}"

    mapfile -t missing < <(missing_packages "${wanted[@]}")
    if ((${#missing[@]} > 0)); then
        echo "install-deps: still missing after install: ${missing[*]}" >&2
        return 1
    fi
}

# The Node tools of the test suite, exactly as tests/tools/package-lock.json pins them.
install_node_tools() {
    local dir=$root/tests/tools
    # npm ci writes node_modules/.package-lock.json last: newer than the lock = installed.
    local stamp=$dir/node_modules/.package-lock.json
    if [[ -f $stamp && ! $dir/package-lock.json -nt $stamp ]]; then
        echo "install-deps: node tools in tests/tools up to date"
        return 0
    fi
    if ((check_only)); then
        echo "install-deps: missing: node tools (npm ci in tests/tools)"
        return 1
    fi
    command -v npm >/dev/null || {
        echo "install-deps: npm not found; install nodejs and npm" >&2
        return 1
    }
    echo "install-deps: npm ci in tests/tools"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
}

check_only=0
bench=0
while (($# > 0)); do
    case $1 in
        --bench) bench=1 ;;
        --check) check_only=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install-deps: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

packages=("${BUILD_PACKAGES[@]}")
if ((bench)); then
    packages+=("${BENCH_PACKAGES[@]}")
fi
if ! command -v node >/dev/null; then
    packages+=("${NODE_PACKAGES[@]}")
fi
status=0
install_packages "${packages[@]}" || status=$?
# --check reports everything that is missing; an install stops at the first failure.
if ((status == 0 || check_only)); then
    install_node_tools || status=$?
fi
exit "$status"
