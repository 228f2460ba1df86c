#!/usr/bin/env bash
# Builds everything with AddressSanitizer and UndefinedBehaviorSanitizer into build-sanitize/ and
# runs the unit and integration tests there: the runner against refserver, its defects and the
# hostile fakes. The interop tests are left out (real servers exercise no code the integration
# tests do not, and take the time). Any sanitizer report fails the test that triggered it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
if [[ ! -f build-sanitize/build.ninja ]]; then
    cmake -G Ninja -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
        -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
fi
cmake --build build-sanitize -- -j"$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# integration.memory: resident size under ASan is shadow memory and quarantine, not the runner's.
export UPGRADESPEC_SANITIZERS=address,undefined
ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)" -E '^interop\.'
