# `gate` against a champion packed by `xpship pack`: the metrics
# pack writes into the bundle are the ones gate reads back, and the decision
# names the champion by the digest pack printed.
. "$TESTS_DIR/lib.sh"
TPL=$TESTS_DIR/../templates
cp -r "$TPL/gate.yaml" "$TPL/experiment.yaml" "$TPL/example" .

digest=$(xp -q pack -o store -t prod --experiment experiment.yaml example/model) ||
	fail "pack failed"

run xp gate --policy gate.yaml --experiment experiment.yaml --baseline oci:store:prod \
	--decision d.json
expect_rc 0
expect_err_empty
expect_out <<END
policy:    gate.yaml
candidate: experiment.yaml
baseline:  oci:store:prod ($digest)

RULE                                    CHECK               CANDIDATE             BASELINE              THRESHOLD  OUTCOME
accuracy                                min                 0.931                 0.931                 0.9        pass
accuracy                                max_abs_regression  0.931                 0.931                 0.005      pass
latency.p95_ms                          max                 84                    84                    120        pass
latency.p95_ms                          max_rel_regression  84                    84                    0.1        pass
roc_auc                                 min                 0.958                 0.958                 0.9        pass
ece                                     max                 0.02491149999999981   0.02491149999999981   0.05       pass
fairness.sex.equalized_odds_difference  max                 0.039999999999999925  0.039999999999999925  0.1        pass
ci.accuracy.low                         min                 0.915                 0.915                 0.9        pass
f1                                      min_abs_change      0.931615460852329     0.931615460852329     0.005      warn

warn: f1 min_abs_change (gate.yaml:64): f1 = 0.931615460852329 equals the baseline 0.931615460852329, short of the required improvement 0.005
verdict: pass (8 passed, 0 failed, 1 warned, 0 skipped)
END
grep -qF "\"baseline\": {\"source\": \"oci:store:prod\", \"digest\": \"$digest\"}" d.json ||
	fail "decision baseline: $(grep baseline d.json)"

# a challenger that lost accuracy against that champion
printf '{"accuracy": 0.92, "latency": {"p95_ms": 80}, "roc_auc": 0.96, "ece": 0.01, "fairness": {"sex": {"equalized_odds_difference": 0.05}}, "ci": {"accuracy": {"low": 0.91}}, "f1": 0.95}' >challenger.json
run xp gate --policy gate.yaml --metrics challenger.json --baseline oci:store:prod
expect_rc 1
expect_out_has "fail: accuracy max_abs_regression (gate.yaml:33): accuracy = 0.92 is worse than the baseline 0.931 by 0.011, more than the allowed regression 0.005"
expect_out_has "verdict: fail (8 passed, 1 failed, 0 warned, 0 skipped)"
exit 0
