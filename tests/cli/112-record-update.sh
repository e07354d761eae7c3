# `xpship record update [--check] RECORD`: the digests of the record's local
# files refreshed in place — comments and formatting kept, quoted and missing
# digests handled, remote data left alone; --check reports stale digests with
# positions (exit 1); an unreadable file writes nothing (exit 4).
. "$TESTS_DIR/lib.sh"

TPL=$TESTS_DIR/../templates
cp -R "$TPL/experiment.yaml" "$TPL/example" .
sum() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }

# up to date: nothing written
cp experiment.yaml before.yaml
run xp record update experiment.yaml
expect_rc 0
expect_out <<'END'
experiment.yaml: up to date
END
cmp -s before.yaml experiment.yaml || fail "an up-to-date record was rewritten"
run xp record update --check experiment.yaml
expect_rc 0
expect_out_empty
expect_err_empty

# change a model file and a dataset: --check names them with positions
old_onnx=$(sum example/model/model.onnx)
old_train=$(sum example/data/train.csv)
printf 'retrained' >>example/model/model.onnx
printf '9,9\n' >>example/data/train.csv
new_onnx=$(sum example/model/model.onnx)
new_train=$(sum example/data/train.csv)
line_train=$(grep -n "digest: $old_train" experiment.yaml | cut -d: -f1)
line_art=$(grep -n "digest: $old_onnx" experiment.yaml | head -n 1 | cut -d: -f1)
line_file=$(grep -n "digest: $old_onnx" experiment.yaml | tail -n 1 | cut -d: -f1)
run xp record update --check experiment.yaml
expect_rc 1
expect_out_empty
expect_err <<END
experiment.yaml:$line_train:13: error: data[0] 'example/data/train.csv': digest stale, the file has $new_train
experiment.yaml:$line_art:17: error: runs[1].artifacts[0] 'example/model/model.onnx': digest stale, the file has $new_onnx
experiment.yaml:$line_file:15: error: model.files[0] 'example/model/model.onnx': digest stale, the file has $new_onnx
END
cmp -s before.yaml experiment.yaml || fail "--check wrote the record"

run xp record update experiment.yaml
expect_rc 0
expect_out <<END
data[0] example/data/train.csv: $old_train -> $new_train
runs[1].artifacts[0] example/model/model.onnx: $old_onnx -> $new_onnx
model.files[0] example/model/model.onnx: $old_onnx -> $new_onnx
END
# only the three digests changed: comments and everything else kept
diff before.yaml experiment.yaml | grep '^[<>]' | sed 's/sha256:[0-9a-f]*/D/' | sort | uniq -c |
	awk '{n += $1} END {exit n == 6 ? 0 : 1}' || fail "more than the digests changed: $(diff before.yaml experiment.yaml)"
grep -q "^    path: example/data/train.csv        # local: checked by \`xpship validate\`" experiment.yaml ||
	fail "comment lost"
run xp validate experiment.yaml
expect_rc 0
run xp pack -o out -t v1 --experiment experiment.yaml example/model
expect_rc 0

# quoted digests, a missing digest (added below its path), remote data untouched
cat >q.yaml <<END
apiVersion: xpship/v1
kind: Experiment
metadata: {name: q, id: q-1}
data:
  - name: train   # the training set
    path: "example/data/train.csv"
    digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000"
  - name: remote
    uri: s3://bucket/x.csv
    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111
runs:
  - id: r1
    metrics: {accuracy: 0.9}
selected: r1
model:
  files:
    - path: example/model/config.json
      # no digest yet
    - digest: 'sha256:2222222222222222222222222222222222222222222222222222222222222222'
      path: example/model/tokenizer/vocab.txt
END
run xp record update q.yaml
expect_rc 0
python3 - q.yaml "$new_train" "$(sum example/model/config.json)" "$(sum example/model/tokenizer/vocab.txt)" <<'PY' || fail "quoted/missing digests"
import sys, yaml
path, train, config, vocab = sys.argv[1:]
r = yaml.safe_load(open(path))
assert r["data"][0]["digest"] == train, r["data"][0]
assert r["data"][1]["digest"] == "sha256:" + "1" * 64
assert r["model"]["files"][0] == {"path": "example/model/config.json", "digest": config}, r["model"]["files"]
assert r["model"]["files"][1]["digest"] == vocab
text = open(path).read()
assert '    digest: "' + train + '"' in text, "quotes lost"
assert "  - name: train   # the training set" in text
PY

# a file that cannot be read: exit 4 with the entry's position, nothing written
cp q.yaml q.before
rm example/model/config.json
run xp record update q.yaml
expect_rc 4
expect_err <<'END'
q.yaml:17:13: error: model.files[0]: cannot open 'example/model/config.json': No such file or directory
END
cmp -s q.before q.yaml || fail "a failed update wrote the record"
ls -A | grep -q '^\.q\.yaml\|tmp' && fail "temporary file left: $(ls -A)"

# a flow mapping without a digest: refused with the digest to add
printf 'apiVersion: xpship/v1\nkind: Experiment\nmodel:\n  files:\n    - {path: example/model/model.onnx}\n' >f.yaml
run xp record update f.yaml
expect_rc 3
expect_err <<END
f.yaml:5:7: error: 'model.files[0]' has no digest and is not a block mapping: add 'digest: $new_onnx' by hand
END
# one digest shared through a YAML alias: the same value is one edit; files
# that differ cannot share it
cat >a.yaml <<END
apiVersion: xpship/v1
kind: Experiment
model:
  files:
    - path: example/model/model.onnx
      digest: &d sha256:0000000000000000000000000000000000000000000000000000000000000000
    - path: example/model/model.onnx
      digest: *d
END
run xp record update a.yaml
expect_rc 0
[ "$(grep -c "$new_onnx" a.yaml)" = 1 ] || fail "alias: $(cat a.yaml)"
sed -i '7s|example/model/model.onnx|example/model/tokenizer/vocab.txt|' a.yaml
sed -i "s|$new_onnx|sha256:0000000000000000000000000000000000000000000000000000000000000000|" a.yaml
cp a.yaml a.before
run xp record update a.yaml
expect_rc 3
expect_err <<'END'
a.yaml:6:15: error: this digest is shared (a YAML alias) by files whose digests differ: give each entry its own
END
cmp -s a.before a.yaml || fail "a refused update wrote the record"

run xp record
expect_rc 2
run xp record update
expect_rc 2
exit 0
