#!/usr/bin/env bash
# The main job: build, start refserver on a free loopback port, run the full catalogue
# against it, write out/junit.xml and out/report.json, stop the server.
# Usage: scripts/main-job.sh [OUTPUT_DIR]   (extra upgradespec options via UPGRADESPEC_OPTS)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}

scripts/install-deps.sh build
scripts/build.sh
mkdir -p "$out"

log=$(mktemp)
build/fixtures/refserver/refserver --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 100); do
    grep -q '^listening on ' "$log" && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "refserver did not start" >&2; exit 3; }
    sleep 0.05
done
address=$(sed -n 's/^listening on //p' "$log" | head -n 1)
[[ -n "$address" ]] || { echo "refserver did not say where it listens" >&2; exit 3; }

status=0
# shellcheck disable=SC2086
build/runner/upgradespec --echo --allowed-origin https://good.example --subprotocol chat --junit "$out/junit.xml" --json "$out/report.json" \
    ${UPGRADESPEC_OPTS:-} "ws://$address/ws" || status=$?
echo "reports: $out/junit.xml $out/report.json (exit $status)"
exit "$status"
