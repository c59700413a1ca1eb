#!/usr/bin/env bash
# Whole-process C# generation for google-proto-files: protoc 35.1 + grpc_csharp_plugin (Grpc.Tools
# 2.85) vs kiln protoc (its own C# and gRPC generators, no native code), both run as
#   --csharp_out=DIR --csharp_opt=base_namespace= --grpc_out=DIR --grpc_opt=base_namespace=
# over every file protoc accepts and can write (base_namespace= gives each namespace its folder, as
# a whole-corpus run needs; google/cloud/telcoautomation/v1alpha1 still writes the same C# files as
# v1, so it is left out). Runs alternate RUNS times; prints each run, the medians of wall time and
# peak RSS (/usr/bin/time -v), their ratios, and whether the two output trees are byte-identical.
#   usage: bench/protoc-csharp-vs-kiln.sh [RUNS]   (default 3)
set -euo pipefail
RUNS="${1:-3}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
KILN_CACHE="${KILN_CACHE:-$HOME/.cache/kiln}"
tools="$KILN_CACHE/nuget/grpc.tools/2.85.0/tools/linux_x64"
protoc="$tools/protoc"
plugin="$tools/grpc_csharp_plugin"
corpus="$KILN_CACHE/google-proto-files/package"
[ -x "$protoc" ] && [ -x "$plugin" ] && [ -d "$corpus/google" ] || { echo "run scripts/setup-peers.sh first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet publish "$repo/src/Kiln.Cli" -c Release -o "$work/kiln" --artifacts-path "$work/artifacts" -v quiet -nologo >/dev/null
kiln="$work/kiln/kiln"

# Every corpus file protoc accepts (it names the files it rejects), minus the one colliding package.
cd "$corpus"
find . -name '*.proto' | sed 's|^\./||' | grep -v '^google/cloud/telcoautomation/v1alpha1/' | LC_ALL=C sort > "$work/all.txt"
cp "$work/all.txt" "$work/files.txt"
accepted=0
for _ in $(seq 1 16); do
  if "$protoc" -I. --descriptor_set_out="$work/probe.pb" "@$work/files.txt" 2> "$work/probe.err"; then accepted=1; break; fi
  grep -v ': warning:' "$work/probe.err" | sed -n 's/^\([^:]*\.proto\):.*/\1/p' | LC_ALL=C sort -u > "$work/bad.txt"
  [ -s "$work/bad.txt" ] || { cat "$work/probe.err" >&2; exit 1; }
  LC_ALL=C comm -23 "$work/files.txt" "$work/bad.txt" > "$work/next.txt" && mv "$work/next.txt" "$work/files.txt"
done
[ "$accepted" = 1 ] || { echo "protoc still rejects the remaining files:" >&2; head "$work/probe.err" >&2; exit 1; }
echo "files: $(wc -l < "$work/files.txt") of $(find . -name '*.proto' | wc -l) (rejected by protoc or colliding: $(( $(find . -name '*.proto' | wc -l) - $(wc -l < "$work/files.txt") ))); $(nproc) cores"

measure() { # name, output folder, command...
  local name="$1" out="$2"; shift 2
  rm -rf "$out"; mkdir -p "$out"
  /usr/bin/time -v "$@" > /dev/null 2> "$work/time.txt" || { echo "$name failed:" >&2; grep -v 'warning: Import' "$work/time.txt" | tail -20 >&2; exit 1; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  echo "$name $wall $rss" >> "$work/results.txt"
  printf '  %-7s %7.2f s %8.0f MB\n' "$name" "$wall" "$((rss / 1024))"
}

opts=(--csharp_opt=base_namespace= --grpc_opt=base_namespace=)
: > "$work/results.txt"
for run in $(seq 1 "$RUNS"); do
  echo "run $run"
  measure protoc "$work/protoc-out" "$protoc" -I. --plugin=protoc-gen-grpc="$plugin" --csharp_out="$work/protoc-out" --grpc_out="$work/protoc-out" "${opts[@]}" "@$work/files.txt"
  measure kiln "$work/kiln-out" "$kiln" protoc -I. --csharp_out="$work/kiln-out" --grpc_out="$work/kiln-out" "${opts[@]}" "@$work/files.txt"
done
total=$(find "$work/protoc-out" -type f | wc -l)
differing=$(diff -rq "$work/protoc-out" "$work/kiln-out" | wc -l || true)
echo "generated files: $total by protoc, $(find "$work/kiln-out" -type f | wc -l) by kiln; $differing differ (diff -rq lines)"

echo "medians of $RUNS runs:"
for tool in protoc kiln; do
  wall=$(awk -v t="$tool" '$1==t {print $2}' "$work/results.txt" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rss=$(awk -v t="$tool" '$1==t {print $3}' "$work/results.txt" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '  %-7s %7.2f s %8.0f MB\n' "$tool" "$wall" "$((rss / 1024))"
  eval "${tool}_wall=$wall ${tool}_rss=$rss"
done
awk -v kw="$kiln_wall" -v pw="$protoc_wall" -v kr="$kiln_rss" -v pr="$protoc_rss" 'BEGIN { printf "ratio kiln/protoc: time %.3f, peak memory %.3f\n", kw / pw, kr / pr }'
