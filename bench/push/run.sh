#!/bin/bash
# bench/push/run.sh XPSHIP — pushing a 1 GiB bundle to a local Debian registry,
# side by side in one run:
#   curl      a bare POST + streamed PUT of the same blob (the floor: what the
#             registry can take)
#   skopeo    skopeo copy --preserve-digests oci:... docker://... (the peer)
#   xpship    xpship push; then a repeat push with everything present
# Each first push goes to a registry of its own with empty storage (so no tool
# can skip or mount the blob: skopeo's blob-info cache would otherwise mount it
# from an earlier push); every tool runs BENCH_ROUNDS times (default 2),
# interleaved, and its best time counts. The repeat push goes to the registry
# the last xpship push filled. Prints times, peak RSS
# and the ratios; exits non-zero when a target is missed:
#   xpship <= 0.9 x skopeo, xpship <= 1.1 x curl, repeat push < 100 ms,
#   xpship peak RSS < 32 MiB.
# BENCH_SIZE_MB changes the blob size (default 1024).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # bench/run.sh starts it with sh
set -u
xp=${1:?usage: run.sh XPSHIP}
here=$(cd "$(dirname "$0")" && pwd)
rounds=${BENCH_ROUNDS:-2}
size_mb=${BENCH_SIZE_MB:-1024}
name=push
# shellcheck disable=SC1091
. "$here/../lib.sh"
bench_init skopeo curl docker-registry python3 openssl

# The bundle: one uncompressed tar layer holding a random 1 GiB weights file.
echo "bench push: making a ${size_mb} MiB bundle"
bench_bundle "$size_mb" "$T/b"
blob="$T/b/blobs/sha256/$layer"
cat "$blob" >/dev/null   # warm cache for everyone

# fresh NAME: stop the registries started so far (and drop their storage),
# start an empty one; sets A to its address.
fresh() {
	reg_stop_all
	rm -rf "$T"/reg-*
	reg_start plain "reg-$1" >/dev/null || { echo "bench push: registry did not start"; exit 1; }
	A=$REG_ADDR
	export A
}

now() { date +%s.%N; }
# measure NAME CMD...: wall seconds into $T/NAME.t (best of rounds), peak RSS KiB
measure() {
	local name=$1 t0 t1 dt
	shift
	t0=$(now)
	/usr/bin/time -f %M -o "$T/$name.rss" "$@" >"$T/$name.out" 2>"$T/$name.err" ||
		{ echo "bench push: $name failed:"; cat "$T/$name.err"; exit 1; }
	t1=$(now)
	dt=$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.4f", a - b }')
	if [ ! -f "$T/$name.t" ] || awk -v a="$dt" -v b="$(cat "$T/$name.t")" 'BEGIN { exit !(a < b) }'; then
		echo "$dt" >"$T/$name.t"
		cp "$T/$name.rss" "$T/$name.best.rss"
	fi
}
curl_push() { # REPO
	local loc
	loc=$(curl -sf -X POST -D - -o /dev/null "http://$A/v2/$1/blobs/uploads/" |
		tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
	curl -sf -X PUT -H 'Content-Type: application/octet-stream' -T "$blob" \
		"$loc&digest=sha256:$layer" -o /dev/null
}
export -f curl_push
export blob layer

for r in $(seq 1 "$rounds"); do
	echo "bench push: round $r"
	fresh "curl$r"
	measure curl bash -c "curl_push bench/curl$r"
	fresh "skopeo$r"
	measure skopeo skopeo copy -q --preserve-digests --dest-tls-verify=false \
		"oci:$T/b:v1" "docker://$A/bench/skopeo$r:v1"
	fresh "xpship$r"
	measure xpship "$xp" -q push --plain-http "oci:$T/b:v1" "$A/bench/xpship$r:v1"
done
measure repeat "$xp" -q push --plain-http "oci:$T/b:v1" "$A/bench/xpship$rounds:v1"
measure repeat "$xp" -q push --plain-http "oci:$T/b:v1" "$A/bench/xpship$rounds:v1"

c=$(cat "$T/curl.t") s=$(cat "$T/skopeo.t") x=$(cat "$T/xpship.t") rp=$(cat "$T/repeat.t")
xr=$(cat "$T/xpship.best.rss") sr=$(cat "$T/skopeo.best.rss") cr=$(cat "$T/curl.best.rss")
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
ok() { awk "BEGIN { exit !($1) }"; }
vs_s=$(calc "$x / $s") vs_c=$(calc "$x / $c")
printf 'bench push: %d MiB blob, best of %d\n' "$size_mb" "$rounds"
printf '  %-22s %8.2f s  %6d KiB\n' "curl POST+PUT" "$c" "$cr" "skopeo copy" "$s" "$sr" \
	"xpship push" "$x" "$xr"
printf '  %-22s %8.3f s\n' "xpship repeat push" "$rp"
printf '  xpship/skopeo %.2f (target <= 0.90)  xpship/curl %.2f (target <= 1.10)\n' "$vs_s" "$vs_c"
printf '  repeat push %.0f ms (target < 100)  peak RSS %.1f MiB (target < 32)\n' \
	"$(calc "$rp * 1000")" "$(calc "$xr / 1024")"
status=0
ok "$vs_s <= 0.9" || { echo "  MISSED: xpship/skopeo"; status=1; }
ok "$vs_c <= 1.1" || { echo "  MISSED: xpship/curl"; status=1; }
ok "$rp < 0.1" || { echo "  MISSED: repeat push"; status=1; }
[ "$xr" -lt 32768 ] || { echo "  MISSED: peak RSS"; status=1; }
exit $status
