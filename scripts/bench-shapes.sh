#!/usr/bin/env bash
# Benchmark of the analysis after the parse on two monorepo shapes, against the
# real libcurl header:
#   callers  N functions, spread over F files, each calling one wrapper
#            (fetch(url) -> curl_easy_setopt(CURLOPT_URL) + curl_easy_perform)
#   chain    an N-long call chain f0 -> f1 -> ... -> f<N-1> -> fetch(url),
#            spread over F files, main() calling f0
#   wide     N functions in ONE file, in blocks of 100: 99 helpers calling each
#            other (reaching no client) and one function calling fetch and them
# For each shape it times `clang++-19 -fsyntax-only` over the same files (the
# parse) and the tool (-j1, --no-cache), and prints wall time, peak RSS and the
# size of the JSON report (and of its call graph).
# Not a test: run by hand, record the figures in docs/performance.md.
#   scripts/bench-shapes.sh [N] [F]       (default 20000 functions in 10 files)
#   KEEP=dir scripts/bench-shapes.sh ...  writes the projects to dir and keeps them
#   SHAPES="chain wide" scripts/bench-shapes.sh ...  only these shapes
#   TOOL=path scripts/bench-shapes.sh ...  another build of the tool (before/after)
#   HOSTS=97 scripts/bench-shapes.sh ...  the callers call 97 hosts (97 integrations) instead of one
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="${TOOL:-${IM_BUILD_DIR:-$ROOT/build}/integration-mapper}"
N="${1:-20000}"
F="${2:-10}"
if [[ -n "${KEEP:-}" ]]; then
  WORK="$KEEP"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
fi
PER=$(((N + F - 1) / F))
HOSTS="${HOSTS:-1}" # distinct endpoint hosts among the callers (integrations)

# The wrapper every shape ends in: its endpoint is its parameter, so each call
# of it is a libcurl call site.
wrapper() {
  local dir="$1"
  mkdir -p "$dir/src"
  cat > "$dir/src/fetch.h" <<'EOF'
#pragma once
int fetch(const char *url);
EOF
  cat > "$dir/src/fetch.cpp" <<'EOF'
#include "fetch.h"
#include <curl/curl.h>
int fetch(const char *url) {
  CURL *h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  CURLcode rc = curl_easy_perform(h);
  curl_easy_cleanup(h);
  return rc == CURLE_OK ? 0 : 1;
}
EOF
}

# compile_commands.json for every .cpp under $1/src.
compdb() {
  local dir="$1" first=1
  {
    echo "["
    for f in "$dir"/src/*.cpp; do
      ((first)) || echo ","
      first=0
      printf '{"directory": "%s", "file": "%s", "arguments": ["c++", "-std=c++17", "-I%s/src", "-c", "%s"]}' \
        "$dir" "$f" "$dir" "$f"
    done
    echo "]"
  } > "$dir/compile_commands.json"
}

gen_callers() {
  local dir="$WORK/callers"
  wrapper "$dir"
  for ((k = 0; k < F; k++)); do
    {
      echo '#include "fetch.h"'
      for ((i = k * PER; i < (k + 1) * PER && i < N; i++)); do
        echo "int caller$i() { return fetch(\"http://svc$((i % HOSTS)).internal/item/$i\"); }"
      done
    } > "$dir/src/callers$k.cpp"
  done
  compdb "$dir"
}

gen_chain() {
  local dir="$WORK/chain"
  wrapper "$dir"
  {
    echo "#pragma once"
    for ((i = 0; i < N; i++)); do echo "int f$i(int depth);"; done
  } > "$dir/src/chain.h"
  for ((k = 0; k < F; k++)); do
    {
      echo '#include "chain.h"'
      echo '#include "fetch.h"'
      for ((i = k * PER; i < (k + 1) * PER && i < N; i++)); do
        if ((i == N - 1)); then
          echo "int f$i(int depth) { return depth + fetch(\"http://tail.internal/end\"); }"
        else
          echo "int f$i(int depth) { return f$((i + 1))(depth + 1); }"
        fi
      done
    } > "$dir/src/chain$k.cpp"
  done
  echo '#include "chain.h"
int main() { return f0(0); }' > "$dir/src/main.cpp"
  compdb "$dir"
}

gen_wide() {
  local dir="$WORK/wide"
  wrapper "$dir"
  {
    echo '#include "fetch.h"'
    for ((b = 0; b < (N + 99) / 100; b++)); do
      echo "int h${b}_0(int x) { return x + 1; }"
      for ((j = 1; j < 99; j++)); do echo "int h${b}_$j(int x) { return h${b}_$((j - 1))(x) + $j; }"; done
      echo "int h${b}_99(int x) { return h${b}_98(x) + fetch(\"http://wide.internal/b$b\"); }"
    done
  } > "$dir/src/wide.cpp"
  compdb "$dir"
}

measure() {
  local shape="$1" dir="$WORK/$1"
  local t0 t1
  t0=$(date +%s.%N)
  for f in "$dir"/src/*.cpp; do clang++-19 -std=c++17 -fsyntax-only -I"$dir/src" "$f"; done
  t1=$(date +%s.%N)
  /usr/bin/time -f "%e %M" -o "$WORK/time" \
    "$TOOL" -p "$dir" -j 1 --no-cache --no-glossary --output-dir "$dir/out" --quiet || true
  read -r secs kb < "$WORK/time"
  local json="$dir/out/integration-report.json" graph="?"
  command -v python3 >/dev/null &&
    graph="$(python3 -c 'import json,sys; print(len(json.dumps(json.load(open(sys.argv[1]))["call_graph"], indent=2)) // 1024)' "$json")"
  printf "%-8s N=%-6s parse (clang++ -fsyntax-only) %6.2f s   tool -j1 %6.2f s   peak RSS %4d MiB   JSON %6d KiB (call graph %s KiB)\n" \
    "$shape" "$N" "$(echo "$t1 - $t0" | bc -l)" "$secs" "$((kb / 1024))" "$(($(stat -c %s "$json") / 1024))" "$graph"
}

echo "integration-mapper $("$TOOL" --version | head -1 | cut -d' ' -f2-), $N functions in $F files, $(nproc) cores"
SHAPES="${SHAPES:-callers chain wide}"
for shape in $SHAPES; do
  "gen_$shape"
  measure "$shape"
done
