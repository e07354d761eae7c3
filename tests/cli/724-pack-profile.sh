# `pack --profile`: the profile in a layer of its own at
# <prefix>/.xpship/profile.json with its digest in dev.xpship.profile.digest
# (manifest annotation and config label); `attest` lists it in the
# provenance; `drift --reference BUNDLE` reads it from a layout, an archive
# and a registry, fetching the profile layer alone (the weights' layer is
# never asked for: counted in the fault proxy's request log) and gives what
# the profile file gives.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/fault_proxy.sh"
export SOURCE_DATE_EPOCH=1764064800 XPSHIP_REGISTRY_RETRY_DELAY_MS=1

/usr/bin/python3 - <<'PY'
import random
r = random.Random(7)
with open("train.csv", "w") as f:
    f.write("age,income,city\n")
    for i in range(3000):
        f.write("%d,%.2f,%s\n" % (r.randint(18, 80), r.lognormvariate(10, 0.5), r.choice("abc")))
with open("prod.csv", "w") as f:
    f.write("age,income,city\n")
    for i in range(800):
        f.write("%d,%.2f,%s\n" % (r.randint(25, 90), r.lognormvariate(10, 0.5), r.choice("abcd")))
PY
mkdir model
head -c 2200000 /dev/urandom >model/weights.bin
echo '{"layers": 3}' >model/config.json
xp profile --sample 500 -o prof.json train.csv || fail "profile"
PD=sha256:$(sha256sum prof.json | cut -d' ' -f1)

run xp pack -o oci:bundle -t v1 --profile prof.json model/weights.bin model/config.json
expect_rc 0
/usr/bin/python3 - "$PD" <<'PY' || fail "bundle layout"
import json, sys
want = sys.argv[1]
idx = json.load(open("bundle/index.json"))
blob = lambda d: open("bundle/blobs/sha256/" + d.split(":")[1], "rb").read()
m = json.loads(blob(idx["manifests"][0]["digest"]))
assert m["annotations"]["dev.xpship.profile.digest"] == want, m["annotations"]
paths = [l.get("annotations", {}).get("dev.xpship.path") for l in m["layers"]]
assert "models/.xpship/profile.json" in paths, paths
assert "models/weights.bin" in paths, paths
cfg = json.loads(blob(m["config"]["digest"]))
assert cfg["config"]["Labels"]["dev.xpship.profile.digest"] == want
PY

xp drift -r prof.json -c prod.csv -o want.json >want.txt || fail "drift with the profile file"
run xp drift -r oci:bundle:v1 -c prod.csv -o got.json
expect_rc 0
expect_file_same want.json got.json
expect_out_has "KS and Wasserstein from the profile's sample"
expect_out_has "reference: oci:bundle:v1, 3000 rows"

xp pack -o oci-archive:b.tar -t v1 --profile prof.json model/config.json >/dev/null || fail "pack archive"
run xp drift -r oci-archive:b.tar:v1 -c prod.csv -o got2.json
expect_rc 0
expect_file_same want.json got2.json

# no profile in the bundle; a profile that is not one
xp pack -o oci:plain -t v1 model/config.json >/dev/null || fail "pack plain"
run xp drift -r oci:plain:v1 -c prod.csv
expect_rc 3
expect_err_has "has no profile layer (pack it with --profile)"
run xp pack -o oci:bad -t v1 --profile train.csv model/config.json
expect_rc 3
expect_err <<'END'
train.csv:1:3: error: invalid token near 'age'
END
test ! -e bad || fail "a refused pack wrote a layout"

# attest: the provenance lists the profile
xp keygen -t ed25519 -o k >/dev/null || fail "keygen"
xp attest --key k.key -o att.jsonl oci:bundle:v1 >/dev/null || fail "attest"
/usr/bin/python3 - "$PD" <<'PY' || fail "provenance"
import base64, json, sys
env = json.loads(open("att.jsonl").readline())
st = json.loads(base64.b64decode(env["payload"]))
deps = st["predicate"]["buildDefinition"]["resolvedDependencies"]
prof = [d for d in deps if d.get("name") == ".xpship/profile.json"]
assert prof and prof[0]["digest"]["sha256"] == sys.argv[1].split(":")[1], deps
PY

# a registry reference: only the manifest and the profile layer are read
reg_start plain || fail "registry did not start"
xp push --plain-http oci:bundle:v1 "$REG_ADDR/team/churn:prod" >/dev/null || fail "push"
fp_start "$REG_ADDR" || fail "proxy did not start"
WEIGHTS=$(/usr/bin/python3 -c '
import json
idx = json.load(open("bundle/index.json"))
m = json.load(open("bundle/blobs/sha256/" + idx["manifests"][0]["digest"].split(":")[1]))
print([l["digest"] for l in m["layers"] if l.get("annotations", {}).get("dev.xpship.path", "") == "models/weights.bin"][0])')
[ -n "$WEIGHTS" ] || fail "no weights layer"
PROFL=$(/usr/bin/python3 -c '
import json
idx = json.load(open("bundle/index.json"))
m = json.load(open("bundle/blobs/sha256/" + idx["manifests"][0]["digest"].split(":")[1]))
print([l["digest"] for l in m["layers"] if l.get("annotations", {}).get("dev.xpship.path", "").endswith("profile.json")][0])')
run xp drift --plain-http -r "$FP_ADDR/team/churn:prod" -c prod.csv -o got3.json
expect_rc 0
expect_file_same want.json got3.json
expect_eq 0 "$(fp_count GET "/blobs/$WEIGHTS")" "weights layer GETs"
expect_eq 1 "$(fp_count GET "/blobs/$PROFL" 200)" "profile layer GETs"
exit 0
