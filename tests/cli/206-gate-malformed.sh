# `gate` on malformed or unreadable input: exit 3 with the position (and a
# did-you-mean for keys), exit 4 for files that cannot be read; nothing is
# written before the inputs are known good.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/champion.json" .

gate() { run xp gate --decision decision.json "$@"; }

printf 'version: 1\nrules:\n  - metric: accuracy\n    min_relative_change: 0.1\n' >p1.yaml
gate --policy p1.yaml --metrics candidate.json
expect_rc 3
expect_out_empty
expect_err <<'END'
p1.yaml:4:5: error: unknown rule key 'min_relative_change' (did you mean 'min_rel_change'?)
END
[ -e decision.json ] && fail "decision written for a malformed policy"

printf 'version: 1\nrules:\n  - {metric: accuracy, min: .nan}\n' >p2.yaml
gate --policy p2.yaml --metrics candidate.json
expect_rc 3
expect_err <<'END'
p2.yaml:3:29: error: 'min' must be a finite number, found .nan
END

printf 'version: 1\nrules: []\n' >p3.yaml
gate --policy p3.yaml --metrics candidate.json
expect_rc 3
expect_err <<'END'
p3.yaml:2:8: error: 'rules' is empty: a gate without rules would pass anything
END

printf 'accuracy: .nan\n' >nan.yaml
gate --policy gate.yaml --metrics nan.yaml
expect_rc 3
expect_err <<'END'
nan.yaml:1:11: error: metric 'accuracy' is not a finite number: .nan
END

printf '{\n  "accuracy": "0.93"\n}\n' >str.json
gate --policy gate.yaml --metrics str.json
expect_rc 3
expect_err <<'END'
str.json:2:15: error: metric 'accuracy' must be a number, found string '0.93'
END

printf '{"latency": {"p95_ms": true}}' >bool.json
gate --policy gate.yaml --metrics candidate.json --baseline bool.json
expect_rc 3
expect_err <<'END'
bool.json:1:24: error: metric 'latency.p95_ms' must be a number, found boolean 'true'
END

printf '{"accuracy": Infinity}' >inf.json
gate --policy gate.yaml --metrics inf.json
expect_rc 3
expect_err <<'END'
inf.json:1:21: error: invalid token near 'Infinity'
END

printf '{"a.b": 1, "a": {"b": 2}}' >dup.json
gate --policy gate.yaml --metrics dup.json
expect_rc 3
expect_err <<'END'
dup.json:1:23: error: duplicate metric 'a.b' (first defined at line 1)
END

gate --policy missing.yaml --metrics candidate.json
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'missing.yaml': No such file or directory
END

gate --policy gate.yaml --metrics missing.json
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'missing.json': No such file or directory
END

gate --policy gate.yaml --metrics candidate.json --baseline missing.json
expect_rc 4
expect_err <<'END'
xpship: error: cannot open 'missing.json': No such file or directory
END
[ -e decision.json ] && fail "decision written despite errors"

# a rule's metric a typo away from a candidate metric is a policy error with
# the metric it meant, every such rule at once; a metric with no near name
# stays a failing check; MLflow's 'threshold' key gets a hint
printf 'version: 1\nrules:\n  - metric: acuracy\n    min: 0.9\n  - metric: f11\n    min: 0.5\n  - metric: latency\n    max: 3\n' >typo.yaml
echo '{"accuracy": 0.95, "f1": 0.7}' >typo.json
run xp gate --policy typo.yaml --metrics typo.json
expect_rc 3
expect_out_empty
expect_err <<'END'
typo.yaml:3:5: error: metric 'acuracy' is not in the candidate metrics (did you mean 'accuracy'?)
  typo.yaml:5:5: metric 'f11' is not in the candidate metrics (did you mean 'f1'?)
END
printf 'version: 1\nrules:\n  - metric: latency\n    max: 3\n' >far.yaml
run xp gate --policy far.yaml --metrics typo.json
expect_rc 1
expect_out_has "latency is missing from the candidate metrics"
printf 'version: 1\nrules:\n  - metric: accuracy\n    threshold: 0.9\n' >mlflow.yaml
run xp gate --policy mlflow.yaml --metrics typo.json
expect_rc 3
expect_err <<'END'
mlflow.yaml:4:5: error: unknown rule key 'threshold' (MLflow's threshold is written min or max here, its min_absolute_change min_abs_change; see docs/gate.md)
END
exit 0
