#!/usr/bin/env bash
# Builds everything and runs every test (unit, integration, mutation) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
scripts/build.sh --tests
ctest --test-dir build --output-on-failure -j"$(nproc)"
