#!/usr/bin/env bash
# Sets up (packages, configure, build) and runs every test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
ctest --test-dir "${IM_BUILD_DIR:-$ROOT/build}" --output-on-failure -j "$(nproc)"
