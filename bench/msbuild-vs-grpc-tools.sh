#!/usr/bin/env bash
# `dotnet build` of one C# project with FILES generated .proto files (default 2000; one folder,
# every 10th file with a gRPC service, files importing a shared file and their predecessor), once
# with Grpc.Tools 2.85 and once with Kiln.MSBuild (packed from src/Kiln.MSBuild into a local feed;
# the project files differ only in that PackageReference). Four scenarios, RUNS times each:
#   cold   obj/ and bin/ removed (restore kept; Kiln's artifact cache removed too)
#   noop   nothing changed
#   edit   one .proto changed (a field added to a message at the end of a chain: no importer)
#   shared common.proto changed (a field added to the message every file uses)
# Prints every run: the whole `dotnet build` wall time and the code generation's share (the sum of
# the generator targets' times from MSBuild's performance summary), then medians and ratios.
# MODE=codegen runs only the code generation (`dotnet msbuild -t:Protobuf_Compile`, Grpc.Tools' entry
# target, which Kiln.MSBuild defines too) instead of the whole build: no csc, so runs take seconds.
#   usage: [MODE=full|codegen] [KEEP=1] bench/msbuild-vs-grpc-tools.sh [FILES] [RUNS]     (defaults: full 2000 3)
set -euo pipefail
FILES="${1:-2000}"
RUNS="${2:-3}"
MODE="${MODE:-full}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
version="0.1.0-bench.$(date +%s)"
# KEEP=1 keeps the projects (and the packed version in the NuGet cache) for a look afterwards.
if [ "${KEEP:-0}" = 1 ]; then trap 'echo "kept: $work"' EXIT; else trap 'rm -rf "$work" "$HOME/.nuget/packages/kiln.msbuild/$version"' EXIT; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "packing Kiln.MSBuild $version ..."
dotnet pack "$repo/src/Kiln.MSBuild" -c Release -o "$work/feed" -p:PackageVersion="$version" \
  --artifacts-path "$work/artifacts" -v quiet -nodeReuse:false >/dev/null

# The sources, shared by both projects (each project includes ../protos).
mkdir -p "$work/protos"
cat > "$work/protos/common.proto" <<'EOF'
syntax = "proto3";
package bench;
import "google/protobuf/timestamp.proto";
message Audit { string user = 1; google.protobuf.Timestamp at = 2; }
EOF
for i in $(seq 1 "$FILES"); do
  prev=""
  [ "$i" -gt 1 ] && [ $(( (i - 1) % 10 )) -ne 0 ] && prev="import \"m$(( i - 1 )).proto\";"
  service=""
  [ $(( i % 10 )) -eq 0 ] && service="service Service$i { rpc Get (Message$i) returns (Message$i); rpc Watch (Message$i) returns (stream Message$i); }"
  prevfield=""
  [ -n "$prev" ] && prevfield="Message$(( i - 1 )) previous = 6;"
  cat > "$work/protos/m$i.proto" <<EOF
syntax = "proto3";
package bench;
import "common.proto";
$prev
// Message number $i.
message Message$i {
  string name = 1;
  int64 id = 2;
  repeated string tags = 3;
  map<string, int32> counts = 4;
  Audit audit = 5;
  $prevfield
  enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; }
  Kind kind = 7;
  oneof choice { string text = 8; bytes blob = 9; }
}
$service
EOF
done

