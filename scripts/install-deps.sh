#!/usr/bin/env bash
# Installs the Debian 12 packages upgradespec needs, only those that are missing.
# Usage: scripts/install-deps.sh [build|test|fuzz]   (test adds what the test suite needs, fuzz
# what scripts/fuzz.sh needs)
set -euo pipefail

# build: what the main job needs (build, refserver's throwaway certificate, cpack's Depends:
# CPack runs dpkg-shlibdeps on the files that `file` says are ELF).
packages=(g++ cmake ninja-build ccache pkg-config libboost-dev libboost-system-dev libssl-dev
          nlohmann-json3-dev libcli11-dev libvalijson-dev openssl libnghttp2-dev zlib1g-dev
          dpkg-dev file)
if [[ "${1:-build}" == test ]]; then
    packages+=(catch2 python3 python3-jsonschema libxml2-dev python3-junitparser)
    # Headless Chromium loads the HTML report in tests/integration/test_pages.py.
    packages+=(chromium)
    # Node.js runs the npm report consumers; a machine may already have it from elsewhere.
    command -v npm >/dev/null || packages+=(nodejs npm)
    # The interop tests' real servers (tests/interop/): python3-websockets, nginx, apache2,
    # HAProxy, Varnish and Caddy, Tomcat 10 with its examples webapp, Jetty 9's libraries (an
    # embedded server the test compiles, hence the JDK), python3-autobahn. We run our own
    # instances on our own configs and ports, never the system services these packages bring.
    packages+=(python3-websockets nginx apache2 haproxy varnish caddy tomcat10-common
               tomcat10-examples libjetty9-java libjetty9-extra-java openjdk-17-jdk-headless
               python3-autobahn)
fi
if [[ "${1:-build}" == fuzz ]]; then
    # scripts/fuzz.sh: Debian's clang and its libFuzzer runtime (with ASan and UBSan).
    packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
    echo "upgradespec needs these Debian packages, which are missing: ${missing[*]}" >&2
    echo "install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "installing missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Keep installs from starting services (nginx, apache2, haproxy, varnish and caddy would start on
# their default ports): a temporary policy-rc.d that denies every start, unless the machine
# already has one.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
