# Output formats: GitHub annotations (the default under GITHUB_ACTIONS=true, with
# escaping), --format text under Actions, SARIF 2.1.0 with what GitHub code
# scanning and Jenkins Warnings NG read, and --strict.
. "$TESTS_DIR/lib.sh"
cp -r "$DATA"/experiment/refs.yaml "$DATA"/experiment/files .

GITHUB_ACTIONS=true run xp validate refs.yaml
expect_rc 1
expect_err_empty
expect_out <<'END'
::warning file=refs.yaml,line=2,col=1,title=missing-recommended::missing recommended key 'code'
::warning file=refs.yaml,line=2,col=1,title=missing-recommended::missing recommended key 'environment'
::warning file=refs.yaml,line=2,col=1,title=missing-recommended::missing recommended key 'data'
::warning file=refs.yaml,line=2,col=1,title=missing-recommended::missing recommended key 'model'
::warning file=refs.yaml,line=8,col=9,title=run-count::'space.runs' plans 2 runs but the record has 7
::error file=refs.yaml,line=14,col=22,title=param-out-of-space::parameter 'lr' of run 'run-1' = 0.5 is outside the range [0.001, 0.1]
::error file=refs.yaml,line=14,col=34,title=param-out-of-space::parameter 'depth' of run 'run-1' = 5 is not one of [4, 6]
::error file=refs.yaml,line=14,col=37,title=unknown-param::run 'run-1' sets parameter 'learning_rate', which the search space does not declare (did you mean 'lr'?)
::warning file=refs.yaml,line=17,col=17,title=missing-param::run 'run-2' does not set parameter 'depth' of the search space
::error file=refs.yaml,line=20,col=22,title=param-out-of-space::parameter 'lr' of run 'run-3' must be a number in [0.001, 0.1], found string 'fast'
::warning file=refs.yaml,line=21,col=14,title=missing-metric::objective metric 'accuracy' is not among the metrics of run 'run-3' (did you mean 'accurcy'?)
::error file=refs.yaml,line=25,col=25,title=bad-metrics::metric 'accuracy' is not a finite number: .nan
::error file=refs.yaml,line=29,col=19,title=missing-file::file 'files/missing.json' does not exist
::error file=refs.yaml,line=32,col=17,title=not-a-file::'files/train.csv' is not a directory (an MLflow run)
::warning file=refs.yaml,line=36,col=11,title=not-best::selected run 'run-2' is not the best by 'accuracy' (maximize): run 'run-1' has 0.95, 'run-2' has 0.9
::error file=files/bad-metrics.json,line=2,col=15,title=bad-metrics::metric 'accuracy' must be a number, found string 'high'
refs.yaml: invalid: 8 errors, 8 warnings
END

# asked for text under Actions: plain lines on stderr
GITHUB_ACTIONS=true run xp validate --format text refs.yaml
expect_rc 1
expect_err_has "refs.yaml:2:1: warning: missing recommended key 'code'"
expect_out <<'END'
refs.yaml: invalid: 8 errors, 8 warnings
END

# annotation data is escaped (%, CR, LF; ':' and ',' in properties)
mkdir 'a,b:c'
printf 'apiVersion: "xpship/v1\\n%%0A"\n' > 'a,b:c/r.yaml'
run xp validate --format github 'a,b:c/r.yaml'
expect_rc 1
expect_out_has "::error file=a%2Cb%3Ac/r.yaml,line=1,col=13,title=bad-value::'apiVersion' must be 'xpship/v1', found 'xpship/v1\\n%250A'"

# SARIF: check what code scanning requires of every rule and result (the
# fields the Microsoft SARIF validator's GitHub rules demand)
run xp validate --format sarif refs.yaml
expect_rc 1
expect_err_empty
python3 - "$T/.out" <<'PY' || fail "sarif structure"
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
assert len(log["runs"]) == 1
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "xpship" and driver["version"]
rules = driver["rules"]
ids = [r["id"] for r in rules]
assert len(ids) == len(set(ids)) >= 26, ids
for r in rules:
    for k in ("shortDescription", "fullDescription", "help"):
        assert r[k]["text"], (r["id"], k)
    assert r["name"][0].isupper() and "-" not in r["name"], r
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note"), r
res = run["results"]
assert len(res) == 16, len(res)
for x in res:
    assert ids[x["ruleIndex"]] == x["ruleId"], x
    assert x["level"] in ("error", "warning", "note") and x["message"]["text"], x
    (loc,) = x["locations"]
    pl = loc["physicalLocation"]
    assert pl["region"]["startLine"] >= 1 and pl["region"]["startColumn"] >= 1, x
    assert pl["artifactLocation"]["uri"] in ("refs.yaml", "files/bad-metrics.json"), x
first = res[5]
assert (first["ruleId"], first["level"], first["locations"][0]["physicalLocation"]["region"]) == \
    ("param-out-of-space", "error", {"startLine": 14, "startColumn": 22}), first
assert res[-1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "files/bad-metrics.json"
assert run["columnKind"] == "unicodeCodePoints"
PY

# --strict: warnings make a record invalid; the summary says why
cat > warn.yaml <<'YAML'
apiVersion: xpship/v1
kind: Experiment
metadata: {name: t, id: t}
objective: {metric: a, direction: maximize}
runs: [{id: r, metrics: {a: 1}}]
selected: r
YAML
run xp validate warn.yaml
expect_rc 0
expect_out <<'END'
warn.yaml: valid, 6 warnings
END
run xp validate --strict warn.yaml
expect_rc 1
expect_out <<'END'
warn.yaml: invalid: 0 errors, 6 warnings (--strict)
END
run xp validate --strict --format json warn.yaml
expect_rc 1
expect_out_has '"valid": false,'
exit 0
