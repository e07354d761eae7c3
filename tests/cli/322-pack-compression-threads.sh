# Compressed layers are the same bytes however many compressor threads run:
# packing twice, and on one CPU (taskset: the blocks are compressed inline),
# gives one manifest digest for gzip and for zstd, into a layout or an archive.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

command -v taskset >/dev/null || fail "taskset is missing (util-linux)"
pack_model model 5000000
for c in gzip zstd; do
	run xp pack -o $c-a -t v1 --compression $c model
	expect_rc 0
	expect_err_empty
	one=$(out)
	run xp pack -o $c-b -t v1 --compression $c model
	expect_out <<END
$one
END
	LAST_CMD="taskset -c 0 pack --compression $c"
	taskset -c 0 "$XPSHIP" pack -o $c-c.tar -t v1 --compression $c model >"$T/.out" 2>"$T/.err"
	echo $? >"$T/.rc"
	expect_rc 0
	expect_out <<END
$one
END
	# and the layers themselves, not only the manifest naming them
	expect_eq "$(oci_layers $c-a v1)" "$(oci_layers $c-b v1)" "$c layers"
done
exit 0
