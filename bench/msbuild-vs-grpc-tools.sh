#!/usr/bin/env bash
# `dotnet build` of one C# project with FILES generated .proto files (default 2000; one folder,
# every 10th file with a gRPC service, files importing a shared file and their predecessor), with
# three code generators, each in its own project folder over the same ../protos:
#   grpc-tools    Grpc.Tools 2.85 (<Protobuf> items, protoc per file; Google.Protobuf runtime)
#   kiln          Kiln.MSBuild (packed from src/Kiln.MSBuild into a local feed; the project differs
#                 from grpc-tools' only in that PackageReference)
#   kiln-server   the same project with Kiln_UseServer=true (opt-in): the task sends its items to
#                 Kiln's build server, a process that outlives the build (started by the first build,
#                 so its cold build includes the start; stopped when the script ends)
#   protobuf-net  protobuf-net 3.4.40's own .proto generator (ProtoFileGenerator, shipped in
#                 protobuf-net.Core as a Roslyn source generator: no MSBuild target, no protoc; it runs
#                 inside csc over <AdditionalFiles> and regenerates every schema on every compile). Its
#                 C# targets the protobuf-net runtime (POCOs, code-first gRPC interfaces through
#                 protobuf-net.Grpc 1.3.14), not Google.Protobuf, so the project references those two
#                 packages only.
# Four scenarios, RUNS times each:
#   cold   obj/ and bin/ removed (restore kept; Kiln's artifact cache removed too)
#   noop   nothing changed
#   edit   one .proto changed (a field added to a message at the end of a chain: no importer)
#   shared common.proto changed (a field added to the message every file uses)
# Prints every run: the whole `dotnet build` wall time and the code generation's share, then medians
# and ratios (Kiln / each peer). Code generation: for grpc-tools and kiln the sum of the generator
# targets' times from MSBuild's performance summary; for protobuf-net, which has no target, the
# ProtoFileGenerator's own time as csc reports it with -p:ReportAnalyzer=true ("Total generator
# execution time" table, read from a detailed file log; 0 when csc did not run). In MODE=full every
# peer is built with the same arguments (ReportAnalyzer and the detailed file log included), so the
# wall times compare like with like. After each cold full build the assembly is checked for the last
# message type and service, so a generator that silently generated nothing fails the run.
# MODE=full with kiln (or kiln-server) also times the whole no-op build of each Kiln project against
# the same project without Kiln (its generated files copied in as plain sources), alternating,
# 2 x RUNS + 1 times each: what Kiln adds to MSBuild's own no-op.
# MODE=codegen runs only the code generation (`dotnet msbuild -t:Protobuf_Compile`, Grpc.Tools' entry
# target, which Kiln.MSBuild defines too) instead of the whole build: no csc, so runs take seconds.
# protobuf-net is skipped there (with a line saying so): its generator exists only inside csc, and
# timing a whole compile against the others' generator targets would not be a codegen figure; its
# generator time is in MODE=full's figures.
# PEERS selects the peers (default grpc-tools, kiln and protobuf-net, in this order); Kiln.MSBuild is
# packed only when kiln or kiln-server is among them. The Kiln / peer ratios need that peer.
#   usage: [MODE=full|codegen] [PEERS="grpc-tools kiln kiln-server protobuf-net"] [KEEP=1]
#          bench/msbuild-vs-grpc-tools.sh [FILES] [RUNS]     (defaults: full 2000 3)
set -euo pipefail
FILES="${1:-2000}"
RUNS="${2:-3}"
MODE="${MODE:-full}"
PEERS="${PEERS:-grpc-tools kiln protobuf-net}"
case "$MODE" in full | codegen) ;; *) echo "MODE must be full or codegen, not '$MODE'" >&2; exit 2 ;; esac
peers=()
for peer in $PEERS; do
  case "$peer" in grpc-tools | kiln | kiln-server | protobuf-net) ;; *) echo "unknown peer '$peer' (grpc-tools, kiln, kiln-server, protobuf-net)" >&2; exit 2 ;; esac
  if [ "$MODE" = codegen ] && [ "$peer" = protobuf-net ]; then
    echo "protobuf-net skipped in MODE=codegen: its generator has no MSBuild target, it runs only inside csc (MODE=full times it)"
    continue
  fi
  peers+=("$peer")