project() { # folder, package reference line
  mkdir -p "$work/$1"
  cat > "$work/$1/Directory.Build.props" <<'EOF'
<Project />
EOF
  cat > "$work/$1/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="kiln-local" value="$work/feed" /></packageSources></configuration>
EOF
  cat > "$work/$1/Bench.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><NoWarn>\$(NoWarn);CS1591</NoWarn></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Google.Protobuf" Version="3.36.2" />
    <PackageReference Include="Grpc.Net.Client" Version="2.85.0" />
    $2
  </ItemGroup>
  <ItemGroup><Protobuf Include="../protos/*.proto" ProtoRoot="../protos" GrpcServices="Both" /></ItemGroup>
</Project>
EOF
  dotnet restore "$work/$1" -v quiet -nodeReuse:false >/dev/null
}
project grpc-tools '<PackageReference Include="Grpc.Tools" Version="2.85.0" PrivateAssets="all" />'
project kiln "<PackageReference Include=\"Kiln.MSBuild\" Version=\"$version\" PrivateAssets=\"all\" />"

: > "$work/results.txt"
build() { # tool, scenario
  local dir="$work/$1" start end wall gen
  start=$(date +%s.%N)
  local command=(build "$dir" --no-restore)
  [ "$MODE" = codegen ] && command=(msbuild "$dir" -t:Protobuf_Compile)
  dotnet "${command[@]}" -nodeReuse:false -v:q -clp:PerformanceSummary > "$work/log.txt" 2>&1 \
    || { echo "$1 $2 failed:" >&2; grep -E 'error' "$work/log.txt" | head -20 >&2; exit 1; }
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc -l)
  # Generator targets: Grpc.Tools' (_Protobuf_*, Protobuf_*) or Kiln's (Kiln_*), in ms.
  gen=$(awk '/Target Performance Summary/ { on = 1 } /Task Performance Summary/ { on = 0 } on && $0 ~ /(Protobuf|Kiln)/ && $2 == "ms" { s += $1 } END { print s + 0 }' "$work/log.txt")
  printf '  %-10s %-5s %8.2f s   codegen %8.0f ms\n' "$1" "$2" "$wall" "$gen"
  echo "$1 $2 $wall $gen" >> "$work/results.txt"
}

edit_round=0
for run in $(seq 1 "$RUNS"); do
  echo "run $run"
  for tool in grpc-tools kiln; do
    rm -rf "$work/$tool/bin" "$work/$tool/obj/Debug" "$work/$tool/obj/kiln-cache"
    build "$tool" cold
    build "$tool" noop
    edit_round=$(( edit_round + 1 ))
    mid=$(( FILES / 2 ))
    sed -i "s/^  string name = 1;.*/  string name = 1; int32 edit$edit_round = 100;/" "$work/protos/m$mid.proto"
    build "$tool" edit
    # The file every other file imports: Grpc.Tools runs protoc again for each of them (its
    # dependency files list common.proto); Kiln reads them all again too (common.proto's exports
    # changed), but generates in-process and writes only what changed.
    sed -i "s/^message Audit {.*/message Audit { string user = 1; google.protobuf.Timestamp at = 2; int32 shared$edit_round = 3; }/" "$work/protos/common.proto"
    build "$tool" shared
  done
done

echo
echo "medians over $RUNS runs, $FILES files, $(nproc) cores, mode $MODE (wall s / codegen ms):"
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for scenario in cold noop edit shared; do
  gw=$(awk -v s="$scenario" '$1 == "grpc-tools" && $2 == s { print $3 }' "$work/results.txt" | median)
  kw=$(awk -v s="$scenario" '$1 == "kiln" && $2 == s { print $3 }' "$work/results.txt" | median)
  gg=$(awk -v s="$scenario" '$1 == "grpc-tools" && $2 == s { print $4 }' "$work/results.txt" | median)
  kg=$(awk -v s="$scenario" '$1 == "kiln" && $2 == s { print $4 }' "$work/results.txt" | median)
  printf '  %-5s Grpc.Tools %7.2f s (codegen %7.0f ms)   Kiln.MSBuild %7.2f s (codegen %7.0f ms)   ratio wall %.2fx, codegen %.3fx\n' \
    "$scenario" "$gw" "$gg" "$kw" "$kg" "$(echo "$kw / $gw" | bc -l)" "$(echo "if ($gg > 0) $kg / $gg else 0" | bc -l)"
done
