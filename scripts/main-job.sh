#!/usr/bin/env bash
# The main job: build, start refserver on a free loopback port (with a throwaway certificate,
# so the RFC 2817 cases run too), run the full catalogue against it, write OUT/junit.xml and
# OUT/report.json, stop the server.
# Usage: scripts/main-job.sh [OUTPUT_DIR]   (extra upgradespec options via UPGRADESPEC_OPTS)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}

scripts/install-deps.sh build
scripts/build.sh
mkdir -p "$out"

work=$(mktemp -d)
server=""
cleanup() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# A self-signed certificate for 127.0.0.1, made now and thrown away with $work.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$work/server.key" -out "$work/server.pem" 2>/dev/null

# --tls-port: a TLS listener beside the cleartext one, for the HTTP/2 (ALPN h2, RFC 8441) cases.
build/fixtures/refserver/refserver --port 0 --tls-cert "$work/server.pem" --tls-key "$work/server.key" \
    --tls-port 0 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
    grep -q '^tls listening on ' "$work/server.log" && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "refserver did not start" >&2; exit 3; }
    sleep 0.05
done
address=$(sed -n 's/^listening on //p' "$work/server.log" | head -n 1)
tls_port=$(sed -n 's/^tls listening on .*://p' "$work/server.log" | head -n 1)
[[ -n "$address" && -n "$tls_port" ]] || { echo "refserver did not say where it listens" >&2; exit 3; }

# Everything refserver has, so every case of the catalogue runs (see tests/integration/harness.py).
status=0
# shellcheck disable=SC2086
build/runner/upgradespec --echo --allowed-origin https://good.example --subprotocol chat \
    --claim h2c --spec rfc7540 --claim tls-upgrade --tls-required-path /tls-only \
    --http11-required-path /http11-only --tls-port "$tls_port" --cacert "$work/server.pem" \
    --junit "$out/junit.xml" --json "$out/report.json" ${UPGRADESPEC_OPTS:-} "ws://$address/ws" || status=$?
echo "reports: $out/junit.xml $out/report.json (exit $status)"
exit "$status"