done
[ "${#peers[@]}" -gt 0 ] || { echo "no peer to build (PEERS='$PEERS', MODE=$MODE)" >&2; exit 2; }
has() { case " ${peers[*]} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
version="0.1.0-bench.$(date +%s)"
# KEEP=1 keeps the projects (and the packed version in the NuGet cache) for a look afterwards.
# The build server of the packed version (kiln-server) stops with the script.
stop_servers() { pkill -f -- "kiln.msbuild/$version/.*--build-server" 2>/dev/null || true; }
if [ "${KEEP:-0}" = 1 ]; then trap 'stop_servers; echo "kept: $work"' EXIT; else trap 'stop_servers; rm -rf "$work" "$HOME/.nuget/packages/kiln.msbuild/$version"' EXIT; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

mkdir -p "$work/feed" # every project's NuGet.config names it, so it exists even without kiln
if has kiln || has kiln-server; then
  echo "packing Kiln.MSBuild $version ..."
  dotnet pack "$repo/src/Kiln.MSBuild" -c Release -o "$work/feed" -p:PackageVersion="$version" \
    --artifacts-path "$work/artifacts" -v quiet -nodeReuse:false >/dev/null
fi

# The sources, shared by all projects (each project includes ../protos).
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

project() { # folder, the project's item groups[, its Directory.Build.props]
  mkdir -p "$work/$1"
  echo "${3:-<Project />}" > "$work/$1/Directory.Build.props"
  cat > "$work/$1/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="kiln-local" value="$work/feed" /></packageSources></configuration>
EOF
  cat > "$work/$1/Bench.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><NoWarn>\$(NoWarn);CS1591</NoWarn></PropertyGroup>
$2
</Project>
EOF
  dotnet restore "$work/$1" -v quiet -nodeReuse:false >/dev/null
}
google() { # the generator's package reference line: Google.Protobuf's runtime, <Protobuf> items
  cat <<EOF
  <ItemGroup>
    <PackageReference Include="Google.Protobuf" Version="3.36.2" />
    <PackageReference Include="Grpc.Net.Client" Version="2.85.0" />
    $1
  </ItemGroup>
  <ItemGroup><Protobuf Include="../protos/*.proto" ProtoRoot="../protos" GrpcServices="Both" /></ItemGroup>
EOF
}
has grpc-tools && project grpc-tools "$(google '<PackageReference Include="Grpc.Tools" Version="2.85.0" PrivateAssets="all" />')"
has kiln && project kiln "$(google "<PackageReference Include=\"Kiln.MSBuild\" Version=\"$version\" PrivateAssets=\"all\" />")"
has kiln-server && project kiln-server "$(google "<PackageReference Include=\"Kiln.MSBuild\" Version=\"$version\" PrivateAssets=\"all\" />")" \
  '<Project><PropertyGroup><Kiln_UseServer>true</Kiln_UseServer></PropertyGroup></Project>'
# protobuf-net: ImportPaths is resolved against each schema's folder, so it names ../protos again (the
# schema's own folder is searched first anyway; google/protobuf/* are built in). Services="grpc" is
# needed: with protobuf-net.Grpc referenced and no Services metadata, 3.4.40 generates no service.
# protobuf-net.Grpc 1.3.14 asks for Grpc.Core.Api 2.80.0, which the feed lacks: NU1603 (2.84.0 used).
has protobuf-net && project protobuf-net '  <PropertyGroup><NoWarn>$(NoWarn);NU1603</NoWarn></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="protobuf-net" Version="3.4.40" />
    <PackageReference Include="protobuf-net.Grpc" Version="1.3.14" />
  </ItemGroup>
  <ItemGroup><AdditionalFiles Include="../protos/*.proto" ImportPaths="../protos" Services="grpc" /></ItemGroup>'

