#!/usr/bin/env bash
# Benchmark: integration-mapper on a synthetic project of N translation units
# (copies of the bundled example service, each in its own namespace), at -j1 and
# -j$(nproc). Prints wall time, per-TU time and peak memory. Not a test: run by hand,
# record the figures in docs/performance.md.
#   scripts/bench.sh [N]   (default 60)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="${IM_BUILD_DIR:-$ROOT/build}/integration-mapper"
N="${1:-60}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SRC="$ROOT/examples/payment-service/src"
cp -r "$SRC" "$WORK/src"
files=(payments/StripeClient.cpp http/CurlOptions.cpp notify/WebhookNotifier.cpp cache/SessionCache.cpp db/OrderRepository.cpp main.cpp)
echo "[" > "$WORK/compile_commands.json"
for ((i = 0; i < N; i++)); do
  f="${files[$((i % ${#files[@]}))]}"
  copy="src/bench/tu$i.cpp"
  mkdir -p "$WORK/src/bench"
  # Each copy in its own namespace so call sites are distinct.
  sed "s/namespace shop/namespace shop$i/g; s/shop::/shop$i::/g; s/handleCheckout/handleCheckout$i/; s/^int main(/int main$i(/" "$SRC/$f" > "$WORK/$copy"
  sep=","; [[ $i -eq $((N - 1)) ]] && sep=""
  echo "{\"directory\": \"$WORK\", \"file\": \"$copy\", \"arguments\": [\"c++\", \"-std=c++17\", \"-I$WORK/src\", \"-c\", \"$copy\"]}$sep" >> "$WORK/compile_commands.json"
done
echo "]" >> "$WORK/compile_commands.json"
echo "integration-mapper $("$TOOL" --version | head -1 | cut -d' ' -f2-) on $N translation units, $(nproc) cores"
for j in 1 "$(nproc)"; do
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$TOOL" -p "$WORK" -j "$j" --output-dir "$WORK/out" --quiet
  read -r secs kb < "$WORK/time"
  printf -- "-j%-2s wall %6.2f s  %5.3f s/TU  peak RSS %4d MiB\n" "$j" "$secs" "$(echo "$secs / $N" | bc -l)" "$((kb / 1024))"
done
