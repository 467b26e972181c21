#!/usr/bin/env bash
# Sets up, runs integration-mapper on the bundled example service and prints
# where the report is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" >/dev/null
cd "$ROOT"
# compile_commands.example.json uses relative directories; the tool resolves them
# against the database's own folder, so this works from any checkout location.
set +e
"${IM_BUILD_DIR:-$ROOT/build}/integration-mapper" -p compile_commands.example.json \
  --output-dir out/example "$@"
rc=$?
set -e
echo "Open out/example/INTEGRATION_RISK_ANALYSIS.md (JSON twin: out/example/integration-report.json)"
exit $rc
