# Local files: every path exists, is a regular file and matches its digest. A
# file whose bytes changed after it was recorded fails with the digest finding
# (the forgery test); --no-digest-check still checks existence; a file that
# exists but cannot be read is exit 4.
. "$TESTS_DIR/lib.sh"
cp -r "$DATA"/experiment/valid.yaml "$DATA"/experiment/files .

run xp validate valid.yaml
expect_rc 0

# one byte changed in the training data: the record no longer describes it
printf '3,1\n' >> files/train.csv
run xp validate valid.yaml
expect_rc 1
expect_err <<END
valid.yaml:18:13: error: digest mismatch for 'files/train.csv': the file has sha256:$(sha256sum files/train.csv | cut -d' ' -f1)
END
expect_out <<'END'
valid.yaml: invalid: 1 error
END
run xp validate --format json valid.yaml
expect_rc 1
python3 - "$T/.out" <<'PY' || fail "digest finding in json"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert [(x["code"], x["line"], x["column"]) for x in f] == [("digest-mismatch", 18, 13)], f
PY

# same length, different bytes: still caught (no size shortcut)
cp "$DATA"/experiment/files/train.csv files/train.csv
sed -i 's/2,1/2,0/' files/train.csv
run xp validate valid.yaml
expect_rc 1
expect_err_has "valid.yaml:18:13: error: digest mismatch for 'files/train.csv'"

# --no-digest-check: existence only
run xp validate --no-digest-check valid.yaml
expect_rc 0
expect_err_empty

# a model file referenced twice (artifact and model.files) is reported twice
printf 'tampered\n' > files/model.bin
run xp validate --no-digest-check valid.yaml
expect_rc 0
run xp validate valid.yaml
expect_rc 1
have=sha256:$(sha256sum files/model.bin | cut -d' ' -f1)
expect_err <<END
valid.yaml:18:13: error: digest mismatch for 'files/train.csv': the file has sha256:$(sha256sum files/train.csv | cut -d' ' -f1)
valid.yaml:44:41: error: digest mismatch for 'files/model.bin': the file has $have
valid.yaml:50:39: error: digest mismatch for 'files/model.bin': the file has $have
END
cp -r "$DATA"/experiment/files/. files/

# missing files and directories where files belong
rm files/req.lock
rm -r files/mlrun
mkdir files/model.bin.d
sed -i 's|path: files/model.bin, digest|path: files/model.bin.d, digest|' valid.yaml
run xp validate --no-digest-check valid.yaml
expect_rc 1
expect_err <<'END'
valid.yaml:14:20: error: file 'files/req.lock' does not exist
valid.yaml:42:17: error: directory 'files/mlrun' does not exist
valid.yaml:44:16: error: 'files/model.bin.d' is not a regular file
valid.yaml:50:14: error: 'files/model.bin.d' is not a regular file
END

# paths start at the record's directory: the message says where it looked
mkdir sub
cp valid.yaml sub/
run xp validate --no-digest-check sub/valid.yaml
expect_rc 1
expect_err_has "sub/valid.yaml:14:20: error: file 'files/req.lock' does not exist (looked for 'sub/files/req.lock')"

# exists but cannot be read (a symlink loop; tests run as root, so no chmod):
# the finding is reported with the others and the exit code is 4
cp "$DATA"/experiment/valid.yaml valid.yaml
rm -r files
cp -r "$DATA"/experiment/files .
ln -sf loop files/loop
sed -i 's|files/train.csv|files/loop|' valid.yaml
run xp validate valid.yaml
expect_rc 4
expect_err <<'END'
valid.yaml:17:11: error: cannot read 'files/loop': Too many levels of symbolic links
END
expect_out <<'END'
valid.yaml: invalid: 1 error
END
run xp validate --format sarif valid.yaml
expect_rc 4
expect_out_has '"ruleId": "unreadable-file"'
exit 0
