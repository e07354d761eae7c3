#!/bin/sh
# tests/helpers/fuzz.sh SECONDS BIN... — run each libFuzzer target for SECONDS
# from its seed corpus (tests/fuzz/corpus/<name>/, copied so the tree stays
# clean); any crash, leak or sanitizer report fails.
set -u
secs=$1; shift
status=0
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/xpship-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
for bin in "$@"; do
	name=$(basename "$bin")
	corpus="$work/$name"
	mkdir -p "$corpus"
	[ -d "$here/fuzz/corpus/$name" ] && cp -r "$here/fuzz/corpus/$name/." "$corpus/"
	dict=""
	[ -f "$here/fuzz/$name.dict" ] && dict="-dict=$here/fuzz/$name.dict"
	echo "fuzz: $name for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/$name-" $dict "$corpus" >"$work/$name.log" 2>&1; then
		echo "fuzz: $name FAILED" >&2
		tail -n 60 "$work/$name.log" >&2
		ls "$work/$name-"* 2>/dev/null | while read -r f; do
			echo "reproducer: $f ($(od -An -c "$f" | head -c 400))" >&2
		done
		status=1
	else
		grep -E '^Done|#[0-9]+.*DONE' "$work/$name.log" | tail -n 1
	fi
done
exit $status
