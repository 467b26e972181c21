#!/usr/bin/env bash
# Builds libFuzzer targets for the readers of user-supplied files (compile
# database, config, catalog, glossary, env files, build manifests, shard facts,
# the facts cache's parts)
# with ASan and UBSan (clang-19) into build-fuzz, and runs each for
# IM_FUZZ_SECONDS (default 60) seconds,
# starting from its corpus in test/fuzz/<reader>/. New inputs the fuzzer finds go
# to build-fuzz/corpus/<reader>/, not into the source tree; a crash, exception or
# sanitizer report stops with the input that caused it (build-fuzz/crash-*).
# Usage: scripts/fuzz.sh [reader ...]   (default: all eight)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${IM_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SECONDS_EACH="${IM_FUZZ_SECONDS:-60}"
READERS=("$@")
((${#READERS[@]})) || READERS=(compdb config catalog glossary env manifests facts parts)

if [[ ! -f "$BUILD/build.ninja" ]]; then
  LAUNCHER=()
  command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 "${LAUNCHER[@]}" \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -gline-tables-only -DNDEBUG" \
    -DIM_SANITIZE=ON -DIM_FUZZ=ON -DIM_BUILD_TIDY_PLUGIN=OFF -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc)" --target "${READERS[@]/#/im_fuzz_}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
for R in "${READERS[@]}"; do
  mkdir -p "$BUILD/corpus/$R"
  echo "fuzz: $R for ${SECONDS_EACH}s"
  # -timeout: an input that takes more than 10 s is a finding (a loop that does
  # not end), not a wait of libFuzzer's default 20 minutes.
  if ! (cd "$BUILD" && "./im_fuzz_$R" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 \
          -print_final_stats=1 "corpus/$R" "$ROOT/test/fuzz/$R" >"fuzz-$R.log" 2>&1); then
    cat "$BUILD/fuzz-$R.log"
    echo "fuzz: $R failed; the input is the crash-* file named above (in $BUILD)" >&2
    exit 1
  fi
  grep -E "^(Done|stat::number_of_executed_units)" "$BUILD/fuzz-$R.log" || true
done
echo "fuzz: no crash, exception or sanitizer report in ${READERS[*]}"
