# `inspect`: tags, digests, layers, metadata and metrics of a packed bundle, as
# text and JSON, from a layout, an archive and a registry (where unpack works
# too); a bad metrics annotation is a warning; usage errors.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

pack_model model
run xp pack -o out -t v1 --experiment "$DATA/pack/experiment.yaml" --label team=ml model
expect_rc 0
digest=$(out)
run xp pack -o out -t latest --experiment "$DATA/pack/experiment.yaml" --label team=ml model
expect_out <<END
$digest
END
set -- $(oci_layers out v1)
config=$(oci_json out v1 'm["config"]["digest"]')
csize=$(oci_json out v1 'm["config"]["size"]')
exp_digest=sha256:$(sha256sum "$DATA/pack/experiment.yaml" | cut -d' ' -f1)
run xp inspect oci:out:v1
expect_rc 0
expect_err_empty
expect_out <<END
bundle    oci:out
tags      latest, v1
digest    $digest
type      image linux/amd64
config    $config application/vnd.oci.image.config.v1+json ($csize B)
layers    2, 1.5 MiB
  $1    1.5 MiB  tar                   models/model/weights.bin
  $2    7.5 KiB  tar                   -
metadata
  dev.xpship.experiment.digest      $exp_digest
  dev.xpship.experiment.id          exp-tiny-001
  dev.xpship.objective              accuracy:maximize
  org.opencontainers.image.created  1970-01-01T00:00:00Z
  org.opencontainers.image.title    tiny
  org.opencontainers.image.version  0.1.0
  team                              ml
metrics
  accuracy        0.9
  latency.p95_ms  12
END

run xp inspect --json out
expect_rc 2
expect_err <<'END'
xpship: error: 'oci:out' has several tags (latest, v1): name one, as in 'oci:out:TAG'
END
run xp inspect --json "oci:out@$digest"
expect_rc 0
python3 - "$T/.out" "$digest" "$1" "$2" <<'PY' || fail "inspect --json"
import json, sys
j = json.load(open(sys.argv[1]))
assert list(j)[0] == "schema" and j["schema"] == "https://xpship.dev/cli/inspect/v1", j
assert j["bundle"] == "oci:out" and j["tags"] == ["latest", "v1"], j
assert j["digest"] == sys.argv[2] and j["mediaType"] == "application/vnd.oci.image.manifest.v1+json"
assert j["artifactType"] is None and j["platform"] == {"os": "linux", "architecture": "amd64"}
assert [l["digest"] for l in j["layers"]] == sys.argv[3:5]
assert [l["path"] for l in j["layers"]] == ["models/model/weights.bin", None]
assert j["layers"][0]["size"] == 1572864 + 5 * 512  # 3 headers, 2 end blocks
assert j["metadata"]["dev.xpship.metrics"] == '{"accuracy":0.9,"latency.p95_ms":12}'
assert j["metrics"] == {"accuracy": 0.9, "latency.p95_ms": 12}, j["metrics"]
PY
expect_out_has '"accuracy": 0.9,'
# jansson's own layout, byte for byte, but for the numbers written exactly
python3 - "$T/.out" <<'PY' || fail "inspect --json layout"
import json, sys
text = open(sys.argv[1]).read()
assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", text
PY

# a label that looks like a placeholder stays a label; the metrics stay metrics
run xp pack -o lab -t v1 --experiment "$DATA/pack/experiment.yaml" --label metrics=@metrics@ \
	--label note='"metrics": "@metrics@"' model
expect_rc 0
run xp inspect --json oci:lab:v1
expect_rc 0
python3 - "$T/.out" <<'PY' || fail "inspect --json with placeholder labels"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["metadata"]["metrics"] == "@metrics@", j["metadata"]
assert j["metadata"]["note"] == '"metrics": "@metrics@"', j["metadata"]
assert j["metrics"] == {"accuracy": 0.9, "latency.p95_ms": 12}, j["metrics"]
PY

# an archive, a ModelPack artifact
run xp pack -o mp.tar -t v1 --format modelpack model
expect_rc 0
run xp inspect mp.tar
expect_rc 0
expect_out_has "type      application/vnd.cncf.model.manifest.v1+json"
expect_out_has "weight.v1.tar         models/model/weights.bin"
expect_out_has "code.v1.tar           models/model/src/serve.py"
expect_out_lacks "metrics"

# a metrics annotation that is not a metrics object
run xp pack -o odd -t v1 --label 'dev.xpship.metrics={"accuracy":"high"}' model
expect_rc 0
run xp inspect oci:odd:v1
expect_rc 0
expect_err <<'END'
dev.xpship.metrics:1:13: warning: ignoring the bundle's metrics: metric 'accuracy' must be a number, found string 'high'
END
expect_out_lacks "metrics"

# through a registry
. "$TESTS_DIR/helpers/registry.sh"
reg_start plain plain || fail "registry did not start"
run xp push --plain-http oci:out:v1 "$REG_ADDR/team/model:v1"
expect_rc 0
run xp inspect --plain-http "$REG_ADDR/team/model:v1"
expect_rc 0
expect_out_has "bundle    $REG_ADDR/team/model"
expect_out_has "tags      v1"
expect_out_has "digest    $digest"
expect_out_has "  accuracy        0.9"
run xp unpack --plain-http "$REG_ADDR/team/model:v1" from-registry
expect_rc 0
diff -r model from-registry/models/model || fail "files from the registry"

# usage
run xp inspect
expect_rc 2
expect_err <<'END'
xpship: error: expected one bundle
Run 'xpship inspect --help' for usage.
END
run xp inspect oci:out:nope
expect_rc 1
expect_err <<'END'
xpship: error: no tag 'nope' in 'oci:out' (tags: latest, v1)
END
exit 0
