#!/usr/bin/env bash
# Runs every test project. The one test command: the README and .ci/run both call it.
# Prerequisites that tests need (peer tools, corpora) are installed and cached by
# scripts/setup-peers.sh, which test projects call through their fixtures or which runs here.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ -x scripts/setup-peers.sh ]; then
  scripts/setup-peers.sh || echo "setup-peers: some peers could not be installed; the tests that need them will say so" >&2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Kiln.slnx -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-project summaries of Microsoft.Testing.Platform into one plain line.
awk '
  /^[[:space:]]*failed:/    { f += $2 }
  /^[[:space:]]*succeeded:/ { p += $2 }
  /^[[:space:]]*skipped:/   { s += $2 }
  END {
    line = (p + 0) " passed, " (f + 0) " failed"
    if (s > 0) line = line ", " s " skipped"
    print line
  }' "$log"

# The code stays `dotnet format` clean (the repository's .editorconfig): a red run names the files.
if ! dotnet format Kiln.slnx --verify-no-changes -v quiet; then
  echo "dotnet format: the files above are not formatted; run 'dotnet format Kiln.slnx'" >&2
  status=1
fi
exit "$status"
