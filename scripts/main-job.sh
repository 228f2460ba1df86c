#!/usr/bin/env bash
# The main job: build, start refserver on a free loopback port (with a throwaway certificate,
# so the RFC 2817 and HTTP/2-over-TLS cases run too), run the full catalogue against it, write
# OUT/junit.xml, OUT/report.json, OUT/report.html and OUT/summary.md, stop the server. Then the
# intermediary family, which needs a proxy in front of the runner's backend: refserver
# --proxy-to, reports in OUT/intermediary/. The exit code is the worse of the two runs'.
# Usage: scripts/main-job.sh [OUTPUT_DIR]   (extra upgradespec options via UPGRADESPEC_OPTS)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}

scripts/install-deps.sh build
scripts/build.sh
mkdir -p "$out"
source scripts/refserver-env.sh

status=0
# shellcheck disable=SC2086
build/runner/upgradespec "${full_run[@]}" --junit "$out/junit.xml" --json "$out/report.json" \
    --html "$out/report.html" --markdown "$out/summary.md" ${UPGRADESPEC_OPTS:-} \
    "ws://$address/ws" || status=$?
echo "reports: $out/junit.xml $out/report.json $out/report.html $out/summary.md (exit $status)"

# The intermediary family: refserver as a reverse proxy to the runner's backend. The backend's
# port is picked below the system's ephemeral range; a port in use gets another try.
proxy_status=3
proxy=""
trap '[[ -z "$proxy" ]] || kill "$proxy" 2>/dev/null || true; stop_refserver' EXIT
mkdir -p "$out/intermediary"
for attempt in 1 2 3 4 5; do
    backend="127.0.0.1:$((20000 + RANDOM % 10000))"
    start_refserver "$work/proxy.log" --proxy-to "$backend"
    proxy=$started_pid
    proxy_address=$started_address
    proxy_status=0
    # shellcheck disable=SC2086
    build/runner/upgradespec --strict --backend "$backend" --junit "$out/intermediary/junit.xml" \
        --json "$out/intermediary/report.json" --html "$out/intermediary/report.html" \
        --markdown "$out/intermediary/summary.md" ${UPGRADESPEC_OPTS:-} \
        "ws://$proxy_address/ws" || proxy_status=$?
    kill "$proxy" 2>/dev/null && wait "$proxy" 2>/dev/null || true
    proxy=""
    grep -q 'could not listen on' "$out/intermediary/report.json" || break
    echo "the backend's port $backend was taken (attempt $attempt); trying another" >&2
done
echo "reports: $out/intermediary/ (exit $proxy_status)"
exit $((status > proxy_status ? status : proxy_status))
