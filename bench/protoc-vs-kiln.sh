#!/usr/bin/env bash
# Whole-process parse+link of google-proto-files: protoc 35.1 vs kiln protoc vs buf, each writing
# a descriptor set (--include_imports, no source info) of every file protoc accepts.
# Runs alternate (protoc, kiln, buf) RUNS times; prints each run and the medians of wall time and
# peak RSS (/usr/bin/time -v). Needs scripts/setup-peers.sh (protoc, corpus); installs buf from npm
# (@bufbuild/buf) under $KILN_CACHE on first use. Kiln is built in Release.
#   usage: bench/protoc-vs-kiln.sh [RUNS]   (default 3)
set -euo pipefail
RUNS="${1:-3}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
KILN_CACHE="${KILN_CACHE:-$HOME/.cache/kiln}"
protoc="$KILN_CACHE/nuget/grpc.tools/2.85.0/tools/linux_x64/protoc"
corpus="$KILN_CACHE/google-proto-files/package"
[ -x "$protoc" ] && [ -d "$corpus/google" ] || { echo "run scripts/setup-peers.sh first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }

buf="$KILN_CACHE/buf/node_modules/.bin/buf"
if [ ! -x "$buf" ]; then
  mkdir -p "$KILN_CACHE/buf"
  (cd "$KILN_CACHE/buf" && npm install --silent --no-audit --no-fund @bufbuild/buf >/dev/null)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet publish "$repo/src/Kiln.Cli" -c Release -o "$work/kiln" --artifacts-path "$work/artifacts" -v quiet -nologo >/dev/null
kiln="$work/kiln/kiln"

# Every corpus file protoc accepts (it names the files it rejects).
cd "$corpus"
find . -name '*.proto' | sed 's|^\./||' | LC_ALL=C sort > "$work/all.txt"
cp "$work/all.txt" "$work/files.txt"
accepted=0
for _ in $(seq 1 16); do
  if "$protoc" -I. --descriptor_set_out="$work/probe.pb" "@$work/files.txt" 2> "$work/probe.err"; then accepted=1; break; fi
  grep -v ': warning:' "$work/probe.err" | sed -n 's/^\([^:]*\.proto\):.*/\1/p' | LC_ALL=C sort -u > "$work/bad.txt"
  [ -s "$work/bad.txt" ] || { cat "$work/probe.err" >&2; exit 1; }
  LC_ALL=C comm -23 "$work/files.txt" "$work/bad.txt" > "$work/next.txt" && mv "$work/next.txt" "$work/files.txt"
done
[ "$accepted" = 1 ] || { echo "protoc still rejects the remaining files:" >&2; head "$work/probe.err" >&2; exit 1; }
LC_ALL=C comm -23 "$work/all.txt" "$work/files.txt" > "$work/excluded.txt"
echo "files: $(wc -l < "$work/files.txt") of $(wc -l < "$work/all.txt") (protoc rejects $(wc -l < "$work/excluded.txt")); $(nproc) cores"
exclude=()
while read -r f; do exclude+=(--exclude-path "$f"); done < "$work/excluded.txt"

measure() { # name, command...
  local name="$1"; shift
  /usr/bin/time -v "$@" > /dev/null 2> "$work/time.txt" || { echo "$name failed:" >&2; tail -20 "$work/time.txt" >&2; exit 1; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  echo "$name $wall $rss" >> "$work/results.txt"
  printf '  %-7s %7.2f s %8.0f MB\n' "$name" "$wall" "$((rss / 1024))"
}

: > "$work/results.txt"
for run in $(seq 1 "$RUNS"); do
  echo "run $run"
  measure protoc "$protoc" -I. --include_imports --descriptor_set_out="$work/protoc.pb" "@$work/files.txt"
  measure kiln "$kiln" protoc -I. --include_imports --descriptor_set_out="$work/kiln.pb" "@$work/files.txt"
  measure buf "$buf" build . "${exclude[@]}" --exclude-source-info -o "$work/buf.binpb"
done
if cmp -s "$work/protoc.pb" "$work/kiln.pb"; then echo "kiln's descriptor set is byte-identical to protoc's"; else echo "kiln's descriptor set DIFFERS from protoc's"; fi

echo "medians of $RUNS runs:"
for tool in protoc kiln buf; do
  wall=$(awk -v t="$tool" '$1==t {print $2}' "$work/results.txt" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rss=$(awk -v t="$tool" '$1==t {print $3}' "$work/results.txt" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '  %-7s %7.2f s %8.0f MB\n' "$tool" "$wall" "$((rss / 1024))"
done
