# Sourced by main-job.sh and bench.sh: starts refserver on free loopback ports with a throwaway
# certificate (so the RFC 2817 and HTTP/2-over-TLS cases run too) and sets:
#   work       a temporary folder, removed on exit with the server stopped
#   address    HOST:PORT of the cleartext listener
#   full_run   the upgradespec options that tell the runner everything refserver has
# The caller has built refserver and upgradespec (scripts/build.sh).

work=$(mktemp -d)
server=""
stop_refserver() {
    [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap stop_refserver EXIT

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

# One more refserver, as `start_refserver LOG ARGS...`: its PID in started_pid, its HOST:PORT in
# started_address ("" when it said nothing within 5 s). The caller stops it.
start_refserver() {
    local log=$1
    shift
    build/fixtures/refserver/refserver --port 0 "$@" >"$log" 2>&1 &
    started_pid=$!
    for _ in $(seq 100); do
        grep -q '^listening on ' "$log" && break
        sleep 0.05
    done
    started_address=$(sed -n 's/^listening on //p' "$log" | head -n 1)
}

# Everything refserver has, so every case of the catalogue runs (see tests/integration/harness.py).
full_run=(--echo --allowed-origin https://good.example --subprotocol chat
          --claim h2c --spec rfc7540 --claim tls-upgrade --tls-required-path /tls-only
          --http11-required-path /http11-only --tls-port "$tls_port" --cacert "$work/server.pem")
