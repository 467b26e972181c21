#!/usr/bin/env bash
# Builds the CLI and its end-to-end tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (clang-19, -DIM_SANITIZE=ON) into build-sanitize,
# then runs the unit, cli, cli-inventory and golden suites and the bundled
# example under them. Any sanitizer report fails the run (UBSan does not
# recover; ASan stops at its first error). Usage: scripts/sanitize.sh
# (IM_SANITIZE_BUILD_DIR overrides the build directory).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${IM_SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"

if [[ ! -f "$BUILD/build.ninja" ]]; then
  LAUNCHER=()
  command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -O1 with line tables: the usual sanitizer build, with file:line in its reports.
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 "${LAUNCHER[@]}" \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -gline-tables-only -DNDEBUG" \
    -DIM_SANITIZE=ON -DIM_BUILD_TIDY_PLUGIN=OFF >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc)" --target integration-mapper im_unit_tests im_cli_tests \
  im_inventory_cli_tests im_golden_tests

# The tool runs Clang's parser on threads with their own large stacks and
# recovers from crashes in a unit with its own signal handlers (matchers/Isolation.cpp):
# ASan must let those handlers run. Leaks are not checked: a unit that crashed
# is abandoned with its memory on purpose.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allow_user_segv_handler=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)" -R '^(unit|cli|cli-inventory|golden)$'

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$BUILD/integration-mapper" -p "$ROOT/compile_commands.example.json" --output-dir "$OUT" \
  --format json,md,sarif --no-cache --quiet
test -s "$OUT/integration-report.json"
echo "sanitize: the tests and the bundled example ran clean under ASan and UBSan"
