# The shipped policy (templates/gate.yaml) gates the shipped example record
# (templates/experiment.yaml): it passes as a first release, against a weaker
# champion, and fails against a clearly better one.
. "$TESTS_DIR/lib.sh"
TPL=$TESTS_DIR/../templates
[ -f "$TPL/experiment.yaml" ] || fail "templates/experiment.yaml is missing"
cp -r "$TPL/gate.yaml" "$TPL/experiment.yaml" "$TPL/example" .

run xp gate --policy gate.yaml --experiment experiment.yaml
expect_rc 0
expect_err_empty
expect_out_has "verdict: pass (6 passed, 0 failed, 0 warned, 3 skipped)"

printf '{"accuracy": 0.928, "latency": {"p95_ms": 80}, "roc_auc": 0.95, "ece": 0.02, "f1": 0.86}' >weaker.json
run xp gate --policy gate.yaml --experiment experiment.yaml --baseline weaker.json
expect_rc 0
expect_out_has "verdict: pass (9 passed, 0 failed, 0 warned, 0 skipped)"

printf 'accuracy: 0.95\nlatency: {p95_ms: 70}\nf1: 0.95\n' >better.yaml
run xp gate --policy gate.yaml --experiment experiment.yaml --baseline better.yaml
expect_rc 1
expect_out <<'END'
policy:    gate.yaml
candidate: experiment.yaml
baseline:  better.yaml

RULE                                    CHECK               CANDIDATE             BASELINE  THRESHOLD  OUTCOME
accuracy                                min                 0.931                 0.95      0.9        pass
accuracy                                max_abs_regression  0.931                 0.95      0.005      fail
latency.p95_ms                          max                 84                    70        120        pass
latency.p95_ms                          max_rel_regression  84                    70        0.1        fail
roc_auc                                 min                 0.958                 -         0.9        pass
ece                                     max                 0.02491149999999981   -         0.05       pass
fairness.sex.equalized_odds_difference  max                 0.039999999999999925  -         0.1        pass
ci.accuracy.low                         min                 0.915                 -         0.9        pass
f1                                      min_abs_change      0.931615460852329     0.95      0.005      warn

fail: accuracy max_abs_regression (gate.yaml:33): accuracy = 0.931 is worse than the baseline 0.95 by 0.019, more than the allowed regression 0.005
fail: latency.p95_ms max_rel_regression (gate.yaml:40): latency.p95_ms = 84 is worse than the baseline 70 by 20%, more than the allowed regression 10%
warn: f1 min_abs_change (gate.yaml:64): f1 = 0.931615460852329 is worse than the baseline 0.95 by 0.01838453915, short of the required improvement 0.005
verdict: fail (6 passed, 2 failed, 1 warned, 0 skipped)
END
exit 0
