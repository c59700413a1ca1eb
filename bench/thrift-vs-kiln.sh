#!/usr/bin/env bash
# Whole-process benchmark: kiln thrift vs thrift 0.17 --gen netstd on a synthetic layered
# workspace (bench/Kiln.Bench.ThriftCorpus). Runs each tool RUNS times, alternating, and prints
# wall-time and peak-RSS medians and the ratio Kiln / thrift for two scenarios:
#   roots: every top-layer file compiled with -r (thrift: one process per root, as it takes one file;
#          kiln: one process for all roots)
#   all:   all.thrift, which includes every top-layer file (the whole workspace), without -r
# Usage: bench/thrift-vs-kiln.sh [LINES=100000] [LAYERS=6] [INCLUDES=3] [RUNS=3]
# Environment: SCENARIOS="roots all" (which to run), KILN_BENCH_TIMEOUT=600 (seconds per run).
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-100000}; LAYERS=${2:-6}; INCLUDES=${3:-3}; RUNS=${4:-3}
TIMEOUT=${KILN_BENCH_TIMEOUT:-600}
command -v thrift >/dev/null || { echo "thrift not found: run scripts/setup-peers.sh" >&2; exit 2; }
work=$(mktemp -d /tmp/kiln-thrift-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Published as users get it: ReadyToRun, server GC, no tiering (src/Kiln.Cli/Kiln.Cli.csproj).
dotnet publish src/Kiln.Cli -c Release -o "$work/kiln" --artifacts-path "$work/artifacts" -v quiet -nologo >/dev/null
kiln="$work/kiln/kiln"
dotnet run -c Release --project bench/Kiln.Bench.ThriftCorpus -- "$work/ws" "$LINES" "$LAYERS" "$INCLUDES"
top=$((LAYERS - 1))
roots=$(cd "$work/ws" && ls layer$top/*.thrift)

measure() { # name, command...: prints "seconds maxrss_kb" or "timeout"
  local out="$work/out-$1"; shift
  rm -rf "$out"; mkdir -p "$out"
  if /usr/bin/time -f "%e %M" -o "$work/time" timeout "$TIMEOUT" bash -c "cd '$work/ws' && $*" >/dev/null 2>"$work/err"; then
    cat "$work/time"
  else
    echo "failed $(tail -1 "$work/time")"
  fi
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for scenario in ${SCENARIOS:-roots all}; do
  : > "$work/kiln.$scenario"; : > "$work/thrift.$scenario"
  for run in $(seq "$RUNS"); do
    if [ "$scenario" = roots ]; then
      thrift_cmd="for f in $(echo $roots); do thrift --gen netstd -r -out $work/out-thrift \$f || exit 1; done"
      kiln_cmd="$kiln thrift --gen netstd -r -out $work/out-kiln $(echo $roots)"
    else
      thrift_cmd="thrift --gen netstd -out $work/out-thrift all.thrift"
      kiln_cmd="$kiln thrift --gen netstd -out $work/out-kiln all.thrift"
    fi
    measure thrift "$thrift_cmd" >> "$work/thrift.$scenario"
    measure kiln "$kiln_cmd" >> "$work/kiln.$scenario"
  done
  kt=$(awk '{print $1}' "$work/kiln.$scenario" | median); km=$(awk '{print $2}' "$work/kiln.$scenario" | median)
  if grep -q failed "$work/thrift.$scenario"; then
    echo "$scenario: kiln ${kt}s ${km}KB; thrift failed or timed out after ${TIMEOUT}s: $(head -1 "$work/thrift.$scenario")"
  else
    tt=$(awk '{print $1}' "$work/thrift.$scenario" | median); tm=$(awk '{print $2}' "$work/thrift.$scenario" | median)
    awk -v s="$scenario" -v kt="$kt" -v km="$km" -v tt="$tt" -v tm="$tm" 'BEGIN {
      printf "%s: kiln %.2fs %dMB | thrift %.2fs %dMB | time ratio %.3f, memory ratio %.3f\n", s, kt, km/1024, tt, tm/1024, kt/tt, km/tm }'
  fi
done
