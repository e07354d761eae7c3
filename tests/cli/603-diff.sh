# `diff A B`: two releases on a real registry, and a registry release against
# a local layout: parameters, metrics with direction-aware deltas (the gate's
# rule for accuracy, the objective otherwise), data digests and the code
# commit from the provenance, files and layers shared, labels, signatures.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/registry.sh"
. "$TESTS_DIR/helpers/history.sh"
export XPSHIP_REGISTRY_RETRY_DELAY_MS=1 XPSHIP_PROMOTE_SETTLE_MS=0 SOURCE_DATE_EPOCH=1764064800
reg_start plain || fail "registry did not start"
R=$REG_ADDR/team/model
hist_init
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 8192)' >model/weights.bin
hist_release "$R" v1 0.80 0.1
v1=$HR_DIGEST
# v2: another learning rate, better accuracy, the same weights, one more file
printf 'extra\n' >model/extra.txt
hist_release "$R" v2 0.85 0.2
v2=$HR_DIGEST
run xp diff --plain-http "$R:v1" "$R:v2"
expect_rc 0
expect_err_empty
sed -n '1,10p' "$T/.out" >head.txt
cat >want.txt <<END
A  $R:v1  $v1
B  $R:v2  $v2

parameters
  lr  0.1 -> 0.2

metrics (delta = B - A)
  accuracy    0.8 -> 0.85  (+0.05, better, higher)
  latency_ms  80 -> 80  (0, same)

END
expect_file_same want.txt head.txt
# the small files, listed from their shared layer; big files by their own layer
sed -n '/^files$/,/^  layers:/p' "$T/.out" >files.txt
cat >want-files.txt <<END
files
  ~ models/.xpship/decision.json  $(stat -c %s rel-v1/decision.json) -> $(stat -c %s rel-v2/decision.json) bytes
  ~ models/.xpship/experiment.yaml  234 -> 234 bytes
  + models/model/extra.txt  - -> 6 bytes
  ~ models/model/model.bin  11 -> 11 bytes
  = models/model/weights.bin  2099712 -> 2099712 bytes (layer)
  layers: 1 shared (2099712 bytes), 1 only in A, 1 only in B
END
expect_file_same want-files.txt files.txt
expect_out_has "  layers: 1 shared (2099712 bytes), 1 only in A, 1 only in B"
expect_out_has "  dev.xpship.experiment.id      exp-v1 -> exp-v2"
expect_out_has "  A: 1 signature(s), 2 attestation(s)"
# JSON, and a side read from a local layout: the same answer
run xp diff --plain-http --json "$R:v1" "oci:rel-v2/b:v2"
expect_rc 0
python3 - "$v1" "$v2" <<'PY' || fail "json: $(cat .out)"
import json, sys
d = json.load(open(".out"))
assert d["a"]["digest"] == sys.argv[1] and d["b"]["digest"] == sys.argv[2], d
assert d["parameters"] == [{"name": "lr", "a": 0.1, "b": 0.2}], d["parameters"]
m = {r["name"]: r for r in d["metrics"]}
assert m["accuracy"] == {"name": "accuracy", "a": 0.8, "b": 0.85, "direction": "higher",
                         "delta": 0.05, "change": "better"}, m
assert m["latency_ms"]["change"] == "same", m
f = {r["path"]: r for r in d["files"]}
assert f["models/model/weights.bin"]["status"] == "same", f
assert f["models/model/extra.txt"] == {"path": "models/model/extra.txt", "a": None, "b": 6,
                                       "status": "added", "layer": False}, f
assert d["layers"]["shared"] == 1 and d["layers"]["shared_bytes"] == 2099712, d["layers"]
assert d["signatures"]["a"]["signatures"] == 1, d["signatures"]
assert d["signatures"]["b"]["signatures"] == 0, d["signatures"]   # the local layout is unsigned
PY
# worse in the gate's direction, and a changed big file; data digests
cat >exp-data.yaml <<'YAML'
apiVersion: xpship/v1
kind: Experiment
metadata: {name: churn, id: exp-d1}
objective: {metric: loss, direction: minimize}
data:
  - {name: train, uri: "s3://bucket/train.csv", digest: "sha256:1111111111111111111111111111111111111111111111111111111111111111"}
runs:
  - id: r
    metrics: {loss: 0.3}
selected: r
YAML
sed -e 's/exp-d1/exp-d2/' -e 's/loss: 0.3/loss: 0.4/' -e 's/1111111111111111/2222222222222222/g' exp-data.yaml >exp-data2.yaml
for n in 1 2; do
	python3 -c "import sys; sys.stdout.buffer.write(bytes([$n]) * 2000000)" >model/weights.bin
	f=exp-data.yaml; [ $n = 2 ] && f=exp-data2.yaml
	xp pack -o oci:d$n -t v --experiment $f model >/dev/null 2>&1 || fail "pack d$n"
	xp attest --key k.key --experiment $f oci:d$n:v >/dev/null 2>&1 || fail "attest d$n"
done
run xp diff oci:d1:v oci:d2:v
expect_rc 0
expect_out_has "  loss  0.3 -> 0.4  (+0.1, worse, lower)"
expect_out_has "  train  sha256:1111111111111111111111111111111111111111111111111111111111111111 -> sha256:2222222222222222222222222222222222222222222222222222222222222222"
expect_out_has "  ~ models/model/weights.bin  2002944 -> 2002944 bytes (layer)"
# errors
run xp diff oci:d1:v
expect_rc 2
run xp diff oci:d1:v oci:nope:v
expect_rc 4
expect_out_empty
