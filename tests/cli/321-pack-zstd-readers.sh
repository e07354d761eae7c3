# `pack --compression zstd` writes a layer as one zstd frame per 2 MiB block,
# compressed in parallel: zstd -d, xpship unpack and skopeo (Go's
# klauspost/compress, through a conversion to gzip that umoci then unpacks)
# read every frame, back to the diff_id and the input files.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model 5000000 # the weights span 3 frames
run xp pack -o zs -t v1 --compression zstd model
expect_rc 0
expect_err_empty
set -- $(oci_layers zs v1)
expect_eq 2 "$#" "layer count"
i=0
for l in "$@"; do
	blob=$(oci_blob zs "$l")
	zstd -qt "$blob" || fail "zstd -t layer $i"
	id=sha256:$(zstd -qdc "$blob" | sha256sum | cut -d' ' -f1)
	expect_eq "$id" "$(oci_json zs v1 "c['rootfs']['diff_ids'][$i]")" "zstd -d of layer $i"
	i=$((i + 1))
done
# frames: magic numbers at the starts zstd -l counts
expect_eq 3 "$(zstd -lv "$(oci_blob zs "$1")" 2>/dev/null | sed -n 's/^# Zstandard Frames: *//p')" "frames of the weights layer"

run xp unpack oci:zs:v1 dest
expect_rc 0
diff -r model dest/models/model || fail "unpack: files differ"

skopeo copy -q --dest-compress --dest-compress-format gzip oci:zs:v1 oci:conv:v1 >skopeo.log 2>&1 ||
	{ cat skopeo.log; fail "skopeo copy"; }
i=0
for l in $(oci_layers conv v1); do
	id=sha256:$(gzip -dc "$(oci_blob conv "$l")" | sha256sum | cut -d' ' -f1)
	expect_eq "$id" "$(oci_json zs v1 "c['rootfs']['diff_ids'][$i]")" "skopeo's reading of layer $i"
	i=$((i + 1))
done
expect_eq 2 "$i" "skopeo layers"
umoci unpack --rootless --image conv:v1 bundle >umoci.log 2>&1 || { cat umoci.log; fail "umoci unpack"; }
diff -r model bundle/rootfs/models/model || fail "umoci: files differ"
exit 0
