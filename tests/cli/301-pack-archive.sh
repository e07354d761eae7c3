# `pack` into an oci-archive (OUT ends in .tar): skopeo reads it, its content is
# the same bundle as a layout's, and a second pack keeps the first tag.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model
run xp pack -o out -t v1 model
expect_rc 0
layout_digest=$(out)
run xp pack -o bundle.tar -t v1 model
expect_rc 0
expect_err_empty
expect_out <<END
$layout_digest
END
skopeo inspect "oci-archive:bundle.tar:v1" >inspect.json 2>skopeo.err || { cat skopeo.err; fail "skopeo inspect"; }
expect_eq "$layout_digest" "$(python3 -c 'import json;print(json.load(open("inspect.json"))["Digest"])')" "skopeo digest"

# the archive is a layout tree; umoci unpacks it
mkdir tree && tar -C tree -xf bundle.tar
umoci unpack --rootless --image tree:v1 rootfs-bundle >umoci.log 2>&1 || { cat umoci.log; fail "umoci unpack"; }
diff -r model rootfs-bundle/rootfs/models/model || fail "unpacked files differ"

# a second tag in the same archive keeps the first; no temporary files beside it
echo '{"threshold": 0.6}' >model/config.json
run xp pack -o bundle.tar -t v2 model
expect_rc 0
v2=$(out)
[ "$v2" != "$layout_digest" ] || fail "v2 has the same digest as v1"
skopeo inspect "oci-archive:bundle.tar:v1" >/dev/null 2>&1 || fail "v1 lost"
skopeo inspect "oci-archive:bundle.tar:v2" >/dev/null 2>&1 || fail "v2 missing"
expect_eq "bundle.tar model out" "$(ls -A | grep -v '^\.' | grep -v -e inspect -e skopeo -e tree -e umoci -e rootfs | tr '\n' ' ' | sed 's/ $//')" "directory"
expect_eq "" "$(ls -A | grep '^\.bundle' || true)" "temporary files"
exit 0
