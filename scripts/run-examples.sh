#!/usr/bin/env bash
# The main job: build the kiln CLI and run it on the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Kiln.Cli -c Release -v quiet -nologo
kiln() { dotnet "src/Kiln.Cli/bin/Release/net10.0/kiln.dll" "$@"; }
kiln --version
kiln --help
