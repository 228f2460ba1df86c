#!/usr/bin/env bash
# Installs what the interop tests need: the Debian packages of scripts/install-deps.sh's test list
# (the real servers and what runs them), and the npm packages pinned by package-lock.json (ws,
# websocket, faye-websocket) into tests/interop/node_modules (gitignored). Exits non-zero, saying what is
# missing, when anything cannot be installed: the interop tests then fail, they never skip.
set -euo pipefail
cd "$(dirname "$0")"

../../scripts/install-deps.sh test

for tool in node npm nginx apache2 haproxy varnishd caddy java javac; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || {
        echo "interop: $tool is missing after installing the packages" >&2; exit 1; }
done
/usr/bin/python3 -c 'import websockets' || { echo "interop: python3-websockets is missing" >&2; exit 1; }
/usr/bin/python3 -c 'import autobahn.twisted.websocket' || {
    echo "interop: python3-autobahn is missing" >&2; exit 1; }

# Every npm package of package.json at the version package-lock.json pins; npm ci otherwise.
stale=$(node -e '
  const lock = require("./package-lock.json").packages;
  const wanted = Object.keys(require("./package.json").dependencies);
  const stale = wanted.filter((name) => {
    let installed = "none";
    try { installed = require("./node_modules/" + name + "/package.json").version; } catch (e) {}
    return installed !== lock["node_modules/" + name].version;
  });
  console.log(stale.join(" "));')
if [[ -n "$stale" ]]; then
    echo "interop: installing the npm packages of package-lock.json (npm ci; stale: $stale)"
    npm ci --no-audit --no-fund --loglevel=error || {
        echo "interop: npm ci failed: the npm packages of package-lock.json could not be installed" >&2; exit 1; }
fi
echo "interop: everything installed ($(node -p 'Object.entries(require("./package.json").dependencies).map(([n, v]) => n + " " + v).join(", ")'))"