: > "$work/results.txt"
build() { # peer, scenario
  local dir="$work/$1" start end wall gen label=codegen
  local command=(build "$dir" --no-restore)
  [ "$MODE" = codegen ] && command=(msbuild "$dir" -t:Protobuf_Compile)
  # The same for every peer: csc's analyzer and generator timings, kept at detailed verbosity in a file.
  [ "$MODE" = full ] && command+=(-p:ReportAnalyzer=true -fl "-flp:logfile=$work/detail.txt;verbosity=detailed")
  start=$(date +%s.%N)
  dotnet "${command[@]}" -nodeReuse:false -v:q -clp:PerformanceSummary > "$work/log.txt" 2>&1 \
    || { echo "$1 $2 failed:" >&2; grep -E 'error' "$work/log.txt" | head -20 >&2; exit 1; }
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc -l)
  if [ "$1" = protobuf-net ]; then
    # csc's "Total generator execution time" table: "<seconds> <percent> <generator>" lines, an
    # assembly's line first, then one per generator class ("<0.001" counts as 0).
    label=generator
    gen=$(awk '/Total generator execution time/ { on = 1; csc = 1 }
      on && $NF == "ProtoBuf.BuildTools.Generators.ProtoFileGenerator" { t = $(NF - 2); if (t !~ /^</) s += t * 1000; found = 1; on = 0 }
      END { if (csc && !found) exit 3; printf "%.0f\n", s }' "$work/detail.txt") \
      || { echo "$1 $2: csc ran, but its report names no ProtoFileGenerator time (see $work/detail.txt)" >&2; exit 1; }
  else
    # Generator targets: Grpc.Tools' (_Protobuf_*, Protobuf_*) or Kiln's (Kiln_*), in ms.
    gen=$(awk '/Target Performance Summary/ { on = 1 } /Task Performance Summary/ { on = 0 } on && $0 ~ /(Protobuf|Kiln)/ && $2 == "ms" { s += $1 } END { print s + 0 }' "$work/log.txt")
  fi
  printf '  %-12s %-6s %8.2f s   %-9s %8.0f ms\n' "$1" "$2" "$wall" "$label" "$gen"
  echo "$1 $2 $wall $gen" >> "$work/results.txt"
  if [ "$MODE" = full ] && [ "$2" = cold ]; then # the generated types are there (names as in the schemas)
    local dll="$dir/bin/Debug/net10.0/Bench.dll" service=$(( FILES / 10 * 10 ))
    grep -qa "Message$FILES" "$dll" && { [ "$service" = 0 ] || grep -qa "Service$service" "$dll"; } \
      || { echo "$1: $dll has no Message$FILES or Service$service: nothing generated?" >&2; exit 1; }
  fi
}

edit_round=0
for run in $(seq 1 "$RUNS"); do
  echo "run $run"
  for tool in "${peers[@]}"; do
    rm -rf "$work/$tool/bin" "$work/$tool/obj/Debug" "$work/$tool/obj/kiln-cache"
    build "$tool" cold
    build "$tool" noop
    edit_round=$(( edit_round + 1 ))
    mid=$(( FILES / 2 ))
    sed -i "s/^  string name = 1;.*/  string name = 1; int32 edit$edit_round = 100;/" "$work/protos/m$mid.proto"
    build "$tool" edit
    # The file every other file imports: Grpc.Tools runs protoc again for each of them (its
    # dependency files list common.proto); Kiln reads them all again too (common.proto's exports
    # changed), but generates in-process and writes only what changed; protobuf-net regenerates
    # every schema inside csc, as on any edit.
    sed -i "s/^message Audit {.*/message Audit { string user = 1; google.protobuf.Timestamp at = 2; int32 shared$edit_round = 3; }/" "$work/protos/common.proto"
    build "$tool" shared
  done
done

