#!/usr/bin/env bash
# Sets up (packages, configure, build) and runs every test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
ctest --test-dir "${IM_BUILD_DIR:-$ROOT/build}" --output-on-failure -j "$(nproc)"
# The CLI suites and the example again under AddressSanitizer and UBSan, built with
# clang-19 into build-sanitize (scripts/sanitize.sh). IM_SKIP_SANITIZE=1 leaves it out.
if [[ "${IM_SKIP_SANITIZE:-0}" != 1 ]]; then
  "$ROOT/scripts/sanitize.sh"
fi
