#!/usr/bin/env bash
# Installs what the interop tests need: the Debian packages (python3-websockets, nginx, apache2,
# nodejs, npm: scripts/install-deps.sh's test list) and the npm package ws, pinned by
# package-lock.json, into tests/interop/node_modules (gitignored). Exits non-zero, saying what is
# missing, when anything cannot be installed: the interop tests then fail, they never skip.
set -euo pipefail
cd "$(dirname "$0")"

../../scripts/install-deps.sh test

for tool in node npm nginx apache2; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || {
        echo "interop: $tool is missing after scripts/install-deps.sh test" >&2; exit 1; }
done
/usr/bin/python3 -c 'import websockets' || { echo "interop: python3-websockets is missing" >&2; exit 1; }

locked=$(node -p 'require("./package-lock.json").packages["node_modules/ws"].version')
installed=$(node -p 'try { require("./node_modules/ws/package.json").version } catch (e) { "none" }')
if [[ "$installed" != "$locked" ]]; then
    echo "interop: installing ws $locked from the npm registry (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error || {
        echo "interop: npm ci failed: the npm package ws $locked could not be installed" >&2; exit 1; }
fi
echo "interop: everything installed (ws $locked)"
