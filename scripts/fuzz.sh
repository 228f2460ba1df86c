#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with Debian's clang (-fsanitize=fuzzer,address,
# undefined) into build-fuzz/ and runs each for SECONDS (default 60), starting from its seed
# corpus in tests/fuzz/corpus/TARGET (new inputs go to build-fuzz/corpus/TARGET, the repository's
# seeds stay as they are). Prints per target the executions, executions per second, corpus size
# and what it found; exits 1 when any target crashed, leaked, ran out of memory or timed out.
# A finding's input is in build-fuzz/findings/TARGET/ and its report in build-fuzz/logs/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2; }
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(response_parser backend_request ws_frames h2_frames extensions case_loader json_report)

scripts/install-deps.sh fuzz
if [[ ! -f build-fuzz/build.ninja ]]; then
    CC=clang CXX=clang++ cmake -G Ninja -S tests/fuzz -B build-fuzz >/dev/null
fi
# Two jobs at most: the fuzz build is heavy (valijson, Beast) and CI machines are small.
cmake --build build-fuzz -- -j2 "${targets[@]/%/_fuzz}"

# ASan's default 256 MB quarantine (freed memory held back to catch use after free) alone took
# half of -rss_limit_mb below; 64 MB keeps the targets near 200 MB.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:quarantine_size_mb=64
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/logs
printf '%-16s %12s %10s %8s  %s\n' target executions exec/s corpus result
status=0
for t in "${targets[@]}"; do
    mkdir -p "build-fuzz/corpus/$t" "build-fuzz/findings/$t"
    log=build-fuzz/logs/$t.log
    dict=()
    [[ -f tests/fuzz/dict/$t.dict ]] && dict=(-dict="tests/fuzz/dict/$t.dict")
    # -timeout: seconds one input may take; -rss_limit_mb: memory; both count as findings.
    rc=0
    "build-fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 \
        -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$t/" "${dict[@]}" \
        "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    result=ok
    if [[ $rc -ne 0 ]]; then
        what=$(grep -oE 'runtime error: .*|terminate called .*|ERROR: [A-Za-z]+: [a-z-]+' "$log" |
            head -n 1) || true
        result="FOUND (exit $rc): ${what:-see the log}"
        status=1
    fi
    printf '%-16s %12s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${corpus:-?}" "$result"
    if [[ $rc -ne 0 ]]; then
        grep -h 'Test unit written to' "$log" | sed 's/^/    /' || true
        echo "    report: $log"
    fi
done
exit "$status"
