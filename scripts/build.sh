#!/usr/bin/env bash
# Configures and builds everything into build/ with Ninja.
# Usage: scripts/build.sh [--tests]   (--tests: BUILD_TESTING=ON, the tests need test packages)
set -euo pipefail
cd "$(dirname "$0")/.."
testing=OFF
[[ "${1:-}" == --tests ]] && testing=ON
# A build that has the tests keeps them: switching them off would leave their old binaries in
# build/ for a later ctest to run against new code.
grep -qsx "BUILD_TESTING:BOOL=ON" build/CMakeCache.txt && testing=ON
# Configure on the first build and whenever BUILD_TESTING changes; otherwise Ninja re-runs
# CMake itself when a CMakeLists.txt changed.
if [[ ! -f build/build.ninja ]] ||
    ! grep -qx "BUILD_TESTING:BOOL=$testing" build/CMakeCache.txt; then
    cmake -G Ninja -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=$testing >/dev/null
fi
cmake --build build -- -j"$(nproc)"
