# The shipped example (templates/experiment.yaml and templates/example/) and the
# small fixture validate, from any working directory, in every output format.
. "$TESTS_DIR/lib.sh"
ROOT=$(cd "$TESTS_DIR/.." && pwd)
TPL=$ROOT/templates/experiment.yaml

run xp validate "$TPL"
expect_rc 0
expect_out <<END
$TPL: valid
END
expect_err_empty

# --strict: the example carries no warning either
run xp validate --strict "$TPL"
expect_rc 0

# relative paths start at the record's directory, not the working directory
cd "$ROOT/templates"
run xp validate experiment.yaml
expect_rc 0
expect_out <<'END'
experiment.yaml: valid
END
cd "$T"

cp -r "$DATA/experiment/files" "$DATA/experiment/valid.yaml" .
run xp validate valid.yaml
expect_rc 0
expect_out <<'END'
valid.yaml: valid
END
expect_err_empty

# json: the record's own digest is reported
digest=sha256:$(sha256sum valid.yaml | cut -d' ' -f1)
run xp validate --format json valid.yaml
expect_rc 0
expect_out <<END
{
  "file": "valid.yaml",
  "digest": "$digest",
  "valid": true,
  "errors": 0,
  "warnings": 0,
  "notes": 0,
  "findings": []
}
END
expect_err_empty

# github and sarif with nothing to report
run xp validate --format github valid.yaml
expect_rc 0
expect_out <<'END'
valid.yaml: valid
END
run xp validate --format sarif valid.yaml
expect_rc 0
python3 - "$T/.out" <<'PY' || fail "sarif of a valid record"
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0"
assert log["runs"][0]["results"] == []
assert len(log["runs"][0]["tool"]["driver"]["rules"]) > 20
PY

# the same record as JSON (a .json name is read as JSON, positions included)
python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"), indent=1, default=str)' \
	valid.yaml valid.json
run xp validate valid.json
expect_rc 0
expect_out <<'END'
valid.json: valid
END
sed -i 's/"selected": "run-2"/"selected": "run-9"/' valid.json
run xp validate valid.json
expect_rc 1
expect_err <<END
valid.json:$(grep -n '"selected"' valid.json | cut -d: -f1):14: error: selected run 'run-9' is not among the record's runs (did you mean 'run-1'?)
END

# -q keeps the summary line off
run xp -q validate valid.yaml
expect_rc 0
expect_out_empty
expect_err_empty
exit 0
