# `pack --format modelpack`: a CNCF ModelPack artifact, checked field by field
# against the layers' own content: artifactType, config and layer media types,
# org.cncf.model.filepath and file metadata annotations, modelfs.diffIds.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

rec=$PWD/experiment.yaml
pack_model model
record_for model "$rec"
for c in none gzip; do
	run xp pack -o mp-$c -t v1 --format modelpack --compression $c --experiment "$rec" \
		--decision "$DATA/pack/decision.json" model
	expect_rc 0
	expect_err_empty
	skopeo inspect --raw oci:mp-$c:v1 >raw.json 2>skopeo.err || { cat skopeo.err; fail "skopeo"; }
	oci_manifest mp-$c v1 | cmp -s - raw.json || fail "skopeo reads another manifest"
	python3 - mp-$c "$c" <<'PY' || fail "modelpack fields ($c)"
import gzip, hashlib, io, json, sys, tarfile, datetime
out, comp = sys.argv[1], sys.argv[2]
def blob(d): return open(out + "/blobs/sha256/" + d[7:], "rb").read()
ix = json.load(open(out + "/index.json"))
m = json.loads(blob(ix["manifests"][0]["digest"]))
assert m["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
assert m["artifactType"] == "application/vnd.cncf.model.manifest.v1+json"
assert m["config"]["mediaType"] == "application/vnd.cncf.model.config.v1+json"
c = json.loads(blob(m["config"]["digest"]))
assert c["descriptor"] == {
    "createdAt": "1970-01-01T00:00:00Z", "authors": ["ml-team@example.com"],
    "name": "churn-classifier", "version": "1.4.0", "title": "churn-classifier",
    "description": "Gradient-boosted churn classifier retrained on the November snapshot; random search over learning rate and tree depth.",
    "sourceURL": "https://github.com/example/churn",
    "revision": "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e", "licenses": ["Apache-2.0"]}, c["descriptor"]
assert c["config"] == {"format": "onnx"}, c["config"]
assert c["modelfs"]["type"] == "layers"
kinds = {"models/.xpship/decision.json": "doc", "models/.xpship/experiment.yaml": "doc",
         "models/model/README.md": "doc", "models/model/config-link.json": "weight.config",
         "models/model/config.json": "weight.config", "models/model/src/serve.py": "code",
         "models/model/weights.bin": "weight"}
suffix = "tar" if comp == "none" else "tar+" + comp
paths, ids = [], []
for l in m["layers"]:
    path = l["annotations"]["org.cncf.model.filepath"]
    paths.append(path)
    assert l["mediaType"] == "application/vnd.cncf.model.%s.v1.%s" % (kinds[path], suffix), (path, l["mediaType"])
    data = blob(l["digest"])
    assert hashlib.sha256(data).hexdigest() == l["digest"][7:] and len(data) == l["size"]
    raw = gzip.decompress(data) if comp == "gzip" else data
    ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        members = [x for x in t.getmembers() if not x.isdir()]
        assert [x.name for x in members] == [path], (path, [x.name for x in members])
        x = members[0]
    meta = json.loads(l["annotations"]["org.cncf.model.file.metadata+json"])
    assert list(meta) == ["name", "mode", "uid", "gid", "size", "mtime", "typeflag"], list(meta)
    want = {"name": path.rsplit("/", 1)[1], "mode": x.mode, "uid": x.uid, "gid": x.gid,
            "size": x.size,
            "mtime": datetime.datetime.fromtimestamp(x.mtime, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "typeflag": ord(x.type)}
    assert meta == want, (meta, want)
assert paths == sorted(kinds), paths
assert c["modelfs"]["diffIds"] == ids
assert m["annotations"]["dev.xpship.gate.verdict"] == "pass"
PY
done
# the weights layer is the same blob as in an image pack (same tar)
run xp pack -o img -t v1 model
expect_rc 0
expect_eq "$(oci_layers img v1 | head -1)" \
	"$(oci_json mp-none v1 '[l["digest"] for l in m["layers"] if l["annotations"]["org.cncf.model.filepath"].endswith("weights.bin")][0]')" "shared weights blob"
# an empty directory gets a layer of its own; its parent does not
mkdir -p model/empty/inner
run xp pack -o mp-dirs -t v1 --format modelpack model
expect_rc 0
expect_eq '["models/model/empty/inner"]' \
	"$(oci_json mp-dirs v1 '[l["annotations"]["org.cncf.model.filepath"] for l in m["layers"] if "empty" in l["annotations"]["org.cncf.model.filepath"]]')" "empty directories"
expect_eq 53 "$(oci_json mp-dirs v1 'json.loads([l for l in m["layers"] if "empty" in l["annotations"]["org.cncf.model.filepath"]][0]["annotations"]["org.cncf.model.file.metadata+json"])["typeflag"]')" "directory typeflag"
exit 0
