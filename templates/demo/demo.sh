#!/usr/bin/env bash
# templates/demo/demo.sh XPSHIP — the shipped example end to end against a
# registry the demo starts on loopback and stops when it ends.
set -euo pipefail
xp=${1:-xpship}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${XPSHIP_DEMO_DIR:-$root/demo-out}
mkdir -p "$out"
T=$out
. "$root/tests/helpers/registry.sh"

step() { printf '\n== %s\n' "$*"; }

step "start a local registry"
if reg_start plain registry; then
	echo "registry on $REG_ADDR (data in $REG_DIR)"
else
	echo "could not start docker-registry" >&2
	exit 4
fi

step "registry ping"
"$xp" registry ping --plain-http "$REG_ADDR"

echo
echo "demo: done"
