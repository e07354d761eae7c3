# `xpship init [DIR]`: a commented, schema-valid starter record; never overwrites.
. "$TESTS_DIR/lib.sh"
export SOURCE_DATE_EPOCH=1795167000   # 2026-11-20T09:30:00Z

run xp init proj
expect_rc 0
expect_out <<'END'
wrote proj/experiment.yaml
END
expect_err <<'END'
xpship: note: next: replace the example values, then run 'xpship validate proj/experiment.yaml'
END
grep -qx '  created: 2026-11-20T09:30:00Z         # RFC 3339, UTC' proj/experiment.yaml ||
	fail "created time"
grep -q '^  id: exp-20261120-001 ' proj/experiment.yaml || fail "id"
[ "$(grep -c '^ *#' proj/experiment.yaml)" -ge 4 ] || fail "starter is not commented"

# a SOURCE_DATE_EPOCH that is not a number, or past year 9999 (no RFC 3339
# form), is refused as by every other command; nothing is written
for e in bogus 253402300800 -5 ' 7'; do
	SOURCE_DATE_EPOCH=$e run xp init far
	expect_rc 2
	expect_out_empty
	expect_err <<END
xpship: error: invalid SOURCE_DATE_EPOCH '$e': expected seconds since 1970
Run 'xpship init --help' for usage.
END
	[ -e far ] && fail "init wrote far/ despite SOURCE_DATE_EPOCH '$e'"
done
# empty is unset: the current time
SOURCE_DATE_EPOCH= run xp init now
expect_rc 0
grep -Eq '^  created: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z ' now/experiment.yaml ||
	fail "created time: $(grep created: now/experiment.yaml)"
grep -Eq '^  id: exp-[0-9]{8}-001 ' now/experiment.yaml || fail "id: $(grep ' id:' now/experiment.yaml)"

# refuses to overwrite, and leaves the record and no temporary file behind
echo "mine" > proj/experiment.yaml
run xp init proj
expect_rc 4
expect_err <<'END'
xpship: error: refusing to overwrite 'proj/experiment.yaml': it already exists
END
expect_out_empty
[ "$(cat proj/experiment.yaml)" = mine ] || fail "record overwritten"
[ "$(ls -A proj)" = experiment.yaml ] || fail "left behind: $(ls -A proj)"

# the starter is schema-valid: only the files it names are missing
rm proj/experiment.yaml
mkdir here && cd here
run xp -q init
expect_rc 0
expect_out <<'END'
wrote ./experiment.yaml
END
expect_err_empty
run xp validate experiment.yaml
expect_rc 1
expect_err <<'END'
experiment.yaml:25:11: error: file 'requirements.lock' does not exist
experiment.yaml:31:11: error: file 'data/train.csv' does not exist
experiment.yaml:55:15: error: file 'model/model.onnx' does not exist
experiment.yaml:67:13: error: file 'model/model.onnx' does not exist
END
# with its files in place and their digests written in, it is valid
mkdir -p data model
echo "numpy==2.1.3" > requirements.lock
printf 'x,y\n1,2\n' > data/train.csv
printf 'weights\n' > model/model.onnx
for f in requirements.lock data/train.csv model/model.onnx; do
	d=$(sha256sum "$f" | cut -d' ' -f1)
	awk -v f="$f" -v d="$d" '
		index($0, "path: " f) { print; want = 1; next }
		want && /digest: sha256:/ { sub(/sha256:[0-9a-f]+/, "sha256:" d); want = 0 }
		{ print }' experiment.yaml > e.tmp && mv e.tmp experiment.yaml
done
run xp validate --strict experiment.yaml
expect_rc 0
expect_out <<'END'
experiment.yaml: valid
END
cd "$T"

# DIR is created; a DIR that is a file is a system error
run xp init a/b/c
expect_rc 0
[ -f a/b/c/experiment.yaml ] || fail "nested dir"
: > afile
run xp init afile
expect_rc 4
expect_err_has "xpship: error: "
expect_err_has "afile"

# usage
run xp init a b
expect_rc 2
expect_err <<'END'
xpship: error: init takes at most one DIR, found 2
Run 'xpship init --help' for usage.
END
run xp init --force
expect_rc 2
expect_err <<'END'
xpship: error: unknown option '--force'
Run 'xpship init --help' for usage.
END
run xp init --help
expect_rc 0
expect_out_has "usage: xpship init [--model PATH] [--metrics FILE] [--data FILE]..."
expect_out_has "  4  DIR/experiment.yaml already exists, it cannot be written, or a file"
exit 0
