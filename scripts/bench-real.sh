#!/usr/bin/env bash
# Times integration-mapper against Clang's own tools on a real project, one run after another on
# the same cores and the same translation units, and prints a Markdown table (docs/performance.md).
#
# usage: scripts/bench-real.sh <project dir> <build dir with compile_commands.json>
#                              <widely-included header> <leaf source> [jobs]
#   env: IM (default build/integration-mapper), CLANG (clang++-19), TIDY (run-clang-tidy-19),
#        CHECK (the one cheap clang-tidy check, default readability-braces-around-statements)
# The project is never modified for good: the header and the leaf get one comment line appended
# for their step and are restored from a copy afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 4 ] || { sed -n '2,10p' "$0"; exit 2; }
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
trap 'cp "$WORK/header.orig" "$HEADER" 2>/dev/null; cp "$WORK/leaf.orig" "$LEAF" 2>/dev/null; rm -rf "$WORK"' EXIT
cp "$HEADER" "$WORK/header.orig"
cp "$LEAF" "$WORK/leaf.orig"
UNITS=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$DB")

# The database's commands as clang -fsyntax-only commands, one per line.
python3 - "$DB" "$CLANG" > "$WORK/syntax.sh" <<'PY'
import json, shlex, sys
db, clang = json.load(open(sys.argv[1])), sys.argv[2]
for e in db:
    args = e.get("arguments") or shlex.split(e["command"])
    out, skip = [clang], False
    for a in args[1:]:
        if skip: skip = False; continue
        if a in ("-o", "-MF", "-MT", "-MQ"): skip = True; continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-o"): continue
        out.append(a)
    out += ["-fsyntax-only", "-w", "-Wno-unknown-warning-option"]
    print("cd %s && %s" % (shlex.quote(e["directory"]), " ".join(shlex.quote(a) for a in out)))
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
echo
for s in tool-no-prefilter-no-cache tool-cold tool-warm tool-after-header-edit tool-after-leaf-edit; do
  echo "$s: $(grep -E 'translation units (parsed|\()' "$WORK/$s.log" | tr '\n' ' ')"
done
if cmp -s <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps([r["findings"], r["call_sites"]]))' "$WORK/out0/integration-report.json") \
          <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps([r["findings"], r["call_sites"]]))' "$WORK/out1/integration-report.json"); then
  echo "findings and call sites: identical with and without the prefilter"
else
  echo "findings and call sites: DIFFER with and without the prefilter"
fi
