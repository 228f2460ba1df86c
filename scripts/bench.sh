#!/usr/bin/env bash
# Benchmark (not a test): prints figures, asserts nothing.
#   1. the full catalogue against the conforming refserver (as the main job runs it)
#   2. a bare URL (no flags) against a refserver without TLS: CPU per case
#   3. a fake target that withholds the answers of three independent cases (--timeout 3): the
#      waits should overlap, so the run takes about one wait, not three
#   4. each hostile target of tests/integration/test_memory.py: peak RSS and wall time
# Each line gives wall-clock time, CPU time (user + sys), CPU per case, peak RSS and how many
# cases waited for a deadline. Usage: scripts/bench.sh [RUNS] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jobs=${2:-4}
scripts/install-deps.sh test >/dev/null
scripts/build.sh >/dev/null

source scripts/refserver-env.sh

# measure LABEL REPORT CMD...: runs CMD, then prints its figures from wait4() and the JSON report.
measure() {
    python3 - "$@" <<'PY'
import json, os, subprocess, sys, time
label, report, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
started = time.monotonic()
child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.monotonic() - started
cpu = usage.ru_utime + usage.ru_stime
cases = json.load(open(report))["cases"]
ran = [c for c in cases if c["verdict"] != "skip"]
waited = sum(1 for c in cases if c["deadline_waits"] > 0)
print("%-28s exit %d  %3d cases (%3d run)  wall %6.3f s  cpu %.3f s  %.2f ms cpu/case  "
      "peak RSS %5.1f MiB  waited for a deadline: %d"
      % (label, os.waitstatus_to_exitcode(status), len(cases), len(ran), wall, cpu,
         1000 * cpu / max(1, len(cases)), usage.ru_maxrss / 1024, waited))
PY
}

runner=build/runner/upgradespec
echo "refserver at $address, --jobs $jobs, $runs runs each"
for i in $(seq "$runs"); do
    measure "full catalogue, run $i" "$work/full.json" \
        "$runner" "${full_run[@]}" --jobs "$jobs" --json "$work/full.json" "ws://$address/ws"
done
# A bare URL knows no certificate: a second refserver without TLS, as a newcomer's server.
start_refserver "$work/plain.log"
plain_server=$started_pid
plain_address=$started_address
for i in $(seq "$runs"); do
    measure "bare URL, run $i" "$work/bare.json" \
        "$runner" --jobs "$jobs" --json "$work/bare.json" "ws://$plain_address/ws"
done
kill "$plain_server"
wait "$plain_server" 2>/dev/null || true

# The withholding fake prints its port, then serves until its input closes.
coproc FAKE { python3 tests/integration/withholding_target.py; }
read -r fake_port <&"${FAKE[0]}"
cases=$(python3 -c 'import sys; sys.path.insert(0, "tests/integration")
import withholding_target as w; print(" ".join("--case " + c for c in w.CASES))')
# shellcheck disable=SC2086 # $cases is a list of options
for i in $(seq "$runs"); do
    measure "3 withheld answers, run $i" "$work/withheld.json" \
        "$runner" --timeout 3 --jobs "$jobs" $cases --json "$work/withheld.json" \
        "ws://127.0.0.1:$fake_port/ws"
done
exec {FAKE[1]}>&-
wait "$FAKE_PID"

# 4. Hostile targets (tests/integration/test_memory.py): peak RSS and wall time per mode.
UPGRADESPEC_BUILD=build python3 - <<'PY'
import sys, time
sys.path.insert(0, "tests/integration")
import harness
from test_hostile import TIMEOUT, FakeServer
from test_memory import MODES
for name, (handler, cases) in MODES.items():
    with FakeServer(handler) as fake:
        started = time.monotonic()
        run = harness.run_cli(fake.url(), "--timeout", str(TIMEOUT), *cases, timeout=300)
        wall = time.monotonic() - started
    print("hostile %-30s exit %d  %3d cases  wall %6.2f s  peak RSS %5.1f MiB"
          % (name, run.code, len(run.report["cases"]), wall, run.peak_rss_mib))
PY
