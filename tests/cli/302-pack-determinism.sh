# Packing is reproducible: the same inputs give the same manifest digest (in
# another directory too); changing one small file changes only the small-files
# layer; SOURCE_DATE_EPOCH moves every mtime and the created time; gzip and
# zstd layers are reproducible as well and carry the uncompressed diff_id.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model
run xp pack -o a -t v1 model
expect_rc 0
first=$(out)
run xp pack -o a -t v1 model
expect_out <<END
$first
END
mkdir elsewhere && cp -R model elsewhere/model && touch -d '2001-02-03' elsewhere/model/*
chmod 600 elsewhere/model/config.json
run xp pack -o b -t other elsewhere/model
expect_rc 0
expect_out <<END
$first
END

# one small file changes: the weights layer is shared, the small one is not
set -- $(oci_layers a v1)
big=$1 small=$2
echo '{"threshold": 0.7}' >model/config.json
run xp pack -o a -t v2 model
expect_rc 0
[ "$(out)" != "$first" ] || fail "digest did not change"
set -- $(oci_layers a v2)
expect_eq "$big" "$1" "weights layer"
[ "$2" != "$small" ] || fail "small layer did not change"

# SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=1700000000 run xp pack -o c -t v1 model
expect_rc 0
expect_eq "2023-11-14T22:13:20Z" "$(oci_json c v1 'm["annotations"]["org.opencontainers.image.created"]')"
expect_eq "2023-11-14T22:13:20Z" "$(oci_json c v1 'c["created"]')"
set -- $(oci_layers c v1)
python3 - "$(oci_blob c "$1")" <<'PY' || fail "mtime"
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    assert {m.mtime for m in t.getmembers()} == {1700000000}
PY
SOURCE_DATE_EPOCH=yesterday run xp pack -o c -t v1 model
expect_rc 2
expect_err <<'END'
xpship: error: invalid SOURCE_DATE_EPOCH 'yesterday': expected seconds since 1970
Run 'xpship pack --help' for usage.
END
# past year 9999 a time has no RFC 3339 form for the created annotation
SOURCE_DATE_EPOCH=253402300800 run xp pack -o c -t v2 model
expect_rc 2
expect_out_empty
expect_err <<'END'
xpship: error: invalid SOURCE_DATE_EPOCH '253402300800': expected seconds since 1970
Run 'xpship pack --help' for usage.
END

# compressed layers: reproducible, media types, diff_ids of the uncompressed tar
for c in gzip zstd; do
	run xp pack -o $c -t v1 --compression $c model
	expect_rc 0
	one=$(out)
	run xp pack -o $c-again.tar -t v1 --compression $c model
	expect_out <<END
$one
END
	expect_eq "[\"application/vnd.oci.image.layer.v1.tar+$c\", \"application/vnd.oci.image.layer.v1.tar+$c\"]" \
		"$(oci_json $c v1 '[l["mediaType"] for l in m["layers"]]')" "$c media types"
	ids=""
	for l in $(oci_layers $c v1); do
		if [ $c = gzip ]; then d=$(gzip -dc "$(oci_blob $c "$l")" | sha256sum | cut -d' ' -f1)
		else d=$(zstd -qdc "$(oci_blob $c "$l")" | sha256sum | cut -d' ' -f1); fi
		ids="$ids sha256:$d"
	done
	expect_eq "$ids" "$(oci_json $c v1 '"".join(" " + d for d in c["rootfs"]["diff_ids"])')" "$c diff_ids"
	[ $c = zstd ] && continue # umoci 0.4.7 reads no zstd layers
	umoci unpack --rootless --image $c:v1 $c-bundle >umoci.log 2>&1 || { cat umoci.log; fail "umoci $c"; }
	diff -r model $c-bundle/rootfs/models/model || fail "$c files differ"
done
# the uncompressed diff_ids are the same whatever the compression
expect_eq "$(oci_json a v2 'c["rootfs"]["diff_ids"]')" "$(oci_json zstd v1 'c["rootfs"]["diff_ids"]')" "diff_ids across compressions"
exit 0
