# `evaluate --format yaml` and `-o FILE.yaml`: the same metrics tree as the
# JSON, read back identically by a YAML 1.1 reader (PyYAML) and by `gate
# --metrics`; group values that would read as another type (yes, null, 1, N)
# or hold YAML syntax are quoted, exponents keep a '.'.
. "$TESTS_DIR/lib.sh"

printf 'label,score,g\n1,0.9,yes\n0,0.1,"a, b"\n1,0.4,1\n0,0.6,null\n1,0.00001,N\n0,0.2,x:y\n1,0.7,plain\n' >p.csv
args="-p p.csv --score score --group g"
run xp evaluate $args -f json
expect_rc 0
cp "$T/.out" m.json
run xp evaluate $args -f yaml
expect_rc 0
cp "$T/.out" out.yaml
expect_out_has '    "a, b":'
expect_out_has '    "yes":'
expect_out_has '    plain:'
run xp evaluate $args -o m.yaml
expect_rc 0
expect_file_same out.yaml m.yaml
run xp evaluate $args -o m.yml -f yaml
expect_rc 0
expect_file_same out.yaml m.yml

/usr/bin/python3 - m.json m.yaml <<'END' || fail "YAML and JSON differ"
import json, sys, yaml
j = json.load(open(sys.argv[1]))
y = yaml.safe_load(open(sys.argv[2]))
assert j == y, (j, y)
assert list(j["by_group"]["g"]) == list(y["by_group"]["g"])
END

# an exponent keeps a '.': YAML 1.1 reads 1e-05 as text
printf 'label,score\n1,0.99999\n0,0.00001\n' >e.csv
run xp evaluate -p e.csv --score score -f yaml
expect_rc 0
expect_out_has "log_loss: 1.0000050000287824e-05"
grep -E ': [0-9]+e' "$T/.out" && fail "an exponent without a '.'"

cat >policy.yaml <<'END'
version: 1
rules:
  - metric: accuracy
    min: 0.5
  - metric: by_group.g.plain.accuracy
    min: 1
  - metric: fairness.g.demographic_parity_difference
    direction: lower
    max: 0.9
END
run xp gate --policy policy.yaml --metrics m.json
expect_rc 1
sed 's/m\.json/m.yaml/' "$T/.out" >want.txt
run xp gate --policy policy.yaml --metrics m.yaml
expect_rc 1
expect_file_same want.txt "$T/.out"
