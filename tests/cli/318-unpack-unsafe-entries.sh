# Tar entries that cannot be created as they claim are refused content
# (exit 1), not a local error: a hard link to a directory or to an entry that
# is not there, a file under a name an earlier entry (or layer) made a file.
# DIR is not created and no staging directory is left. An entry replacing an
# earlier layer's directory replaces the whole directory, as an overlay does.
. "$TESTS_DIR/lib.sh"

layout() { python3 "$TESTS_DIR/helpers/oci_layout.py" crafted "$1"; }
refuse() { # case entry why
	local digest
	digest=$(layout "$1") || fail "building $1"
	run xp unpack "oci:crafted:$1" dest
	expect_rc 1
	expect_out_empty
	expect_err <<END
xpship: error: refusing '$2' in layer '$digest': $3
END
	[ ! -e dest ] || fail "$1: dest was created"
	[ -z "$(ls -A | grep unpack- || true)" ] || fail "$1: staging left behind"
}
refuse hardlink-dir hl "hard link to a directory"
refuse hardlink-missing hl "hard link to an entry that is not there"
refuse file-then-child f/child "'f' is not a directory"
refuse file-then-child-layers f/child "'f' is not a directory"
refuse file-then-deep-child f/a/b.txt "'f' is not a directory"

layout file-over-dir >/dev/null
run xp unpack oci:crafted:file-over-dir over
expect_rc 0
expect_eq "now a file" "$(cat over/d)" "file over an earlier directory"
exit 0
