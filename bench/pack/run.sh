#!/bin/sh
# bench/pack/run.sh XPSHIP — `xpship pack` of a generated 1 GiB model file, side
# by side in one run with the hashing limit (`openssl dgst -sha256` of the same
# file: pack must read, hash and write it, openssl only reads and hashes) and
# with a peer packer (`umoci insert`, gzip layer), then a 4 GiB file for memory.
#
# Each tool runs RUNS times (default 3), interleaved; the best wall time counts
# (the machine is shared: the minimum is the least disturbed run). Peak RSS from
# /usr/bin/time. Targets (exit 1 when one is missed):
#   pack wall <= 1.4 x openssl dgst,  pack wall <= 0.5 x umoci insert,
#   pack peak RSS < 32 MiB at 1 GiB and at 4 GiB.
# The files are random (openssl enc -aes-128-ctr over /dev/zero: fast, not
# compressible) and deleted at the end; SIZE_GIB/BIG_GIB change the sizes.
set -u
bin=$1
runs=${RUNS:-3}
size_gib=${SIZE_GIB:-1}
big_gib=${BIG_GIB:-4}
work=$(mktemp -d "${TMPDIR:-$PWD}/xpship-bench-pack.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work" || exit 1
for t in openssl umoci /usr/bin/time; do
	command -v $t >/dev/null 2>&1 || { echo "bench pack: $t is missing (make deps)"; exit 1; }
done

gen() { # FILE GIB
	openssl enc -aes-128-ctr -nosalt -pbkdf2 -pass pass:xpship-bench -in /dev/zero 2>/dev/null |
		head -c $(($2 * 1073741824)) >"$1"
}
# timed NAME CMD...: appends "NAME wall cpu rss_kib" to results
timed() {
	local name=$1; shift
	/usr/bin/time -f "$name %e %U %S %M" -o time.out "$@" >/dev/null 2>cmd.err ||
		{ echo "bench pack: $name failed:"; cat cmd.err; exit 1; }
	awk '{printf "%s %s %.2f %s\n", $1, $2, $3 + $4, $5}' time.out >>results
}

gen model.bin "$size_gib"
cat model.bin >/dev/null # warm the page cache for every contender alike
umoci init --layout base >/dev/null 2>&1 && umoci new --image base:b >/dev/null 2>&1 ||
	{ echo "bench pack: umoci init failed"; exit 1; }
: >results
i=0
while [ $i -lt "$runs" ]; do
	timed openssl openssl dgst -sha256 model.bin
	rm -rf out
	timed xpship "$bin" -q pack -o out -t v1 model.bin
	rm -rf umoci-out && cp -R base umoci-out
	timed umoci umoci insert --rootless --image umoci-out:b model.bin /models/model.bin
	i=$((i + 1))
done
# the packed layer is the file: the same digest twice
d1=$("$bin" -q pack -o out -t v1 model.bin) && d2=$("$bin" -q pack -o out2 -t v1 model.bin) ||
	{ echo "bench pack: pack failed"; exit 1; }
[ "$d1" = "$d2" ] || { echo "bench pack: two packs differ: $d1 $d2"; exit 1; }
rm -rf out out2 umoci-out model.bin

gen big.bin "$big_gib"
rm -rf out
/usr/bin/time -f "big %e %U %S %M" -o big.out "$bin" -q pack -o out -t v1 big.bin >/dev/null ||
	{ echo "bench pack: pack of $big_gib GiB failed"; exit 1; }
rm -rf out big.bin

awk -v runs="$runs" -v size="$size_gib" -v big="$big_gib" '
function best(n) { return b[n] }
FNR == NR {
	if (!($1 in b) || $2 < b[$1]) { b[$1] = $2; c[$1] = $3 }
	if ($4 > r[$1]) r[$1] = $4
	next
}
{ bw = $2; bc = $3 + $4; br = $5 }
END {
	printf "input: %d GiB random file, page cache warm; best of %d runs each\n", size, runs
	printf "%-36s %8s %8s %10s\n", "", "wall s", "cpu s", "peak RSS"
	printf "%-36s %8.2f %8.2f %7.1f MiB\n", "openssl dgst -sha256 (hash limit)", b["openssl"], c["openssl"], r["openssl"] / 1024
	printf "%-36s %8.2f %8.2f %7.1f MiB\n", "xpship pack (uncompressed layer)", b["xpship"], c["xpship"], r["xpship"] / 1024
	printf "%-36s %8.2f %8.2f %7.1f MiB\n", "umoci insert (gzip layer)", b["umoci"], c["umoci"], r["umoci"] / 1024
	printf "%-36s %8.2f %8.2f %7.1f MiB\n", sprintf("xpship pack, %d GiB", big), bw, bc, br / 1024
	r1 = b["xpship"] / b["openssl"]; r2 = b["xpship"] / b["umoci"]
	printf "pack / openssl dgst: %.2fx (target <= 1.40)\n", r1
	printf "pack / umoci insert: %.2fx (target <= 0.50)\n", r2
	printf "pack peak RSS: %.1f MiB at %d GiB, %.1f MiB at %d GiB (target < 32)\n", r["xpship"] / 1024, size, br / 1024, big
	bad = 0
	if (r1 > 1.40) { print "MISSED: pack slower than 1.4 x openssl dgst"; bad = 1 }
	if (r2 > 0.50) { print "MISSED: pack slower than 0.5 x umoci insert"; bad = 1 }
	if (r["xpship"] >= 32768 || br >= 32768) { print "MISSED: pack peak RSS 32 MiB or more"; bad = 1 }
	exit bad
}' results big.out
