# `gate` metric sources: an MLflow run directory (latest value by step, then
# timestamp; as candidate or baseline) and the selected run of an experiment
# record (inline metrics, metrics_file and mlflow_run merged; conflicts are
# malformed input at the later definition).
. "$TESTS_DIR/lib.sh"
cp -r "$DATA/gate/." .
export SOURCE_DATE_EPOCH=1795600800

run xp gate --policy gate.yaml --metrics mlruns/1/4f2a9c --baseline champion.json \
	--decision decision.json
expect_rc 1
expect_err_empty
expect_out <<'END'
policy:    gate.yaml
candidate: mlruns/1/4f2a9c
baseline:  champion.json

RULE            CHECK               CANDIDATE  BASELINE  THRESHOLD  OUTCOME
accuracy        min                 0.931      0.925     0.9        pass
latency.p95_ms  max                 91         82        120        pass
latency.p95_ms  max_rel_regression  91         82        0.05       fail
f1              min_abs_change      0.91       0.9       0.005      pass

fail: latency.p95_ms max_rel_regression (gate.yaml:10): latency.p95_ms = 91 is worse than the baseline 82 by 10.9756%, more than the allowed regression 5%
verdict: fail (3 passed, 1 failed, 0 warned, 0 skipped)
END
# a directory is named by the digest of its flat metrics
flat='{"accuracy":0.931,"f1":0.91,"latency.p95_ms":91,"system/cpu_utilization_percentage":37.5}'
want="sha256:$(printf '%s' "$flat" | sha256sum | cut -d' ' -f1)"
grep -qF "\"candidate\": {\"source\": \"mlruns/1/4f2a9c\", \"digest\": \"$want\"}" decision.json ||
	fail "MLflow digest: $(grep candidate decision.json)"

# the selected run of an experiment record, against an MLflow run as champion
run xp gate --policy gate.yaml --experiment experiment.yaml --baseline mlruns/1/4f2a9c \
	--decision decision.json
expect_rc 0
expect_out <<'END'
policy:    gate.yaml
candidate: experiment.yaml
baseline:  mlruns/1/4f2a9c

RULE            CHECK               CANDIDATE  BASELINE  THRESHOLD  OUTCOME
accuracy        min                 0.931      0.931     0.9        pass
latency.p95_ms  max                 91         91        120        pass
latency.p95_ms  max_rel_regression  91         91        0.05       pass
f1              min_abs_change      0.91       0.91      0.005      warn

warn: f1 min_abs_change (gate.yaml:12): f1 = 0.91 equals the baseline 0.91, short of the required improvement 0.005
verdict: pass (3 passed, 0 failed, 1 warned, 0 skipped)
END
want="sha256:$(sha256sum experiment.yaml | cut -d' ' -f1)"
grep -qF "\"candidate\": {\"source\": \"experiment.yaml\", \"digest\": \"$want\"}" decision.json ||
	fail "record digest"

# the record found from another directory: its paths are relative to it
mkdir elsewhere
(cd elsewhere && run xp gate --policy ../gate.yaml --experiment ../experiment.yaml)
expect_rc 0
expect_out_has "candidate: ../experiment.yaml"

# sources of one run that disagree
printf '{"latency": {"p95_ms": 90}}\n' >run-2-metrics.json
run xp gate --policy gate.yaml --experiment experiment.yaml
expect_rc 3
expect_out_empty
expect_err <<'END'
mlruns/1/4f2a9c/metrics/latency.p95_ms:1:15: error: metric 'latency.p95_ms' = 91 conflicts with 90 from run-2-metrics.json:1:24
END

sed 's/^selected: run-2/selected: run-9/' experiment.yaml >bad.yaml
run xp gate --policy gate.yaml --experiment bad.yaml
expect_rc 3
expect_err <<'END'
bad.yaml:22:11: error: selected run 'run-9' is not among the record's runs
END

# MLflow history lines that are not "<timestamp> <value> [<step>]"
mkdir -p run/metrics && printf '1764064800000 0.9 0\n1764064800001 high 1\n' >run/metrics/accuracy
run xp gate --policy gate.yaml --metrics run
expect_rc 3
expect_err <<'END'
run/metrics/accuracy:2:15: error: metric 'accuracy': expected "<timestamp> <value> [<step>]"
END
printf '1764064800000 nan 3\n' >run/metrics/accuracy
run xp gate --policy gate.yaml --metrics run
expect_rc 3
expect_err <<'END'
run/metrics/accuracy:1:15: error: metric 'accuracy' is not a finite number
END
rm -r run/metrics
run xp gate --policy gate.yaml --metrics run
expect_rc 3
expect_err <<'END'
xpship: error: cannot read MLflow run 'run': no metrics/ directory
END
exit 0
