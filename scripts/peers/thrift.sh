#!/usr/bin/env bash
# Installs the Thrift peer and corpus (see shared/PEERS.md), idempotently:
#   - the thriftrw npm package, packed and extracted under $KILN_CACHE/thriftrw/package/
#     (its test/ folder holds Apache Thrift's test IDLs and deliberately broken files);
#   - the Apache Thrift compiler (`thrift` 0.17, Debian's thrift-compiler) when missing.
# A missing apt (or no root) is reported, not fatal: the corpus tests then say what is missing.
set -uo pipefail
cache="${KILN_CACHE:-$HOME/.cache/kiln}"
dest="$cache/thriftrw"
mkdir -p "$dest"

if [ ! -f "$dest/.complete" ]; then
  if command -v npm >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    if (cd "$tmp" && npm pack thriftrw --silent >/dev/null 2>&1); then
      tgz=$(ls "$tmp"/thriftrw-*.tgz 2>/dev/null | head -n1)
      if [ -n "$tgz" ]; then
        rm -rf "$dest/package"
        tar xzf "$tgz" -C "$dest" && basename "$tgz" >"$dest/.complete"
      fi
    fi
    [ -f "$dest/.complete" ] || { echo "thrift.sh: could not fetch the thriftrw package with npm" >&2; exit 1; }
  else
    echo "thrift.sh: npm not found; cannot fetch the thriftrw corpus" >&2
    exit 1
  fi
fi

if ! command -v thrift >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq thrift-compiler; } >/dev/null 2>&1 \
      || echo "thrift.sh: could not install thrift-compiler with apt-get; peer comparisons will be skipped or fail" >&2
  else
    echo "thrift.sh: apt-get not available; install the Apache Thrift compiler (thrift 0.17) by hand" >&2
  fi
fi
exit 0
