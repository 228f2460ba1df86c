#!/usr/bin/env bash
# Benchmark (not a test): the full catalogue against the conforming refserver.
# Prints wall-clock and CPU time of the runner, and how many cases waited for a deadline.
# Usage: scripts/bench.sh [RUNS] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jobs=${2:-4}
scripts/install-deps.sh test >/dev/null
scripts/build.sh >/dev/null

source scripts/refserver-env.sh

echo "full catalogue against refserver at $address, --jobs $jobs, $runs runs"
TIMEFORMAT='%R %U %S'
for i in $(seq "$runs"); do
    { time build/runner/upgradespec "${full_run[@]}" --jobs "$jobs" --json "$work/r.json" \
        "ws://$address/ws" >/dev/null; } 2>"$work/time" || true
    read -r wall user sys <"$work/time"
    python3 - "$work/r.json" "$wall" "$user" "$sys" "$i" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
cases = report["cases"]
waited = sum(1 for c in cases if c["deadline_waits"] > 0)
wall, user, sys_ = map(float, sys.argv[2:5])
print("run %s: %d cases  wall %.3f s  cpu %.3f s (user %.3f, sys %.3f)  cases that waited for a deadline: %d"
      % (sys.argv[5], len(cases), wall, user + sys_, user, sys_, waited))
PY
done
