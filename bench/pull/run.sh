#!/bin/bash
# bench/pull/run.sh XPSHIP — reading a 512 MiB bundle from a local Debian
# registry, side by side in one run:
#   curl      a bare GET of the layer blob piped through `openssl dgst -sha256`
#             (the floor: what the registry can send, hashed)
#   skopeo    skopeo copy --preserve-digests docker://... oci:... (the peer;
#             without --preserve-digests it would gzip the layer, which is
#             not a read)
#   xpship    xpship pull into a fresh layout; xpship verify of the registry
#             reference; xpship promote --verify-key (verifies every blob and
#             the signature, then moves a tag)
# The bundle (one uncompressed tar layer holding random bytes, signed by a
# throwaway key) is pushed once; every read runs BENCH_ROUNDS times (default
# 3), interleaved, into fresh directories, and its best time counts. Prints
# times, peak RSS and the ratios; exits non-zero when a target is missed:
#   pull <= 1.3 x curl, pull <= 0.9 x skopeo, verify and promote <= 1.5 x curl,
#   peak RSS of pull, verify and promote < 32 MiB.
# BENCH_SIZE_MB changes the blob size (default 512).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # bench/run.sh starts it with sh
set -u
xp=${1:?usage: run.sh XPSHIP}
here=$(cd "$(dirname "$0")" && pwd)
rounds=${BENCH_ROUNDS:-3}
size_mb=${BENCH_SIZE_MB:-512}
name=pull
# shellcheck disable=SC1091
. "$here/../lib.sh"
bench_init skopeo curl docker-registry python3 openssl

echo "bench pull: making and pushing a ${size_mb} MiB bundle"
bench_bundle "$size_mb" "$T/b"
reg_start plain >/dev/null || { echo "bench pull: registry did not start"; exit 1; }
A=$REG_ADDR
ref="$A/bench/model:v1"
"$xp" -q keygen -o "$T/key" </dev/null >/dev/null &&
	"$xp" -q push --plain-http "oci:$T/b:v1" "$ref" >/dev/null &&
	"$xp" -q sign --key "$T/key.key" --plain-http "$ref" >/dev/null ||
	{ echo "bench pull: cannot push and sign the bundle"; exit 1; }
rm -rf "$T/b"   # nothing local left to read from
blob_url="http://$A/v2/bench/model/blobs/sha256:$layer"
curl -sf "$blob_url" >/dev/null   # warm the registry's cache for everyone

now() { date +%s.%N; }
# measure NAME CMD...: wall seconds into $T/NAME.t (best of rounds), peak RSS KiB
measure() {
	local name=$1 t0 t1 dt
	shift
	t0=$(now)
	/usr/bin/time -f %M -o "$T/$name.rss" "$@" >"$T/$name.out" 2>"$T/$name.err" ||
		{ echo "bench pull: $name failed:"; cat "$T/$name.err"; exit 1; }
	t1=$(now)
	dt=$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.4f", a - b }')
	if [ ! -f "$T/$name.t" ] || awk -v a="$dt" -v b="$(cat "$T/$name.t")" 'BEGIN { exit !(a < b) }'; then
		echo "$dt" >"$T/$name.t"
		cp "$T/$name.rss" "$T/$name.best.rss"
	fi
}
curl_get() { curl -sf "$blob_url" | openssl dgst -sha256 -r | grep -q "^$layer "; }
export -f curl_get
export blob_url layer

for r in $(seq 1 "$rounds"); do
	echo "bench pull: round $r"
	measure curl bash -c curl_get
	rm -rf "$T/skopeo"
	measure skopeo skopeo copy -q --preserve-digests --src-tls-verify=false "docker://$ref" "oci:$T/skopeo:v1"
	rm -rf "$T/xpship"
	measure pull "$xp" -q pull --plain-http "$ref" "oci:$T/xpship:v1"
	measure verify "$xp" -q verify --plain-http --key "$T/key.pub" "$ref"
	measure promote "$xp" -q promote --plain-http --verify-key "$T/key.pub" "$ref" --to "stable$r"
done
cmp -s "$T/xpship/blobs/sha256/$layer" "$T/skopeo/blobs/sha256/$layer" ||
	{ echo "bench pull: xpship and skopeo pulled different layers"; exit 1; }

c=$(cat "$T/curl.t") s=$(cat "$T/skopeo.t") p=$(cat "$T/pull.t") v=$(cat "$T/verify.t")
pr=$(cat "$T/promote.t")
pm=$(cat "$T/pull.best.rss") vm=$(cat "$T/verify.best.rss") prm=$(cat "$T/promote.best.rss")
sm=$(cat "$T/skopeo.best.rss")
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
ok() { awk "BEGIN { exit !($1) }"; }
p_c=$(calc "$p / $c") p_s=$(calc "$p / $s") v_c=$(calc "$v / $c") pr_c=$(calc "$pr / $c")
printf 'bench pull: %d MiB blob, best of %d\n' "$size_mb" "$rounds"
printf '  %-28s %8.2f s\n' "curl GET | openssl dgst" "$c"
printf '  %-28s %8.2f s  %6d KiB\n' "skopeo copy" "$s" "$sm" "xpship pull" "$p" "$pm" \
	"xpship verify" "$v" "$vm" "xpship promote --verify-key" "$pr" "$prm"
printf '  pull/curl %.2f (target <= 1.30)  pull/skopeo %.2f (target <= 0.90)\n' "$p_c" "$p_s"
printf '  verify/curl %.2f (target <= 1.50)  promote/curl %.2f (target <= 1.50)\n' "$v_c" "$pr_c"
printf '  peak RSS pull %.1f, verify %.1f, promote %.1f MiB (target < 32)\n' \
	"$(calc "$pm / 1024")" "$(calc "$vm / 1024")" "$(calc "$prm / 1024")"
status=0
ok "$p_c <= 1.3" || { echo "  MISSED: pull/curl"; status=1; }
ok "$p_s <= 0.9" || { echo "  MISSED: pull/skopeo"; status=1; }
ok "$v_c <= 1.5" || { echo "  MISSED: verify/curl"; status=1; }
ok "$pr_c <= 1.5" || { echo "  MISSED: promote/curl"; status=1; }
for m in "$pm" "$vm" "$prm"; do
	[ "$m" -lt 32768 ] || { echo "  MISSED: peak RSS"; status=1; break; }
done
exit $status
