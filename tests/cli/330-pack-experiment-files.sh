# `pack --experiment`: the files packed are the record's model.files, with
# their digests. A changed file, a file the record does not list (unless
# --allow-unlisted) and a listed file left out are refused (exit 1) naming the
# file and where the record lists it; nothing is written.
. "$TESTS_DIR/lib.sh"

TPL=$TESTS_DIR/../templates
cp -R "$TPL/experiment.yaml" "$TPL/example" .
onnx=$(sha256sum example/model/model.onnx | cut -d' ' -f1)
line=$(grep -n 'path: example/model/model.onnx' experiment.yaml | tail -n 1 | cut -d: -f1)

# the record's files, as listed: packed
run xp pack -o ok -t v1 --experiment experiment.yaml example/model
expect_rc 0
expect_err_empty

# a listed file whose bytes changed
printf 'tampered' >>example/model/model.onnx
new=$(sha256sum example/model/model.onnx | cut -d' ' -f1)
run xp pack -o out -t v1 --experiment experiment.yaml example/model
expect_rc 1
expect_err <<END
xpship: error: 'models/model/model.onnx' does not match the record's model.files (experiment.yaml:$line:7): recorded sha256:$onnx, packed sha256:$new
END
[ ! -e out ] || fail "a refused pack left out/"
cp "$TPL/example/model/model.onnx" example/model/model.onnx

# a file the record does not list
echo notes >example/model/NOTES.md
run xp pack -o out -t v1 --experiment experiment.yaml example/model
expect_rc 1
expect_err <<'END'
xpship: error: 'models/model/NOTES.md' is packed but the record's model.files does not list it (list it with its digest, or pass --allow-unlisted)
END
[ ! -e out ] || fail "a refused pack left out/"
run xp pack -o out -t v1 --allow-unlisted --experiment experiment.yaml example/model
expect_rc 0
tar -tf "out/blobs/sha256/$(python3 -c 'import json,sys;ix=json.load(open("out/index.json"));m=json.load(open("out/blobs/sha256/"+ix["manifests"][0]["digest"][7:]));print(m["layers"][-1]["digest"][7:])')" |
	grep -qx 'models/model/NOTES.md' || fail "--allow-unlisted did not pack NOTES.md"
rm example/model/NOTES.md

# a listed file left out (only the tokenizer packed), also through a link
ln -s example/model linked
run xp pack -o out2 -t v1 --experiment experiment.yaml linked/tokenizer linked/config.json
expect_rc 1
expect_err_has "xpship: error: '"
expect_err_has "example/model/model.onnx' is listed in the record's model.files (experiment.yaml:$line:7) but not packed"
[ ! -e out2 ] || fail "a refused pack left out2/"
run xp pack -o out2 -t v1 --experiment experiment.yaml linked/tokenizer linked/config.json linked/model.onnx
expect_rc 0

# a record from another directory: paths are the record's, not the caller's
mkdir sub && cd sub
run xp pack -o out -t v1 --experiment ../experiment.yaml ../example/model
expect_rc 0
exit 0
