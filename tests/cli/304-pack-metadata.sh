# `pack --experiment --decision --label`: the metadata as manifest
# annotations and identical config labels, the records riding along under
# <prefix>/.xpship/, labels overriding; malformed records are refused with
# their positions.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/pack.sh"

rec=$PWD/experiment.yaml
dec=$DATA/pack/decision.json
pack_model model
record_for model "$rec"
run xp pack -o out -t v1 --experiment "$rec" --decision "$dec" --label team=churn \
	--label org.opencontainers.image.version=1.4.1 model
expect_rc 0
expect_err_empty

oci_json out v1 'json.dumps(m["annotations"], sort_keys=True, indent=1)' >annotations.json
# the selected run's metrics, flat, in source order: inline, then its metrics
# file (the evaluated metrics; keys already seen skipped), then the MLflow run
metrics=$(/usr/bin/python3 - "$TESTS_DIR/../templates/example" <<'PY'
import json, sys
ex = sys.argv[1]
flat = {"accuracy": 0.931, "latency.p95_ms": 84, "loss": 0.31}
def walk(prefix, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(prefix + k + ".", x)
    else:
        flat.setdefault(prefix[:-1], v)
walk("", json.load(open(ex + "/metrics/run-2.json")))
flat.setdefault("roc_auc", 0.958)
flat["train_time_s"] = 412.5
print(json.dumps(json.dumps(flat, separators=(",", ":"))))
PY
)
cat >expected.json <<END
{
 "dev.xpship.decision.digest": "sha256:$(sha256sum "$dec" | cut -d' ' -f1)",
 "dev.xpship.experiment.digest": "sha256:$(sha256sum "$rec" | cut -d' ' -f1)",
 "dev.xpship.experiment.id": "exp-2026-11-churn-042",
 "dev.xpship.gate.verdict": "pass",
 "dev.xpship.metrics": $metrics,
 "dev.xpship.model.format": "onnx",
 "dev.xpship.model.framework": "scikit-learn",
 "dev.xpship.objective": "accuracy:maximize",
 "dev.xpship.parameters": "{\"learning_rate\":0.01,\"max_depth\":6}",
 "org.opencontainers.image.authors": "ml-team@example.com",
 "org.opencontainers.image.created": "1970-01-01T00:00:00Z",
 "org.opencontainers.image.description": "Gradient-boosted churn classifier retrained on the November snapshot; random search over learning rate and tree depth.",
 "org.opencontainers.image.licenses": "Apache-2.0",
 "org.opencontainers.image.revision": "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e",
 "org.opencontainers.image.source": "https://github.com/example/churn",
 "org.opencontainers.image.title": "churn-classifier",
 "org.opencontainers.image.version": "1.4.1",
 "team": "churn"
}
END
expect_file_same expected.json annotations.json
# the config carries the same as Labels
expect_eq "$(oci_json out v1 'm["annotations"]')" "$(oci_json out v1 'c["config"]["Labels"]')" "labels"
# the records ride along in the small-files layer
umoci unpack --rootless --image out:v1 bundle >umoci.log 2>&1 || { cat umoci.log; fail "umoci"; }
expect_file_same "$rec" bundle/rootfs/models/.xpship/experiment.yaml
expect_file_same "$dec" bundle/rootfs/models/.xpship/decision.json
diff -r model bundle/rootfs/models/model || fail "model files"
# --prefix moves them along
run xp pack -o out -t v2 --prefix /opt/ml/ --decision "$dec" model
expect_rc 0
rm -rf bundle && umoci unpack --rootless --image out:v2 bundle >umoci.log 2>&1 || fail "umoci v2"
expect_eq "decision.json" "$(ls bundle/rootfs/opt/ml/.xpship)" "prefixed records"
run xp pack -o out -t v3 --prefix / model/config.json
expect_rc 0
rm -rf bundle && umoci unpack --rootless --image out:v3 bundle >umoci.log 2>&1 || fail "umoci v3"
expect_eq "config.json" "$(ls bundle/rootfs)" "root prefix"

# a failing verdict is recorded as it is (pack does not gate)
sed 's/"verdict":"pass"/"verdict":"fail"/' "$dec" >failed.json
run xp pack -o out -t v4 --decision failed.json model
expect_rc 0
expect_eq "fail" "$(oci_json out v4 'm["annotations"]["dev.xpship.gate.verdict"]')"

# malformed records
printf '{"verdict": "pass",\n  "rules": [}\n' >broken.json
run xp pack -o out -t v5 --decision broken.json model
expect_rc 3
expect_err <<'END'
broken.json:2:13: error: unexpected token near '}'
END
echo '{"verdict": "maybe"}' >maybe.json
run xp pack -o out -t v5 --decision maybe.json model
expect_rc 3
expect_err <<'END'
xpship: error: malformed decision record 'maybe.json': expected a "verdict" of "pass", "pass-with-waivers" or "fail"
END
echo '[1]' >list.json
run xp pack -o out -t v5 --decision list.json model
expect_rc 3
expect_err_has 'expected a "verdict" of "pass", "pass-with-waivers" or "fail"'
run xp pack -o out -t v5 --decision nothere.json model
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'nothere.json': No such file or directory
END
printf 'apiVersion: xpship/v1\nkind: Experiment\nmetadata: [1\n' >bad.yaml
run xp pack -o out -t v5 --experiment bad.yaml model
expect_rc 3
expect_err_has "bad.yaml:"
expect_out_empty
run xp pack -o out -t v5 --label $'k=bad\xff' model
expect_rc 2
expect_err <<'END'
xpship: error: invalid annotation 'k': key and value must be non-empty UTF-8
END
[ "$(oci_json out v1 'len(m["annotations"])')" = 18 ] || fail "v1 changed"
python3 -c 'import json;ix=json.load(open("out/index.json"));assert "v5" not in [m["annotations"]["org.opencontainers.image.ref.name"] for m in ix["manifests"]]' || fail "v5 tagged"
exit 0
