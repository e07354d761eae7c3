# `evaluate --task binary` against scikit-learn 1.2 as the oracle: generated
# sets (balanced, imbalanced, tied scores, scores on the calibration bin edges
# and at 0 and 1, weights with zeros, one class only, predicted labels, groups
# small and single-class), every metric to 1e-9 relative; per-group metrics
# against sklearn on each group's rows, fairness against the Fairlearn
# definitions of docs/evaluate.md.
. "$TESTS_DIR/lib.sh"

run /usr/bin/python3 "$TESTS_DIR/helpers/eval_oracle.py" "$XPSHIP" binary
expect_rc 0
expect_out_has "ok balanced (2000 rows)"
expect_out_has "ok groups-weighted (1200 rows)"
expect_out_has "values match scikit-learn"
