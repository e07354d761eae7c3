# `unpack` caps what the layers expand to: --max-size SIZE (K, M, G, T
# suffixes), by default 1 GiB plus 100 times the compressed layer sizes. Past
# the cap (counted over all layers, checked against what a tar header claims
# before anything of it is written) unpack stops with exit 1, DIR is not
# created and the staging directory is removed.
. "$TESTS_DIR/lib.sh"

layout() { python3 "$TESTS_DIR/helpers/oci_layout.py" crafted "$1"; }
no_trace() { # what
	[ ! -e dest ] || fail "$1: dest was created"
	[ -z "$(ls -A | grep unpack- || true)" ] || fail "$1: staging left behind"
}

# a 8 KiB gzip layer that expands to 8 MiB
bomb=$(layout bomb)
size=$(stat -c %s "crafted/blobs/sha256/${bomb#sha256:}")
[ "$size" -lt 65536 ] || fail "the bomb layer is $size bytes"
run xp unpack --max-size 1M oci:crafted:bomb dest
expect_rc 1
expect_out_empty
expect_err <<END
xpship: error: refusing layer '$bomb': the bundle expands past 1048576 bytes (--max-size)
END
no_trace "1M"
# the same with a cap it fits under, and with the default
run xp unpack --max-size 9MiB oci:crafted:bomb dest
expect_rc 0
expect_eq 8388608 "$(stat -c %s dest/models/zeros.bin)"
rm -rf dest
run xp unpack oci:crafted:bomb dest
expect_rc 0
rm -rf dest

# two layers of 3 MiB each: the cap counts both
second=$(layout bomb-layers)
run xp unpack --max-size 4M oci:crafted:bomb-layers dest
expect_rc 1
expect_err <<END
xpship: error: refusing layer '$second': the bundle expands past 4194304 bytes (--max-size)
END
no_trace "two layers"
run xp unpack --max-size 7M oci:crafted:bomb-layers dest
expect_rc 0
rm -rf dest

# a header claiming 3 GiB: refused before any byte of it is written, against
# the default cap, 1 GiB + 100 x the layer's compressed size
claim=$(layout bomb-claim)
size=$(stat -c %s "crafted/blobs/sha256/${claim#sha256:}")
run xp unpack oci:crafted:bomb-claim dest
expect_rc 1
expect_err <<END
xpship: error: refusing layer '$claim': the bundle expands past $((1073741824 + 100 * size)) bytes (--max-size)
END
no_trace "claim"

# usage
for bad in 0 -1 12Q 1.5G "" 99999999999T; do
	run xp unpack --max-size "$bad" oci:crafted:bomb dest
	expect_rc 2
	expect_err <<END
xpship: error: invalid value '$bad' for --max-size: expected a size, like 512M or 2G
Run 'xpship unpack --help' for usage.
END
done
no_trace "usage"
exit 0
