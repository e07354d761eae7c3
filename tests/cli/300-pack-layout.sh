# `pack` into an OCI layout directory: skopeo reads it, umoci unpacks files
# byte-identical to the inputs under /models, the weights get a layer of their
# own and the small files share the last one, written reproducibly.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model
run xp pack -o out -t v1 model
expect_rc 0
expect_err_empty
digest=$(out)
case "$digest" in sha256:????????????????????????????????????????????????????????????????) ;;
*) fail "stdout is not a digest: $digest" ;; esac
[ "$(cat out/oci-layout)" = '{"imageLayoutVersion":"1.0.0"}' ] || fail "oci-layout"

# an independent reader accepts it
skopeo inspect "oci:out:v1" >inspect.json 2>skopeo.err || { cat skopeo.err; fail "skopeo inspect"; }
expect_eq "$digest" "$(python3 -c 'import json;print(json.load(open("inspect.json"))["Digest"])')" "skopeo digest"
expect_eq "linux amd64 2" "$(python3 -c 'import json;d=json.load(open("inspect.json"));print(d["Os"],d["Architecture"],len(d["Layers"]))')" "skopeo platform/layers"

# umoci unpacks exactly the inputs
umoci unpack --rootless --image out:v1 bundle >umoci.log 2>&1 || { cat umoci.log; fail "umoci unpack"; }
diff -r model bundle/rootfs/models/model || fail "unpacked files differ"
expect_eq "config.json" "$(readlink bundle/rootfs/models/model/config-link.json)" "link target"
expect_eq "models" "$(ls bundle/rootfs)" "rootfs content"

# layers: weights alone first, the small rest last; uncompressed media type
expect_eq '["application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar"]' \
	"$(oci_json out v1 '[l["mediaType"] for l in m["layers"]]')" "layer media types"
expect_eq "models/model/weights.bin" "$(oci_json out v1 'm["layers"][0]["annotations"]["dev.xpship.path"]')"
set -- $(oci_layers out v1)
tar tvf "$(oci_blob out "$1")" >big.txt
cat >big.expected <<'END'
drwxr-xr-x 0/0               0 1970-01-01 00:00 models/
drwxr-xr-x 0/0               0 1970-01-01 00:00 models/model/
-rw-r--r-- 0/0         1572864 1970-01-01 00:00 models/model/weights.bin
END
expect_file_same big.expected big.txt
tar tvf "$(oci_blob out "$2")" >small.txt
cat >small.expected <<'END'
drwxr-xr-x 0/0               0 1970-01-01 00:00 models/
drwxr-xr-x 0/0               0 1970-01-01 00:00 models/model/
-rw-r--r-- 0/0              64 1970-01-01 00:00 models/model/README.md
lrwxrwxrwx 0/0               0 1970-01-01 00:00 models/model/config-link.json -> config.json
-rw-r--r-- 0/0              73 1970-01-01 00:00 models/model/config.json
drwxr-xr-x 0/0               0 1970-01-01 00:00 models/model/src/
-rwxr-xr-x 0/0              40 1970-01-01 00:00 models/model/src/serve.py
END
expect_file_same small.expected small.txt
# no user names, no padding past the end-of-archive blocks
tar --numeric-owner -tvf "$(oci_blob out "$2")" >/dev/null || fail "tar"
python3 - "$(oci_blob out "$2")" <<'PY' || fail "small layer header"
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    for m in t.getmembers():
        assert m.uname == "" and m.gname == "", (m.name, m.uname, m.gname)
        assert m.uid == 0 and m.gid == 0 and m.mtime == 0, m.name
size = len(open(sys.argv[1], "rb").read())
assert size == 512 * (7 + 3 + 2), size  # headers, data, end
PY

# the uncompressed layer's digest is its diff_id; history names each layer
expect_eq "$(oci_json out v1 '[l["digest"] for l in m["layers"]]')" \
	"$(oci_json out v1 'c["rootfs"]["diff_ids"]')" "diff_ids"
expect_eq '["models/model/weights.bin", "small files"]' "$(oci_json out v1 '[h["comment"] for h in c["history"]]')"
expect_eq "1970-01-01T00:00:00Z" "$(oci_json out v1 'm["annotations"]["org.opencontainers.image.created"]')"

# every blob is named by its digest; no temporary files are left
for f in out/blobs/sha256/*; do
	expect_eq "$(basename "$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "blob name"
done
expect_eq "" "$(ls -A out/blobs/sha256 | grep '^\.' || true)" "temporary files"
expect_eq "blobs index.json oci-layout" "$(ls -A out | tr '\n' ' ' | sed 's/ $//')" "layout content"
exit 0