# "Adds nothing measurable to MSBuild's own": in MODE=full, the Kiln projects' no-op builds against
# the same project without Kiln (the generated files copied in as plain sources), alternating.
ours=()
for tool in kiln kiln-server; do has "$tool" && ours+=("$tool"); done
if [ "$MODE" = full ] && [ "${#ours[@]}" -gt 0 ]; then
  base="${ours[0]}"
  mkdir -p "$work/plain/gen"
  cp "$work/$base/NuGet.config" "$work/plain/"
  echo '<Project />' > "$work/plain/Directory.Build.props"
  cp "$work/$base/obj/Debug/net10.0/"M*.cs "$work/$base/obj/Debug/net10.0/Common.cs" "$work/plain/gen/"
  cat > "$work/plain/Bench.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><NoWarn>\$(NoWarn);CS1591</NoWarn></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Google.Protobuf" Version="3.36.2" />
    <PackageReference Include="Grpc.Net.Client" Version="2.85.0" />
  </ItemGroup>
</Project>
EOF
  dotnet restore "$work/plain" -v quiet -nodeReuse:false >/dev/null
  dotnet build "$work/plain" --no-restore -nodeReuse:false -v:q >/dev/null
  : > "$work/noop.txt"
  for run in $(seq 1 $(( RUNS * 2 + 1 ))); do
    for tool in "${ours[@]}" plain; do
      start=$(date +%s.%N)
      dotnet build "$work/$tool" --no-restore -nodeReuse:false -v:q >/dev/null
      end=$(date +%s.%N)
      echo "$tool $(echo "($end - $start) * 1000" | bc -l)" >> "$work/noop.txt"
    done
  done
fi

echo
units="wall s / codegen ms"
has protobuf-net && units+="; protobuf-net: generator ms inside csc"
echo "medians over $RUNS runs, $FILES files, $(nproc) cores, mode $MODE ($units):"
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) m = a[(NR + 1) / 2]; else m = (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.4f\n", m }'; }
med() { awk -v t="$1" -v s="$2" -v c="$3" '$1 == t && $2 == s { print $c }' "$work/results.txt" | median; } # peer, scenario, column
ratio() { if [ "$(echo "$2 > 0" | bc -l)" = 1 ]; then printf "%.${3}fx" "$(echo "$1 / $2" | bc -l)"; else printf -- '-'; fi; } # numerator, denominator, decimals
name() { case "$1" in grpc-tools) echo Grpc.Tools ;; kiln) echo Kiln.MSBuild ;; kiln-server) echo Kiln+server ;; *) echo "$1" ;; esac; }
for scenario in cold noop edit shared; do
  line=$(printf '  %-7s' "$scenario")
  for tool in "${peers[@]}"; do
    label=codegen
    [ "$tool" = protobuf-net ] && label=generator
    line+=$(printf '%-12s %7.2f s (%s %7.0f ms)   ' "$(name "$tool")" "$(med "$tool" "$scenario" 3)" "$label" "$(med "$tool" "$scenario" 4)")
  done
  echo "${line%"${line##*[! ]}"}"
  for mine in kiln kiln-server; do
    has "$mine" || continue
    kw=$(med "$mine" "$scenario" 3)
    kg=$(med "$mine" "$scenario" 4)
    line=""
    for tool in grpc-tools protobuf-net; do
      has "$tool" || continue
      what=codegen
      [ "$tool" = protobuf-net ] && what="codegen/generator"
      line+=$(printf '   %s/%s: wall %s, %s %s' "$(name "$mine")" "$(name "$tool")" "$(ratio "$kw" "$(med "$tool" "$scenario" 3)" 2)" "$what" "$(ratio "$kg" "$(med "$tool" "$scenario" 4)" 3)")
    done
    if [ -n "$line" ]; then echo "         ${line#   }"; fi
  done
done
if [ -f "$work/noop.txt" ]; then
  p=$(awk '$1 == "plain" { print $2 }' "$work/noop.txt" | median)
  for tool in "${ours[@]}"; do
    k=$(awk -v t="$tool" '$1 == t { print $2 }' "$work/noop.txt" | median)
    printf '  no-op, whole build, %d runs each: %s %.0f ms, the same project without Kiln (generated files as plain sources) %.0f ms: Kiln adds %.0f ms\n' \
      "$(( RUNS * 2 + 1 ))" "$(name "$tool")" "$k" "$p" "$(echo "$k - $p" | bc -l)"
  done
fi
