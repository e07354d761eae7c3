# A regression tripwire for reading from a registry (not the benchmark: that is
# bench/pull): pulling and verifying a bundle with a 64 MiB layer may take at most
# 10x a bare curl GET of the same blob measured here (curl's best of three; each
# of them gets three tries). A read
# path that waits on a timer instead of the socket (once: a 1 s poll after each
# 512 KiB) takes tens of seconds and trips it.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"

head -c $((64 << 20)) /dev/urandom >weights.bin
xp -q pack -o b -t v1 weights.bin >/dev/null || fail "pack"
rm -f weights.bin
xp -q keygen -o key </dev/null >/dev/null || fail "keygen"
layer=$(python3 -c 'import json,sys
m = json.load(open(sys.argv[1]))
d = m["manifests"][0]["digest"].split(":")[1]
print(json.load(open("b/blobs/sha256/" + d))["layers"][-1]["digest"])' b/index.json)
reg_start plain || fail "registry did not start"
ref="$REG_ADDR/team/big:v1"
xp -q push --plain-http b "$ref" >/dev/null || fail "push"
xp -q sign --key key.key --plain-http "$ref" >/dev/null || fail "sign"

now() { date +%s%N; }
# curl's best of three wall times (ns)
c=
for i in 1 2 3; do
	t0=$(now)
	curl -sf -o "$T/curl.blob" "http://$REG_ADDR/v2/team/big/blobs/$layer" || fail "curl GET"
	t1=$(now)
	if [ -z "$c" ] || [ $((t1 - t0)) -lt "$c" ]; then c=$((t1 - t0)); fi
done
# under the sanitizers (make asan) xpship's own code runs a few times slower
factor=10
[ -z "${XPSHIP_SANITIZE:-}" ] || factor=30
limit=$((factor * c))
# within NAME CMD...: CMD succeeds within $limit ns in one of three tries (each
# cut off at the limit, rounded up to whole seconds)
within() {
	local name=$1 i t0 t1 took=
	shift
	for i in 1 2 3; do
		rm -rf "$T/out"
		t0=$(now)
		timeout $((limit / 1000000000 + 1)) "$@" >"$T/$name.out" 2>"$T/$name.err"
		local rc=$?
		t1=$(now)
		took=$((t1 - t0))
		[ "$rc" -eq 0 ] || [ "$rc" -eq 124 ] || fail "$name: exit $rc: $(cat "$T/$name.err")"
		[ "$rc" -eq 0 ] && [ "$took" -le "$limit" ] && return 0
	done
	fail "$name took $((took / 1000000)) ms, more than ${factor}x a curl GET ($((c / 1000000)) ms)"
}
within pull "$XPSHIP" -q pull --plain-http "$ref" "oci:$T/out"
cmp -s "$T/curl.blob" "$T/out/blobs/sha256/${layer#sha256:}" || fail "pulled layer differs"
within verify "$XPSHIP" -q verify --plain-http --key key.pub "$ref"
exit 0
