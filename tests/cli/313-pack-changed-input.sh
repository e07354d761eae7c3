# A file that changes while `pack` reads it — grown, truncated, or changed
# between the scan and its turn — is a local I/O error (exit 4, not a usage
# error), and the failed pack leaves no layout and no temporary file behind.
# Deterministic: stall_stderr.py holds pack at its first progress line of the
# 16 MiB file while the file is changed.
. "$TESTS_DIR/lib.sh"

mkdir ws && cd ws # away from the harness's own dot files
mkdir m
head -c 16777216 /dev/zero >m/a.bin
head -c 2097152 /dev/zero >m/b.bin
cp m/a.bin a.saved

# pack OUT ACTION: pack m into OUT, running ACTION while a.bin is being read
stalled_pack() {
	LAST_CMD="pack -o $1 while: $2"
	python3 "$TESTS_DIR/helpers/stall_stderr.py" "$1/blobs/sha256" .blob "$2" -- \
		"$XPSHIP" pack -o "$1" -t v1 m >"$T/.out" 2>"$T/.err"
	echo $? >"$T/.rc"
}
no_trace() { # OUT
	[ ! -e "$1" ] || fail "a failed pack left $1 behind: $(ls -A "$1")"
	[ -z "$(ls -A | grep '^\.' || true)" ] || fail "temporary files: $(ls -A)"
}

# b.bin grows while a.bin is read: found when b.bin's turn comes
stalled_pack out 'printf x >>m/b.bin'
expect_rc 4
expect_out_empty
expect_eq "xpship: error: 'm/b.bin' changed while being packed" "$(tail -n 1 "$T/.err")" "stderr"
no_trace out
head -c 2097152 /dev/zero >m/b.bin

# a.bin shrinks or grows while it is read
stalled_pack out 'truncate -s 4194304 m/a.bin'
expect_rc 4
expect_err_has "xpship: error: 'm/a.bin' changed while being packed"
no_trace out
cp a.saved m/a.bin
stalled_pack out 'printf x >>m/a.bin'
expect_rc 4
expect_err_has "xpship: error: 'm/a.bin' changed while being packed"
no_trace out
cp a.saved m/a.bin

# into an existing layout: it stays as it was
run xp -q pack -o out -t v1 m
expect_rc 0
cp out/index.json index.saved
stalled_pack out 'printf x >>m/a.bin'
expect_rc 4
cmp -s index.saved out/index.json || fail "index.json changed"
[ -z "$(ls -A out/blobs/sha256 | grep '^\.' || true)" ] || fail "temporary blob left behind"
cp a.saved m/a.bin

# unchanged, the same pack succeeds under the same stall
rm -rf out
stalled_pack out 'true'
expect_rc 0
