# Every class of schema finding, each message and position pinned: unknown keys
# (with "did you mean"), missing keys, wrong types, formats, values, conflicts,
# duplicate ids, recommended keys; all reported at once, sorted by position.
. "$TESTS_DIR/lib.sh"
cp "$DATA"/experiment/schema.yaml .

run xp validate schema.yaml
expect_rc 1
expect_out <<'END'
schema.yaml: invalid: 28 errors, 6 warnings
END
expect_err <<'END'
schema.yaml:2:13: error: 'apiVersion' must be 'xpship/v1', found 'xpship/v2'
schema.yaml:5:3: warning: missing recommended key 'metadata.owner'
schema.yaml:5:9: error: 'metadata.name' must not be empty
schema.yaml:6:7: error: 'metadata.id' must match [A-Za-z0-9][A-Za-z0-9._-]* (at most 128 characters), found 'exp 1'
schema.yaml:7:3: error: unknown key 'nmae' in 'metadata' (did you mean 'name'?)
schema.yaml:8:12: error: 'metadata.created' must be an RFC 3339 time like 2026-11-20T09:30:00Z, found '2026-02-30T10:00:00Z'
schema.yaml:11:14: error: 'objective.direction' must be one of maximize, minimize, found 'maximise' (did you mean 'maximize'?)
schema.yaml:13:15: error: 'code.repository' must be a repository URL (https://host/path or git@host:path), found 'tiny'
schema.yaml:14:11: error: 'code.commit' must be a full commit id (40 or 64 lowercase hex digits), found 'ABC123'
schema.yaml:16:10: warning: 'environment.image' is not pinned by digest (append @sha256:...)
schema.yaml:17:3: error: 'environment' takes either 'image' or 'lockfile', not both
schema.yaml:17:20: warning: 'environment.lockfile.path' is an absolute path: the record works only on this machine (use a path relative to the record)
schema.yaml:17:20: error: file '/abs/req.lock' does not exist
schema.yaml:17:43: error: 'environment.lockfile.digest' must be sha256:<64 lowercase hex digits>, found 'sha256:1234'
schema.yaml:20:10: error: 'data[0].uri' must be a URI with a scheme (s3://, https://, ...), found 'bucket/train.csv'
schema.yaml:22:5: error: 'data[1]' needs 'path' or 'uri'
schema.yaml:22:11: error: dataset name 'train' is already used at line 19
schema.yaml:24:5: error: 'data[2]' must be a mapping, found integer '42'
schema.yaml:27:9: error: 'space.runs' must be a positive integer, found 0
schema.yaml:29:17: error: 'space.parameters.lr.range' must be [low, high] with low <= high, found [0.1, 0.001]
schema.yaml:30:19: error: 'space.parameters.depth.enum' must not be empty
schema.yaml:30:23: error: unknown key 'rnage' in 'space.parameters.depth' (did you mean 'range'?)
schema.yaml:31:10: error: 'space.parameters.act' must be a mapping with 'range' or 'enum', found string 'relu'
schema.yaml:33:9: warning: run 'run-1' does not set parameters 'lr', 'depth', 'act' of the search space
schema.yaml:34:13: error: 'runs[0].status' must be one of completed, failed, running, found 'done'
schema.yaml:36:12: error: run 'run-1' ended (2026-11-20T09:31:00Z) before it started (2026-11-20T09:40:00Z)
schema.yaml:37:14: error: 'runs[0].metrics' must be a mapping, found sequence
schema.yaml:39:9: error: run id 'run-1' is already used at line 33
schema.yaml:39:9: warning: run 'run-1' does not set parameters 'lr', 'depth', 'act' of the search space
schema.yaml:39:9: warning: objective metric 'accuracy' is not among the metrics of run 'run-1'
schema.yaml:40:14: error: 'runs[1].started' must be an RFC 3339 time like 2026-11-20T09:30:00Z, found 'yesterday'
schema.yaml:41:10: error: required key 'selected' has no value
schema.yaml:44:12: error: 'model.version' must be a string, found number '1.10' (quote it: '1.10')
schema.yaml:45:10: error: 'model.files' must not be empty
END

# the same findings as JSON: count them by code
run xp validate --format json schema.yaml
expect_rc 1
python3 - "$T/.out" <<'PY' || fail "json findings"
import collections, json, sys
rep = json.load(open(sys.argv[1]))
assert rep["valid"] is False and rep["errors"] == 28 and rep["warnings"] == 6, rep
codes = collections.Counter(f["code"] for f in rep["findings"])
want = {"bad-value": 7, "missing-recommended": 1, "wrong-type": 5, "bad-format": 7,
        "unknown-key": 2, "unpinned-image": 1, "conflicting-keys": 1, "absolute-path": 1,
        "missing-file": 1, "missing-key": 2, "duplicate-id": 2, "missing-param": 2,
        "time-order": 1, "missing-metric": 1}
assert codes == collections.Counter(want), codes
lines = [(f["line"], f["column"]) for f in rep["findings"]]
assert lines == sorted(lines), lines
PY

# required keys are reported at the mapping that lacks them
cat > missing.yaml <<'YAML'
apiVersion: xpship/v1
kind: Experiment
metadata: {name: tiny}
objective: {}
runs: []
model: {files: [{path: m.bin}], framework: 3}
YAML
run xp validate missing.yaml
expect_rc 1
expect_out <<'END'
missing.yaml: invalid: 9 errors, 5 warnings
END
expect_err <<'END'
missing.yaml:1:1: warning: missing recommended key 'code'
missing.yaml:1:1: warning: missing recommended key 'environment'
missing.yaml:1:1: warning: missing recommended key 'data'
missing.yaml:1:1: error: missing required key 'selected'
missing.yaml:3:11: error: missing required key 'metadata.id'
missing.yaml:3:11: warning: missing recommended key 'metadata.owner'
missing.yaml:3:11: warning: missing recommended key 'metadata.created'
missing.yaml:4:12: error: missing required key 'objective.metric'
missing.yaml:4:12: error: missing required key 'objective.direction'
missing.yaml:5:7: error: 'runs' must not be empty
missing.yaml:6:8: error: missing required key 'model.name'
missing.yaml:6:8: error: missing required key 'model.version'
missing.yaml:6:17: error: missing required key 'model.files[0].digest'
missing.yaml:6:24: error: file 'm.bin' does not exist
END
exit 0
