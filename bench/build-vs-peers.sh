#!/usr/bin/env bash
# Whole-workspace benchmark of `kiln build` / `kiln watch` against the peers, on the synthetic
# workspaces of bench/Kiln.Bench.Workspace (deep import graphs, ~450-line files in nested
# packages; one Protobuf and one Thrift workspace of LINES lines each). For each workspace:
#   cold   `kiln build DIR` with no cache and no outputs (DIR/.kiln and DIR/gen deleted before
#          each run) vs the peer on the same files into an empty folder:
#            proto:  one protoc run, --csharp_out and --grpc_out (grpc_csharp_plugin);
#            thrift: one `thrift --gen netstd` per file (thrift takes one file), run both one
#                    after another and with `xargs -P $(nproc)`; the ratio's denominator is the
#                    parallel run (the fair one: kiln uses every core too).
#          Runs alternate peer/kiln RUNS times; medians of wall time and peak RSS (/usr/bin/time
#          %M: the largest single process, so for thrift one thrift process).
#   no-op  `kiln build DIR` again in a new process after a complete build: median of RUNS*3.
#   watch  `Kiln.Bench.Workspace measure-watch`: starts `kiln watch DIR`, makes 20 edits
#          (alternating a comment-only edit of a top-layer file and a field added to a message
#          of a middle-layer file) and times each from the write to the edited file's C# output
#          holding the change on disk (polled every 0.5 ms); p50 and p95.
# Workspaces are generated once and cached under ${KILN_CACHE:-~/.cache/kiln}/bench-workspaces/
# <lang>-<lines>-<seed> (regenerated when the generator's sources change).
#   usage: bench/build-vs-peers.sh [LINES=1000000] [RUNS=3]
#   environment: SEED=1, LANGS="proto thrift", KILN=path (use this kiln instead of publishing one),
#                KILN_BENCH_TIMEOUT=1800 (seconds per run), WATCH_EDITS=20
set -euo pipefail
LINES="${1:-1000000}"
RUNS="${2:-3}"
SEED="${SEED:-1}"
TIMEOUT="${KILN_BENCH_TIMEOUT:-1800}"
EDITS="${WATCH_EDITS:-20}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
KILN_CACHE="${KILN_CACHE:-$HOME/.cache/kiln}"
tools="$KILN_CACHE/nuget/grpc.tools/2.85.0/tools/linux_x64"
protoc="$tools/protoc"
plugin="$tools/grpc_csharp_plugin"
[ -x "$protoc" ] && [ -x "$plugin" ] || { echo "protoc/grpc_csharp_plugin missing: run scripts/setup-peers.sh first" >&2; exit 2; }
command -v thrift >/dev/null || { echo "thrift not found: run scripts/setup-peers.sh first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }

work="$(mktemp -d /tmp/kiln-build-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# kiln as users get it: published ReadyToRun, server GC, no tiering (src/Kiln.Cli/Kiln.Cli.csproj).
if [ -n "${KILN:-}" ]; then
  kiln="$KILN"
else
  dotnet publish "$repo/src/Kiln.Cli" -c Release -o "$work/kiln" --artifacts-path "$work/artifacts" -v quiet -nologo >/dev/null
  kiln="$work/kiln/kiln"
fi
dotnet build "$repo/bench/Kiln.Bench.Workspace" -c Release --artifacts-path "$work/artifacts" -v quiet -nologo >/dev/null
gen="$work/artifacts/bin/Kiln.Bench.Workspace/release/Kiln.Bench.Workspace"
generator_hash=$(cat "$repo"/bench/Kiln.Bench.Workspace/*.cs | sha256sum | cut -c1-16)

workspace() { # lang: prints the cached workspace folder, generating it when missing or stale
  local lang="$1" ws="$KILN_CACHE/bench-workspaces/$1-$LINES-$SEED"
  if [ "$(cat "$ws/.generator" 2>/dev/null)" != "$generator_hash" ]; then
    rm -rf "$ws"
    "$gen" generate --lang "$lang" --lines "$LINES" --out "$ws" --seed "$SEED" >&2
    echo "$generator_hash" > "$ws/.generator"
  fi
  echo "$ws"
}

measure() { # label, command (run by bash): appends "label seconds maxrss_kb" to results; prints it
  local label="$1" cmd="$2"
  if /usr/bin/time -f "%e %M" -o "$work/time" timeout "$TIMEOUT" bash -c "$cmd" > "$work/stdout" 2> "$work/stderr"; then
    echo "$label $(cat "$work/time")" >> "$work/results"
    printf '    %-16s %8.2f s %7d MB\n' "$label" "$(cut -d' ' -f1 "$work/time")" "$(( $(cut -d' ' -f2 "$work/time") / 1024 ))"
  else
    echo "$label failed: $(tail -1 "$work/time")" >&2
    tail -20 "$work/stderr" >&2; tail -5 "$work/stdout" >&2
    exit 1
  fi
}

median() { # label column: median of that column over the label's rows
  awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$work/results" | sort -g |
    awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

: > "$work/results"
: > "$work/summary"
cores=$(nproc)
echo "kiln: $kiln; $cores cores; $LINES lines per workspace, seed $SEED, $RUNS runs"
for lang in ${LANGS:-proto thrift}; do
  ws="$(workspace "$lang")"
  if [ "$lang" = proto ]; then idl="$ws/protos"; ext=proto; else idl="$ws/thrift"; ext=thrift; fi
  (cd "$idl" && find . -name "*.$ext" | sed 's|^\./||' | LC_ALL=C sort) > "$work/files-$lang"
  lines=$(cd "$idl" && xargs cat < "$work/files-$lang" | wc -l)
  echo "$lang workspace $ws: $(wc -l < "$work/files-$lang") files, $lines lines"

  echo "  cold builds"
  for run in $(seq "$RUNS"); do
    rm -rf "$work/out-peer"; mkdir -p "$work/out-peer"
    if [ "$lang" = proto ]; then
      measure "$lang-protoc" "cd '$idl' && '$protoc' -I. --plugin=protoc-gen-grpc='$plugin' --csharp_out='$work/out-peer' --grpc_out='$work/out-peer' @'$work/files-$lang'"
    else
      measure "$lang-thrift-seq" "cd '$idl' && while read -r f; do thrift --gen netstd -out '$work/out-peer' -I . \"\$f\" || exit 1; done < '$work/files-$lang'"
      rm -rf "$work/out-peer"; mkdir -p "$work/out-peer"
      measure "$lang-thrift-par" "cd '$idl' && xargs -P $cores -n 1 thrift --gen netstd -out '$work/out-peer' -I . < '$work/files-$lang'"
    fi
    rm -rf "$ws/.kiln" "$ws/gen"
    measure "$lang-kiln-cold" "'$kiln' build '$ws'"
  done
  peer_files=$(find "$work/out-peer" -type f | wc -l)
  kiln_files=$(find "$ws/gen" -type f | wc -l)
  if [ "$lang" = proto ]; then
    differing=$(diff -rq "$work/out-peer" "$ws/gen/proto" | wc -l || true)
    echo "  outputs: protoc $peer_files files, kiln $kiln_files; $differing differ (diff -rq lines)"
  else
    echo "  outputs: thrift $peer_files files, kiln $kiln_files"
  fi

  echo "  no-op rebuilds"
  for run in $(seq $((RUNS * 3))); do
    measure "$lang-kiln-noop" "'$kiln' build '$ws'"
  done

  echo "  watch"
  "$gen" measure-watch --dir "$ws" --kiln "$kiln" --edits "$EDITS" --timeout-seconds "$TIMEOUT" | tee "$work/watch-$lang" | sed 's/^/    /' ||
    echo "    measure-watch failed" >&2
  watch_line=$(grep '^watch-summary' "$work/watch-$lang" || echo "watch-summary failed")

  kc=$(median "$lang-kiln-cold" 2); km=$(median "$lang-kiln-cold" 3)
  nc=$(median "$lang-kiln-noop" 2); nm=$(median "$lang-kiln-noop" 3)
  {
    echo "$lang ($(wc -l < "$work/files-$lang") files, $lines lines; medians of $RUNS runs, no-op of $((RUNS * 3)))"
    if [ "$lang" = proto ]; then
      pc=$(median proto-protoc 2); pm=$(median proto-protoc 3)
      awk -v kc="$kc" -v km="$km" -v pc="$pc" -v pm="$pm" 'BEGIN {
        printf "cold   kiln %.2f s %d MB | protoc %.2f s %d MB | ratio %.2f time %.2f memory\n", kc, km / 1024, pc, pm / 1024, kc / pc, km / pm }'
    else
      sc=$(median thrift-thrift-seq 2); sm=$(median thrift-thrift-seq 3)
      qc=$(median thrift-thrift-par 2); qm=$(median thrift-thrift-par 3)
      awk -v kc="$kc" -v km="$km" -v sc="$sc" -v qc="$qc" -v qm="$qm" -v n="$cores" 'BEGIN {
        printf "cold   kiln %.2f s %d MB | thrift -P %d %.2f s %d MB per process (sequential %.2f s) | ratio %.3f time (vs parallel; %.3f vs sequential) %.2f memory (vs one thrift process)\n",
          kc, km / 1024, n, qc, qm / 1024, sc, kc / qc, kc / sc, km / qm }'
    fi
    awk -v nc="$nc" -v nm="$nm" 'BEGIN { printf "no-op  kiln %.0f ms %d MB\n", nc * 1000, nm / 1024 }'
    echo "$watch_line" | awk '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      if ($2 == "failed") print "watch  failed"
      else printf "watch  edit -> outputs p50 %s ms p95 %s ms (%s edits, %s failed; comment p50 %s ms, field p50 %s ms) watcher peak %s MB\n",
        v["p50_ms"], v["p95_ms"], v["edits"], v["failures"], v["comment_p50_ms"], v["field_p50_ms"], v["rss_mb"] }'
  } >> "$work/summary"
  rm -rf "$ws/gen" "$ws/.kiln" # the cache keeps the inputs only
done

echo
echo "summary ($cores cores; goals on the 1M-line workspace: cold <= 0.5x protoc time, no-op <= 150 ms,"
echo "watch edit -> outputs <= 50 ms p50, peak memory <= 0.7x protoc)"
cat "$work/summary"
