#!/usr/bin/env bash
# The main job: build the kiln CLI and compile the bundled examples (examples/thrift) to C#,
# as `thrift --gen netstd -r` would, into examples/out (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Kiln.Cli -c Release -v quiet -nologo
kiln() { dotnet "src/Kiln.Cli/bin/Release/net10.0/kiln.dll" "$@"; }
kiln --version
rm -rf examples/out
kiln thrift --gen netstd -r -v -out examples/out/thrift examples/thrift/calculator.thrift
echo "generated $(find examples/out/thrift -name '*.cs' | wc -l) C# files under examples/out/thrift"
