# `evaluate --task regression` against scikit-learn 1.2 as the oracle: generated sets
# (see tests/helpers/eval_oracle.py), every metric to 1e-9 relative, per group
# on each group's rows, and the between-group disparities (Fairlearn's MetricFrame
# difference and ratio) of the per-group values.
. "$TESTS_DIR/lib.sh"

run /usr/bin/python3 "$TESTS_DIR/helpers/eval_oracle.py" "$XPSHIP" regression
expect_rc 0
expect_out_has "ok reg-perfect-constant (50 rows)"
expect_out_has "ok reg-groups-weighted (1500 rows)"
expect_out_has "values match scikit-learn"
