#!/usr/bin/env bash
# Installs and caches the peer tools and corpora the tests compare against (see
# ../shared/PEERS.md). Each scripts/peers/*.sh installs one peer or corpus, idempotently,
# under ${KILN_CACHE:-$HOME/.cache/kiln}; a failure of one does not stop the others.
set -uo pipefail
cd "$(dirname "$0")/.."
export KILN_CACHE="${KILN_CACHE:-$HOME/.cache/kiln}"
mkdir -p "$KILN_CACHE"
status=0
for script in scripts/peers/*.sh; do
  [ -e "$script" ] || continue
  bash "$script" || { echo "setup-peers: $script failed" >&2; status=1; }
done
exit "$status"
