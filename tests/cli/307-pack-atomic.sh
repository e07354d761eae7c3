# An interrupted pack (SIGTERM or SIGINT while a layer is being written) leaves
# the previous layout or archive exactly as it was and no temporary files; the
# next pack succeeds. (SIGKILL cannot be caught: its temporary file would stay.)
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

mkdir ws && cd ws # away from the harness's own dot files
pack_model model
head -c 67108864 /dev/urandom >big.bin
run xp pack -o out -t v1 model
expect_rc 0
run xp pack -o bundle.tar -t v1 model
expect_rc 0
cp out/index.json index.saved
cp bundle.tar bundle.saved

no_temps() { # DIR...
	local d
	for d in "$@"; do
		[ -z "$(ls -A "$d" | grep '^\.' || true)" ] || fail "temporary files in $d: $(ls -A "$d")"
	done
}

# layout: interrupt while the 64 MiB layer is being streamed into blobs/sha256
for sig in SIGTERM SIGINT; do
	caught=0
	for attempt in 1 2 3 4 5; do
		r=$(python3 "$TESTS_DIR/helpers/interrupt.py" $sig out/blobs/sha256 .blob -- \
			"$XPSHIP" -q pack -o out -t v2-$sig-$attempt big.bin) || fail "pack failed: $r"
		if [ "$r" = interrupted ]; then caught=1; break; fi
		cp index.saved out/index.json # it finished first: undo the tag and try again
	done
	[ $caught = 1 ] || fail "could not interrupt a pack with $sig"
	cmp -s index.saved out/index.json || fail "index.json changed ($sig)"
	no_temps . out out/blobs out/blobs/sha256
	skopeo inspect oci:out:v1 >/dev/null 2>&1 || fail "v1 unreadable after $sig"
done

# archive: the new archive is written beside the old one until commit
caught=0
for attempt in 1 2 3 4 5; do
	r=$(python3 "$TESTS_DIR/helpers/interrupt.py" SIGTERM . .bundle.tar -- \
		"$XPSHIP" -q pack -o bundle.tar -t v2 big.bin) || fail "pack failed: $r"
	if [ "$r" = interrupted ]; then caught=1; break; fi
	cp bundle.saved bundle.tar
done
[ $caught = 1 ] || fail "could not interrupt an archive pack"
cmp -s bundle.saved bundle.tar || fail "bundle.tar changed"
no_temps .
skopeo inspect oci-archive:bundle.tar:v1 >/dev/null 2>&1 || fail "archive v1 unreadable"

# afterwards a pack completes and keeps v1
run xp -q pack -o out -t v2 big.bin
expect_rc 0
run xp -q pack -o bundle.tar -t v2 big.bin
expect_rc 0
skopeo inspect oci:out:v1 >/dev/null 2>&1 || fail "v1 lost"
skopeo inspect oci-archive:bundle.tar:v1 >/dev/null 2>&1 || fail "archive v1 lost"
skopeo inspect oci-archive:bundle.tar:v2 >/dev/null 2>&1 || fail "archive v2 missing"
no_temps . out out/blobs out/blobs/sha256
exit 0
