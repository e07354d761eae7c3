#!/bin/sh
# bench/run.sh XPSHIP — runs every benchmark (bench/*/run.sh) side by side with
# its peers and prints the ratios each one reports. A benchmark that misses its
# target exits non-zero; so does this runner.
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
status=0 n=0
for b in "$here"/*/run.sh; do
	[ -f "$b" ] || continue
	n=$((n + 1))
	echo "== bench $(basename "$(dirname "$b")")"
	sh "$b" "$bin" || status=1
done
[ "$n" -gt 0 ] || echo "bench: no benchmarks in $here"
exit $status
