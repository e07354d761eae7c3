# tests/helpers/pack.sh — fixtures and OCI layout queries for the pack tests.
#
#   . "$TESTS_DIR/helpers/pack.sh"
#   pack_model DIR [SIZE]   copy tests/data/pack/model to DIR and add weights.bin
#                           (SIZE bytes, default 1.5 MiB: a layer of its own; fixed
#                           pseudo-random content) and a relative link
#   record_for DIR REC      write REC: the template experiment record whose
#                           model.files lists DIR's regular files with their
#                           digests (DIR relative to REC's directory), and the
#                           files the record names next to it (example/)
#   oci_manifest OUT TAG    the manifest JSON a layout's tag names (stdout)
#   oci_blob OUT DIGEST     a blob of a layout (path on stdout)
#   oci_layers OUT TAG      the manifest's layer digests, one a line
#   oci_json OUT TAG EXPR   a Python expression over m (manifest) and c (config)
pack_model() {
	local dir=$1 size=${2:-1572864}
	mkdir -p "$dir"
	cp -R "$DATA/pack/model/." "$dir/"
	python3 - "$dir/weights.bin" "$size" <<'PY'
import hashlib, sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as f:
    block, n = b"xpship-weights", 0
    while n < size:
        block = hashlib.sha256(block).digest() * 1024
        f.write(block[: size - n])
        n += len(block[: size - n])
PY
	ln -s config.json "$dir/config-link.json"
}

record_for() {
	[ -d "$(dirname "$2")/example" ] || cp -R "$TESTS_DIR/../templates/example" "$(dirname "$2")/"
	python3 - "$TESTS_DIR/../templates/experiment.yaml" "$1" "$2" <<'PY'
import hashlib, os, sys
tpl, model, rec = sys.argv[1:]
text = open(tpl).read()
head = text[: text.index("\n  files:")]
lines = ["  files:"]
for root, dirs, files in sorted(os.walk(model)):
    dirs.sort()
    for f in sorted(files):
        p = os.path.join(root, f)
        if os.path.islink(p) or not os.path.isfile(p):
            continue
        d = hashlib.sha256(open(p, "rb").read()).hexdigest()
        lines += ["    - path: " + p, "      digest: sha256:" + d]
open(rec, "w").write(head + "\n" + "\n".join(lines) + "\n")
PY
}

oci_manifest() {
	python3 - "$1" "$2" <<'PY'
import json, sys
out, tag = sys.argv[1], sys.argv[2]
ix = json.load(open(out + "/index.json"))
for m in ix["manifests"]:
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
        sys.stdout.write(open(out + "/blobs/sha256/" + m["digest"][7:]).read())
        break
else:
    sys.exit("no tag " + tag)
PY
}

oci_blob() { echo "$1/blobs/sha256/${2#sha256:}"; }

oci_layers() {
	oci_manifest "$1" "$2" | python3 -c '
import json, sys
for l in json.load(sys.stdin)["layers"]:
    print(l["digest"])'
}

oci_json() {
	oci_manifest "$1" "$2" | python3 -c '
import json, sys
m = json.load(sys.stdin)
c = json.load(open(sys.argv[1] + "/blobs/sha256/" + m["config"]["digest"][7:]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v, sort_keys=True))' "$1" "$3"
}
