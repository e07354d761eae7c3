# `pack --compression gzip` writes its layers in 128 KiB blocks compressed in
# parallel, as pigz does: one gzip member that gzip -d, Python's zlib (one
# member, nothing after it), umoci and skopeo (Go's compress/gzip, through a
# conversion to zstd) read whole, back to the diff_id and the input files.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model 3500000 # the weights span 4 blocks
run xp pack -o gz -t v1 --compression gzip model
expect_rc 0
expect_err_empty
set -- $(oci_layers gz v1)
expect_eq 2 "$#" "layer count"
i=0
for l in "$@"; do
	blob=$(oci_blob gz "$l")
	gzip -t "$blob" || fail "gzip -t layer $i"
	id=sha256:$(gzip -dc "$blob" | sha256sum | cut -d' ' -f1)
	expect_eq "$id" "$(oci_json gz v1 "c['rootfs']['diff_ids'][$i]")" "gzip -d of layer $i"
	python3 - "$blob" <<'PY' || fail "python zlib layer $i"
import sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", data[:10]  # no name, mtime 0
d = zlib.decompressobj(31)
d.decompress(data)
assert d.eof and d.unused_data == b"", "not one gzip member"
PY
	i=$((i + 1))
done
# the big layer is several blocks: more than one deflate block boundary
# (sync-flush markers) in it
python3 - "$(oci_blob gz "$1")" <<'PY' || fail "block boundaries"
import sys
n = open(sys.argv[1], "rb").read().count(b"\x00\x00\xff\xff")
assert n >= 3, n
PY

umoci unpack --rootless --image gz:v1 bundle >umoci.log 2>&1 || { cat umoci.log; fail "umoci unpack"; }
diff -r model bundle/rootfs/models/model || fail "umoci: files differ"

skopeo copy -q --dest-compress --dest-compress-format zstd oci:gz:v1 oci:conv:v1 >skopeo.log 2>&1 ||
	{ cat skopeo.log; fail "skopeo copy"; }
i=0
for l in $(oci_layers conv v1); do
	id=sha256:$(zstd -qdc "$(oci_blob conv "$l")" | sha256sum | cut -d' ' -f1)
	expect_eq "$id" "$(oci_json gz v1 "c['rootfs']['diff_ids'][$i]")" "skopeo's reading of layer $i"
	i=$((i + 1))
done
expect_eq 2 "$i" "skopeo layers"
exit 0
