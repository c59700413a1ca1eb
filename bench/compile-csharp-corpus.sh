#!/usr/bin/env bash
# Compiles protoc's and Kiln's C# output for the whole google-proto-files corpus with Roslyn:
# the CSharpCorpusCompileTests with KILN_FULL_CORPUS=1 (in CI they compile a 200-file sample).
# Prints each test's output (plan, compilations, errors, wall times) and, with /usr/bin/time,
# the peak RSS. Needs scripts/setup-peers.sh; the first run also builds protoc's reference output
# under ${KILN_CACHE:-~/.cache/kiln}/reference/csharp-35.1 (about two minutes).
#   usage: bench/compile-csharp-corpus.sh [ARTIFACTS_DIR]   (default: a temporary folder)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
artifacts="${1:-}"
if [ -z "$artifacts" ]; then
  artifacts="$(mktemp -d)"
  trap 'rm -rf "$artifacts"' EXIT
fi

dotnet build "$repo/tests/Kiln.CSharp.Protobuf.Tests" -c Release --artifacts-path "$artifacts" -v quiet -nologo >/dev/null
tests="$artifacts/bin/Kiln.CSharp.Protobuf.Tests/release/Kiln.CSharp.Protobuf.Tests"
run=("$tests" -class Kiln.CSharp.Protobuf.Tests.Corpus.CSharpCorpusCompileTests -showLiveOutput -noColor)
if [ -x /usr/bin/time ]; then
  KILN_FULL_CORPUS=1 /usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KB' "${run[@]}"
else
  time KILN_FULL_CORPUS=1 "${run[@]}"
fi
