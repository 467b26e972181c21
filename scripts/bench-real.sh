#!/usr/bin/env bash
# Times integration-mapper against Clang's own tools on a real project, one run after another on
# the same cores and the same translation units, and prints a Markdown table (docs/performance.md).
#
# usage: scripts/bench-real.sh <project dir> <build dir with compile_commands.json>
#                              <widely-included header> <leaf source> [jobs]
#   env: IM (default build/integration-mapper), CLANG (clang++-19), TIDY (run-clang-tidy-19),
#        CHECK (the one cheap clang-tidy check, default readability-braces-around-statements),
#        LEAF2 (a second leaf source, e.g. one that reaches no client: its own edit step),
#        LARGEST (a source of the database: its peak memory under clang -fsyntax-only,
#        clang-tidy and the tool at -j1, one process each)
# The project is never modified for good: the header and the leaf get one comment line appended
# for their step and are restored from a copy afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 4 ] || { sed -n '2,14p' "$0"; exit 2; }
PROJECT=$(cd "$1" && pwd)
BUILD=$(cd "$2" && pwd)
HEADER=$(realpath "$3")
LEAF=$(realpath "$4")
JOBS=${5:-$(nproc)}
IM=$(realpath "${IM:-$ROOT/build/integration-mapper}")
CLANG=${CLANG:-clang++-19}
TIDY=${TIDY:-run-clang-tidy-19}
CHECK=${CHECK:-readability-braces-around-statements}
DB="$BUILD/compile_commands.json"
[ -f "$DB" ] || { echo "no $DB" >&2; exit 2; }
WORK=$(mktemp -d /tmp/bench-real.XXXXXX)
CACHE="$WORK/cache"
LEAF2=${LEAF2:+$(realpath "$LEAF2")}
restore() {
  cp "$WORK/header.orig" "$HEADER" 2>/dev/null
  cp "$WORK/leaf.orig" "$LEAF" 2>/dev/null
  [ -z "$LEAF2" ] || cp "$WORK/leaf2.orig" "$LEAF2" 2>/dev/null
  rm -rf "$WORK"
}
trap restore EXIT
cp "$HEADER" "$WORK/header.orig"
cp "$LEAF" "$WORK/leaf.orig"
[ -z "$LEAF2" ] || cp "$LEAF2" "$WORK/leaf2.orig"
UNITS=$(python3 -c 'import json,sys; print(len({e["file"] for e in json.load(open(sys.argv[1]))}))' "$DB")

# The database's commands as clang -fsyntax-only commands, one per line.
python3 - "$DB" "$CLANG" "${LARGEST:+$(realpath "$LARGEST")}" "$WORK/largest.sh" > "$WORK/syntax.sh" <<'PY'
import json, shlex, sys
db, clang = json.load(open(sys.argv[1])), sys.argv[2]
largest = open(sys.argv[4], "w")
seen = set()
for e in db:
    # One parse per source file, as run-clang-tidy and the tool do (a database may list a
    # file once per target, e.g. a static and a shared library).
    if e["file"] in seen:
        continue
    seen.add(e["file"])
    args = e.get("arguments") or shlex.split(e["command"])
    out, skip = [clang], False
    for a in args[1:]:
        if skip: skip = False; continue
        if a in ("-o", "-MF", "-MT", "-MQ"): skip = True; continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-o"): continue
        out.append(a)
    out += ["-fsyntax-only", "-w", "-Wno-unknown-warning-option"]
    line = "cd %s && %s" % (shlex.quote(e["directory"]), " ".join(shlex.quote(a) for a in out))
    print(line)
    if sys.argv[3] and e["file"] == sys.argv[3]:
        largest.write(line + "\n")
PY

# Runs a step; prints "| step | wall s | peak RSS MiB (largest process) |" and keeps its output.
step() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/$name.log" 2>&1 || true
  read -r wall kb < "$WORK/time"
  printf '| %s | %s s | %d MiB |\n' "$name" "$wall" $((kb / 1024))
  echo "$name $wall" >> "$WORK/walls"
}

