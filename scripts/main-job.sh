#!/usr/bin/env bash
# The main job: build, start refserver on a free loopback port (with a throwaway certificate,
# so the RFC 2817 and HTTP/2-over-TLS cases run too), run the full catalogue against it, write
# OUT/junit.xml, OUT/report.json, OUT/report.html and OUT/summary.md, stop the server.
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
exit "$status"
