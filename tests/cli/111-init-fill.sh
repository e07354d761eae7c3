# `xpship init --model --metrics --data --lockfile`: the record's digests and
# metrics filled from the files (paths relative to the record), so it
# validates and packs as written; unreadable or malformed inputs are refused
# before anything is created.
. "$TESTS_DIR/lib.sh"
export SOURCE_DATE_EPOCH=1795167000

mkdir -p work/model/tokenizer work/data
printf 'weights' >work/model/model.onnx
printf '{"k": 1}' >'work/model/tokenizer/vocab list.json'
ln -s model.onnx work/model/link.onnx
printf 'x,y\n1,2\n' >work/data/train.csv
printf 'x,y\n3,4\n' >work/data/test.v2.csv
printf 'numpy==1.24\n' >work/requirements.lock
cat >work/metrics.yaml <<'END'
accuracy: 0.931
latency: {p95_ms: 84}
loss: [0.9, 0.31]
END
sum() { sha256sum "$1" | cut -d' ' -f1; }

run xp init --model work/model --metrics work/metrics.yaml --data work/data/train.csv \
	--data work/data/test.v2.csv --data work/data/train.csv --lockfile work/requirements.lock rec
expect_rc 0
expect_out <<'END'
wrote rec/experiment.yaml
END
python3 - rec/experiment.yaml "$(sum work/model/model.onnx)" \
	"$(sum 'work/model/tokenizer/vocab list.json')" "$(sum work/data/train.csv)" \
	"$(sum work/data/test.v2.csv)" "$(sum work/requirements.lock)" <<'PY' || fail "filled record"
import sys, yaml
rec, onnx, vocab, train, test, lock = sys.argv[1:]
r = yaml.safe_load(open(rec))
assert r["model"]["files"] == [
    {"path": "../work/model/model.onnx", "digest": "sha256:" + onnx},
    {"path": "../work/model/tokenizer/vocab list.json", "digest": "sha256:" + vocab},
], r["model"]["files"]
assert r["data"] == [
    {"name": "train", "path": "../work/data/train.csv", "digest": "sha256:" + train},
    {"name": "test", "path": "../work/data/test.v2.csv", "digest": "sha256:" + test},
    {"name": "train-2", "path": "../work/data/train.csv", "digest": "sha256:" + train},
], r["data"]
assert r["environment"] == {"lockfile": {"path": "../work/requirements.lock",
                                         "digest": "sha256:" + lock}}, r["environment"]
run = r["runs"][0]
assert run["metrics"] == {"accuracy": 0.931, "latency": {"p95_ms": 84}, "loss": [0.9, 0.31]}
assert "artifacts" not in run
PY
run xp validate rec/experiment.yaml
expect_rc 0
expect_err_empty
# the record packs as written: its model.files are what is packed
run xp pack -o out -t v1 --experiment rec/experiment.yaml work/model
expect_rc 0
expect_err_empty

# parts not given are comments: valid, with their warnings
run xp -q init --model work/model/model.onnx --metrics work/metrics.yaml
expect_rc 0
run xp validate experiment.yaml
expect_rc 0
expect_err <<'END'
experiment.yaml:5:1: warning: missing recommended key 'environment'
experiment.yaml:5:1: warning: missing recommended key 'data'
END
grep -q '^    - path: work/model/model.onnx$' experiment.yaml || fail "single model file"
run xp -q init --data work/data/train.csv only-data
expect_rc 0
run xp validate only-data/experiment.yaml
expect_rc 0
grep -q '^#   files:' only-data/experiment.yaml || fail "model placeholder not a comment"

# inputs that cannot be used: refused, nothing created
run xp init --model nothere --metrics work/metrics.yaml bad1
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'nothere': No such file or directory
END
printf 'accuracy: [oops\n' >bad.yaml
run xp init --metrics bad.yaml bad2
expect_rc 3
expect_err_has "bad.yaml:"
printf 'accuracy: .nan\n' >nan.yaml
run xp init --metrics nan.yaml bad3
expect_rc 3
expect_err_has "nan.yaml:1:11:"
mkdir empty
run xp init --model empty bad4
expect_rc 4
expect_err <<'END'
xpship: error: 'empty' holds no files
END
for d in bad1 bad2 bad3 bad4; do [ ! -e $d ] || fail "$d created"; done
exit 0