echo "project: $PROJECT ($(git -C "$PROJECT" rev-parse --short HEAD 2>/dev/null || echo '?')), $UNITS translation units, -j$JOBS"
echo
echo "| step | wall | peak RSS |"
echo "|---|---|---|"
step clang-tidy-one-check "$TIDY" -p "$BUILD" -j "$JOBS" -quiet -checks="-*,$CHECK"
step clang-fsyntax-only xargs -P "$JOBS" -d '\n' -I{} sh -c '{}' < "$WORK/syntax.sh"
step tool-no-prefilter-no-cache "$IM" -p "$BUILD" -j"$JOBS" --no-prefilter --no-cache --no-glossary --output-dir "$WORK/out0"
rm -rf "$CACHE"
step tool-cold "$IM" -p "$BUILD" -j"$JOBS" --cache-dir "$CACHE" --no-glossary --output-dir "$WORK/out1"
step tool-warm "$IM" -p "$BUILD" -j"$JOBS" --cache-dir "$CACHE" --no-glossary --output-dir "$WORK/out2"
echo "// bench-real: edited" >> "$HEADER"
step tool-after-header-edit "$IM" -p "$BUILD" -j"$JOBS" --cache-dir "$CACHE" --no-glossary --output-dir "$WORK/out3"
cp "$WORK/header.orig" "$HEADER"
"$IM" -p "$BUILD" -j"$JOBS" --cache-dir "$CACHE" --no-glossary --quiet --output-dir "$WORK/out4" || true
echo "// bench-real: edited" >> "$LEAF"
step tool-after-leaf-edit "$IM" -p "$BUILD" -j"$JOBS" --cache-dir "$CACHE" --no-glossary --output-dir "$WORK/out5"
cp "$WORK/leaf.orig" "$LEAF"
STEPS="tool-no-prefilter-no-cache tool-cold tool-warm tool-after-header-edit tool-after-leaf-edit"
if [ -n "$LEAF2" ]; then
  "$IM" -p "$BUILD" -j"$JOBS" --cache-dir "$CACHE" --no-glossary --quiet --output-dir "$WORK/out6" || true
  echo "// bench-real: edited" >> "$LEAF2"
  step tool-after-leaf2-edit "$IM" -p "$BUILD" -j"$JOBS" --cache-dir "$CACHE" --no-glossary --output-dir "$WORK/out7"
  cp "$WORK/leaf2.orig" "$LEAF2"
  STEPS="$STEPS tool-after-leaf2-edit"
fi
echo
for s in $STEPS; do
  echo "$s: $(grep -E 'translation units (parsed|\()|includes scanned' "$WORK/$s.log" | tr '\n' ' ')"
done
echo
# The targets' ratios, from the walls above.
awk '{w[$1]=$2} END {
  printf "cold / clang-tidy: %.2f\n", w["tool-cold"] / w["clang-tidy-one-check"];
  printf "no-prefilter / -fsyntax-only: %.2f\n", w["tool-no-prefilter-no-cache"] / w["clang-fsyntax-only"];
  printf "warm / cold: %.3f\n", w["tool-warm"] / w["tool-cold"];
  printf "header edit / cold: %.3f\n", w["tool-after-header-edit"] / w["tool-cold"];
  printf "leaf edit / cold: %.3f\n", w["tool-after-leaf-edit"] / w["tool-cold"];
  if ("tool-after-leaf2-edit" in w) printf "second leaf edit / cold: %.3f\n", w["tool-after-leaf2-edit"] / w["tool-cold"];
}' "$WORK/walls"
if cmp -s <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps([r["findings"], r["call_sites"]]))' "$WORK/out0/integration-report.json") \
          <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps([r["findings"], r["call_sites"]]))' "$WORK/out1/integration-report.json"); then
  echo "findings and call sites: identical with and without the prefilter"
else
  echo "findings and call sites: DIFFER with and without the prefilter"
fi

# Peak memory of one process on one unit: what a worker costs.
if [ -n "${LARGEST:-}" ] && [ -s "$WORK/largest.sh" ]; then
  echo
  echo "one unit, $(realpath --relative-to="$PROJECT" "$LARGEST"), one process each:"
  echo
  echo "| step | wall | peak RSS |"
  echo "|---|---|---|"
  step unit-clang-fsyntax-only sh "$WORK/largest.sh"
  step unit-clang-tidy-one-check clang-tidy-19 -p "$BUILD" --quiet -checks="-*,$CHECK" "$(realpath "$LARGEST")"
  step unit-tool-j1 "$IM" -p "$BUILD" -j1 --no-prefilter --no-cache --no-glossary --quiet --output-dir "$WORK/out8" "$(realpath "$LARGEST")"
fi
