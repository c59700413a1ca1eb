#!/usr/bin/env bash
# The main job: build the kiln CLI and compile the bundled examples into examples/out (not
# committed): examples/thrift as `thrift --gen netstd -r` would; the whole examples folder as a
# workspace (examples/kiln.json: Protobuf with gRPC, and Thrift) with `kiln build`, twice (the
# second finds it up to date); and the timing sequence examples/sequences/rabi.seq with `kiln seq`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Kiln.Cli -c Release -v quiet -nologo
kiln() { dotnet "src/Kiln.Cli/bin/Release/net10.0/kiln.dll" "$@"; }
kiln --version
rm -rf examples/out
kiln thrift --gen netstd -r -v -out examples/out/thrift examples/thrift/calculator.thrift
echo "generated $(find examples/out/thrift -name '*.cs' | wc -l) C# files under examples/out/thrift"
kiln build examples
kiln build examples
kiln seq examples/sequences/rabi.seq -o examples/out/rabi.csv --svg examples/out/rabi.svg
echo "wrote examples/out/rabi.csv and examples/out/rabi.svg"
