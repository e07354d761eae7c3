#!/bin/bash
# bench/history/run.sh XPSHIP — `xpship history` over 300 releases of one
# repository on a local Debian registry, side by side in one run:
#   skopeo    a shell loop of `skopeo inspect --config` over the same tags
#             (the peer: what a script would do to read every release)
#   cold      xpship history with an empty blob cache
#   warm      xpship history again (manifests and configs from the cache; the
#             tags are resolved again: they move)
# and the peak RSS of cold runs over 100 and 300 releases (memory flat in the
# number of releases). Releases are made by releases.py (one shared layer; a
# config and an annotated manifest each). Every measure runs BENCH_ROUNDS
# times (default 3); its best time counts. Exits non-zero when a target is
# missed: cold <= 0.2 x skopeo, warm < 300 ms, RSS(300) <= 1.25 x RSS(100).
# BENCH_RELEASES changes the number of releases (default 300).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
xp=${1:?usage: run.sh XPSHIP}
here=$(cd "$(dirname "$0")" && pwd)
rounds=${BENCH_ROUNDS:-3}
n=${BENCH_RELEASES:-300}
name=history
# shellcheck disable=SC1091
. "$here/../lib.sh"
bench_init skopeo docker-registry python3

reg_start plain >/dev/null || { echo "bench history: registry did not start"; exit 1; }
A=$REG_ADDR
echo "bench history: making $n + 100 releases"
python3 "$here/releases.py" "$A" bench/model "$n" &&
	python3 "$here/releases.py" "$A" bench/small 100 ||
	{ echo "bench history: cannot make the releases"; exit 1; }
tags=$(curl -sf "http://$A/v2/bench/model/tags/list?n=10000" |
	python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["tags"]))')

now() { date +%s.%N; }
measure() { # NAME CMD...: best wall seconds into $T/NAME.t, peak RSS KiB of the best into $T/NAME.rss
	local name=$1 t0 t1 dt
	shift
	t0=$(now)
	/usr/bin/time -f %M -o "$T/$name.rss.now" "$@" >"$T/$name.out" 2>"$T/$name.err" ||
		{ echo "bench history: $name failed:"; cat "$T/$name.err"; exit 1; }
	t1=$(now)
	dt=$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.4f", a - b }')
	if [ ! -f "$T/$name.t" ] || awk -v a="$dt" -v b="$(cat "$T/$name.t")" 'BEGIN { exit !(a < b) }'; then
		echo "$dt" >"$T/$name.t"
		cp "$T/$name.rss.now" "$T/$name.rss"
	fi
}
skopeo_loop() {
	local t
	for t in $tags; do
		skopeo inspect --config --tls-verify=false "docker://$A/bench/model:$t" >/dev/null || return 1
	done
}
export -f skopeo_loop
export A tags XDG_CACHE_HOME=$T/cache
for r in $(seq 1 "$rounds"); do
	echo "bench history: round $r"
	measure skopeo bash -c skopeo_loop
	rm -rf "$T/cache"
	measure cold "$xp" -q history --plain-http "$A/bench/model"
	measure warm "$xp" -q history --plain-http "$A/bench/model"
	rm -rf "$T/cache"
	measure small "$xp" -q history --plain-http "$A/bench/small"
done
rows=$(($(grep -c '^r[0-9]' "$T/cold.out")))
[ "$rows" = "$n" ] || { echo "bench history: history listed $rows releases, not $n"; exit 1; }

s=$(cat "$T/skopeo.t") c=$(cat "$T/cold.t") w=$(cat "$T/warm.t")
m300=$(cat "$T/cold.rss") m100=$(cat "$T/small.rss")
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
ok() { awk "BEGIN { exit !($1) }"; }
rc=$(calc "$c / $s") rm=$(calc "$m300 / $m100")
printf '  skopeo inspect --config loop  %8.3f s  (%d tags)\n' "$s" "$n"
printf '  xpship history, cold cache    %8.3f s  ratio %.3f (target <= 0.2)\n' "$c" "$rc"
printf '  xpship history, warm cache    %8.3f s  (target < 0.300)\n' "$w"
printf '  peak RSS, 100 / %d releases   %d / %d KiB  ratio %.2f (target <= 1.25)\n' "$n" "$m100" "$m300" "$rm"
status=0
ok "$rc <= 0.2" || { echo "bench history: cold history is not <= 0.2 x the skopeo loop"; status=1; }
ok "$w < 0.3" || { echo "bench history: warm history is not < 300 ms"; status=1; }
ok "$rm <= 1.25" || { echo "bench history: memory grows with the number of releases"; status=1; }
exit $status
